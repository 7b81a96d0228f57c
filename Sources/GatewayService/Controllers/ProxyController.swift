import CampusKit
import HTTPTypes
import Hummingbird
import NIOCore
import NIOHTTP1

/// Routes `/api/<name>/...` to the owning service, keeping method, query, body, `Authorization`
/// and `X-Request-ID`. An unknown prefix answers 404; a service that cannot be reached, 503.
/// The request body (at most 1 MiB, refused here with 413 beyond that) is collected, so a retry
/// after a refused connection can send it again; the answer is passed on as it arrives
/// (``ServiceClient/forward``), whatever its size.
struct ProxyController: Sendable {
    let client: ServiceClient
    /// Told of every account changed through this gateway, so its old tokens end here at once.
    let accounts: AccountCutoffs
    /// `/api/<service>/openapi.json` and `/api/<service>/docs` are answered here, not forwarded.
    let docs: PublicDocsController
    /// Checks the token of a WebSocket path reached without a handshake (`/api/notifications/ws`).
    let webSocketAuth: AuthMiddleware

    static let forwardedRequestHeaders: [String] = [
        "Content-Type", "Accept", "Accept-Language", "If-None-Match", "If-Match", "Idempotency-Key",
    ]
    static let returnedResponseHeaders: [HTTPField.Name] = [
        .contentType, .totalCount, .retryAfter, .location, .eTag, .contentDisposition, .cacheControl, .wwwAuthenticate,
    ]

    func addRoutes(to router: Router<CampusRequestContext>) {
        for method in [HTTPRequest.Method.get, .post, .put, .patch, .delete, .head] {
            router.on("/api/**", method: method, use: forward)
        }
        for method in [HTTPRequest.Method.get, .head] {
            router.on("/calendar/**", method: method, use: forward)
        }
    }

    @Sendable func forward(_ request: Request, context: CampusRequestContext) async throws -> Response {
        let path = request.uri.path
        if request.method == .get || request.method == .head, let page = try await docs.answer(path, context: context) { return page }
        if WebSocketProxy.sockets[path] != nil { try await LiveWebSocket.refuseWithoutHandshake(request, path: path, auth: webSocketAuth) }
        guard let (route, servicePath) = GatewayRoute.resolve(path) else {
            throw APIError.notFound(
                "No API at \(path). The gateway routes /api/users, /api/rooms, /api/bookings, /api/gpa/calculate, /api/gpa/plan, /api/gpa/scale, /api/notifications, /api/tickets, /api/triage, /api/status and the WebSocket /api/ws; each service's API is documented at /api/<service>/docs."
            )
        }
        let collected = try await request.collectBody(upTo: UploadLimits.limit(method: request.method, path: path))
        let body = collected.readableBytes > 0 ? collected : nil
        var headers = HTTPHeaders()
        for name in Self.forwardedRequestHeaders {
            if let value = request.headers[HTTPField.Name(name)!] { headers.add(name: name, value: value) }
        }
        let query = request.uri.query.map { "?\($0)" } ?? ""
        let credentials: ServiceClient.Credentials = context.bearerToken.map { .bearer($0) } ?? .none
        let reply = try await client.forward(
            route.service, method: HTTPMethod(rawValue: request.method.rawValue), path: servicePath + query, headers: headers,
            body: body, requestID: context.requestID, credentials: credentials, logger: context.logger
        )
        // A 5xx that is not our problem+json came from something between (a load balancer's 502
        // while an instance dies): the client gets the contract's 503, not a proxy's HTML page.
        if reply.status.code >= 500, !(reply.headers.first(name: "Content-Type") ?? "").hasPrefix(ProblemDetails.mediaType) {
            throw APIError.downstream(route.service, answered: reply.status)
        }
        if route.service == .users, request.method == .put || request.method == .delete, (200..<300).contains(reply.status.code),
            let changed = servicePath.split(separator: "/").dropFirst().first
        {
            accounts.forget(String(changed))
        }
        var fields = HTTPFields()
        for name in Self.returnedResponseHeaders {
            if let value = reply.headers.first(name: name.rawName) { fields[name] = value }
        }
        return Response(status: .init(code: Int(reply.status.code)), headers: fields, body: reply.body)
    }
}
