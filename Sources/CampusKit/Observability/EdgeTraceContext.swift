import HTTPTypes
import Hummingbird

/// At the gateway, the edge of the system: a `traceparent`, `tracestate` or `baggage` header is
/// taken only from a peer in `TRUSTED_PROXIES` (a load balancer that traces), never from a client,
/// who could otherwise pick trace ids, force sampling, or attach one trace to another.
public struct EdgeTraceContext: RouterMiddleware {
    public typealias Context = CampusRequestContext
    let resolver: ClientAddressResolver

    public init(resolver: ClientAddressResolver) { self.resolver = resolver }

    static let headers: [HTTPField.Name] = [HTTPField.Name("traceparent")!, HTTPField.Name("tracestate")!, HTTPField.Name("baggage")!]

    public func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard Self.headers.contains(where: { request.headers[$0] != nil }) else { return try await next(request, context) }
        if let peer = context.remoteAddress?.ipAddress.flatMap(IPAddress.init), resolver.isTrusted(peer) {
            return try await next(request, context)
        }
        var head = request.head
        for name in Self.headers { head.headerFields[name] = nil }
        return try await next(Request(head: head, body: request.body), context)
    }
}
