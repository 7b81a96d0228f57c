import Foundation
import Hummingbird
import HummingbirdCore
import HummingbirdWebSocket
import Logging
import NIOCore
import NIOWebSocket

/// A service's `GET /ws`: live events for signed-in clients. The token comes in `?token=` (a bad
/// one is refused with 401 before the upgrade) or as the first message `{"type":"auth","token":"…"}`
/// (a bad one closes the socket with 4401). After authenticating the server sends `{"type":"ready"}`,
/// then the hub's messages for this client.
public enum LiveWebSocket {
    public static let unauthorised = WebSocketErrorCode.unknown(4401)

    public static func serverBuilder(hub: LiveHub, auth: AuthMiddleware, timeouts: ConnectionTimeouts) -> HTTPServerBuilder {
        .campusWebSocket(timeouts: timeouts, configuration: .init(maxFrameSize: 1 << 16, autoPing: .enabled(timePeriod: .seconds(30)))) {
            request, channel, logger in
            guard let path = request.path, path == "/ws" || path.hasPrefix("/ws?") else { return .dontUpgrade }
            var identity: Identity?
            if let token = queryToken(path) {
                // An invalid token is not upgraded: it is answered with the contract's 401 problem+json.
                do {
                    identity = try await auth.authenticate(token)
                } catch {
                    await HandshakeRefusal.send(
                        error as? APIError ?? .unauthorized("The token is invalid.", code: "invalid_token"), on: channel, logger: logger)
                    return .dontUpgrade
                }
            }
            let known = identity
            return .upgrade([:]) { inbound, outbound, context in
                try await session(hub: hub, auth: auth, identity: known, inbound: inbound, outbound: outbound, logger: context.logger)
            }
        }
    }

    /// A handshake to `path` that was not upgraded (a plain GET) lands here: a bad `?token=` is
    /// a 401, anything else a 426 saying to use a WebSocket client.
    public static func addUpgradeRequiredRoute(to router: Router<CampusRequestContext>, path: String, auth: AuthMiddleware) {
        router.get(RouterPath(path)) { request, _ -> Response in try await refuseWithoutHandshake(request, path: path, auth: auth) }
    }

    /// The answer to a plain request for socket `path`: 401 for a bad `?token=`, otherwise 426.
    public static func refuseWithoutHandshake(_ request: Request, path: String, auth: AuthMiddleware) async throws -> Never {
        if let token = request.uri.queryParameters["token"].map(String.init), !token.isEmpty {
            _ = try await auth.authenticate(token)
        }
        throw APIError(.upgradeRequired, code: "websocket_required", detail: "Connect to \(path) with a WebSocket client.", headers: [.upgrade: "websocket"])
    }

    /// The OpenAPI path item of a service's `/ws` (a JSON fragment ending in a comma, for
    /// ``OpenAPIDocument/make``): `messages` says what follows `{"type":"ready"}`.
    public static func openAPIPath(summary: String, operationID: String, messages: String) -> String {
        #"""
            "/ws": {
              "get": {"summary": "\#(summary)", "operationId": "\#(operationID)",
                "description": "Authenticate with ?token= or a first message {\"type\":\"auth\",\"token\":\"...\"} (a bad one closes with 4401). The server then sends {\"type\":\"ready\"} \#(messages)",
                "security": [],
                "parameters": [{"name": "token", "in": "query", "schema": {"type": "string"}}],
                "responses": {
                  "101": {"description": "Switching to the WebSocket protocol"},
                  "401": {"$ref": "#/components/responses/Unauthorized"},
                  "426": {"description": "Not a WebSocket handshake", "content": {"application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}}}}}
            },

        """#
    }

    public static func queryToken(_ path: String) -> String? {
        URLComponents(string: path)?.queryItems?.first { $0.name == "token" }?.value.flatMap { $0.isEmpty ? nil : $0 }
    }

    private static func session(
        hub: LiveHub, auth: AuthMiddleware, identity: Identity?, inbound: WebSocketInboundStream,
        outbound: WebSocketOutboundWriter, logger: Logger
    ) async throws {
        var messages = inbound.messages(maxSize: 1 << 16).makeAsyncIterator()
        var caller = identity
        if caller == nil {
            struct AuthMessage: Decodable {
                let type: String
                let token: String
            }
            guard case .text(let text) = try await messages.next(),
                let first = try? CampusJSON.decoder.decode(AuthMessage.self, from: Data(text.utf8)), first.type == "auth",
                let verified = try? await auth.authenticate(first.token)
            else {
                try await outbound.close(unauthorised, reason: "authenticate first: {\"type\":\"auth\",\"token\":\"...\"}")
                return
            }
            caller = verified
        }
        guard let caller else { return }
        let (id, events) = hub.subscribe(caller)
        defer { hub.unsubscribe(id) }
        try await outbound.writeTextMessage(#"{"type":"ready"}"#)
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask {
                for await event in events { try await outbound.writeTextMessage(event) }
                // The stream ended without the client leaving: it was too slow to keep up.
                try await outbound.close(.policyViolation, reason: "too slow to keep up; reconnect")
            }
            // The client has nothing to say after authenticating; reading notices when it leaves.
            while try await messages.next() != nil {}
            group.cancelAll()
        }
        logger.debug("WebSocket client left", metadata: ["user_id": "\(caller.userID)"])
    }
}
