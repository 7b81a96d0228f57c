import CampusKit
import Foundation
import Hummingbird
import NIOConcurrencyHelpers
import NIOCore

/// `/api/<service>/openapi.json` and `/api/<service>/docs`: each service's API as the public
/// reaches it, documented where it is served (in production only the gateway is reachable). The
/// gateway fetches the service's own document and rewrites it (``PublicAPIDocument``); a copy is
/// kept for a minute, so a service deployed anew is documented anew without a gateway restart.
struct PublicDocsController: Sendable {
    let client: ServiceClient
    let now: @Sendable () -> Date
    private let cache = NIOLockedValueBox<[ServiceName: (document: ByteBuffer, fetched: Date)]>([:])
    static let keepFor: TimeInterval = 60

    init(client: ServiceClient, now: @escaping @Sendable () -> Date) {
        self.client = client
        self.now = now
    }

    /// The answer for `GET path` when it is one of these pages, else nil. Called by the
    /// ``ProxyController`` (Hummingbird allows no route beside its `/api/**`).
    func answer(_ path: String, context: CampusRequestContext) async throws -> Response? {
        let parts = path.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 4, parts[1] == "api", parts[3] == "openapi.json" || parts[3] == "docs",
            let service = ServiceName(rawValue: String(parts[2])), PublicAPIDocument.services.contains(service)
        else { return nil }
        if parts[3] == "docs" { return DocsRoutes.response(title: "\(service.displayName) (through the gateway)") }
        return try await document(service, context: context)
    }

    func document(_ service: ServiceName, context: CampusRequestContext) async throws -> Response {
        let fresh = cache.withLockedValue { cache in
            cache[service].flatMap { now().timeIntervalSince($0.fetched) < Self.keepFor ? $0.document : nil }
        }
        let document: ByteBuffer
        if let fresh {
            document = fresh
        } else {
            let reply = try await client.send(
                service, method: .GET, path: "/openapi.json", requestID: context.requestID, credentials: .none, logger: context.logger)
            guard reply.status.code == 200, let rewritten = try? PublicAPIDocument.rewrite(Data(buffer: reply.body), service: service) else {
                throw APIError.serviceUnavailable(
                    "The \(service.displayName) service did not give its API document; try again shortly.", code: "dependency_unavailable")
            }
            document = ByteBuffer(bytes: rewritten)
            cache.withLockedValue { $0[service] = (document, now()) }
        }
        return Response(status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: document))
    }
}
