import CampusKit
import Foundation
import Hummingbird
import HummingbirdCore
import HummingbirdWSClient
import HummingbirdWebSocket
import Logging
import NIOConcurrencyHelpers
import NIOWebSocket
import Prometheus

/// The gateway's WebSockets, relayed to a service's `/ws` both ways: messages in each direction,
/// and the close code the other side chose (4401 stays 4401). `/api/ws` carries maintenance's
/// ticket events, `/api/notifications/ws` the notification service's live bell.
enum WebSocketProxy {
    /// Gateway path → the service whose `/ws` it reaches.
    static let sockets: [String: ServiceName] = ["/api/ws": .maintenance, "/api/notifications/ws": .notification]

    static func serverBuilder(runtime: ServiceRuntime, auth: AuthMiddleware) -> HTTPServerBuilder {
        let origins = WebSocketOrigins(allowed: runtime.settings.corsOrigins)
        // `campus_websocket_clients`: sockets this gateway is relaying now.
        let clients = runtime.metrics(for: .gateway).gauge("campus_websocket_clients")
        return .campusWebSocket(
            timeouts: runtime.settings.connectionTimeouts, configuration: .init(maxFrameSize: 1 << 16, autoPing: .enabled(timePeriod: .seconds(30)))
        ) { request, channel, logger in
            guard let path = request.path, let service = sockets[String(path.prefix { $0 != "?" })] else { return .dontUpgrade }
            let upstream = runtime.settings.endpoint(service)
            // A browser always sends Origin: only this gateway's own page and CORS_ORIGINS may open
            // a socket with the user's token (no cross-site WebSocket hijacking). Clients that are
            // not browsers send none.
            if let origin = request.headerFields[.origin], !origins.allows(origin, host: request.authority) {
                await HandshakeRefusal.send(
                    .forbidden("WebSocket connections from \(origin) are not allowed.", code: "origin_not_allowed"), on: channel, logger: logger)
                return .dontUpgrade
            }
            let query = path.split(separator: "?", maxSplits: 1).dropFirst().first.map { "?\($0)" } ?? ""
            let url = "ws://\(upstream.host):\(upstream.port)/ws\(query)"
            if let token = URLComponents(string: path)?.queryItems?.first(where: { $0.name == "token" })?.value, !token.isEmpty {
                // A bad, revoked or ended token is answered with the contract's 401 problem+json.
                do {
                    _ = try await auth.authenticate(token)
                } catch {
                    await HandshakeRefusal.send(
                        error as? APIError ?? .unauthorized("The token is invalid.", code: "invalid_token"), on: channel, logger: logger)
                    return .dontUpgrade
                }
                return .upgrade([:]) { inbound, outbound, _ in
                    clients.increment()
                    defer { clients.decrement() }
                    try await relay(url: url, token: token, auth: auth, inbound: inbound, outbound: outbound, logger: logger)
                }
            }
            // The token comes in the first message: the gateway checks it as it checks every token
            // (signature, revocation, the account's cutoff) before relaying it.
            return .upgrade([:]) { inbound, outbound, _ in
                clients.increment()
                defer { clients.decrement() }
                try await relay(url: url, token: nil, auth: auth, inbound: inbound, outbound: outbound, logger: logger)
            }
        }
    }

    /// The token of a first message `{"type":"auth","token":"…"}`.
    static func authToken(in text: String) -> String? {
        struct AuthMessage: Decodable {
            let type: String
            let token: String
        }
        guard let message = try? CampusJSON.decoder.decode(AuthMessage.self, from: Data(text.utf8)), message.type == "auth" else { return nil }
        return message.token
    }

    /// How long a socket without `?token=` may wait before its first message authenticates it.
    static let authenticationDeadline: Duration = .seconds(10)

    /// The close reason of a refused token: its problem code and sentence (at most 123 bytes, as RFC 6455 allows).
    static func closeReason(_ error: any Error) -> String {
        let problem = error as? APIError ?? .unauthorized("The token is invalid.", code: "invalid_token")
        var reason = "\(problem.code): \(problem.detail)"
        while reason.utf8.count > 123 { reason.removeLast() }
        return reason
    }

    /// Relays both ways while the token counts. Without `token` (none in the query), the client's
    /// first message must be `{"type":"auth","token":…}` with a token the gateway accepts, within
    /// ``authenticationDeadline``; otherwise it is closed with 4401 and nothing of it reaches
    /// maintenance. Every event is relayed only while the token still counts: signing out, or the
    /// account being deleted, demoted or given a new password, closes the socket with 4401 at the
    /// next event (the checks are the memoised ones every request goes through).
    private static func relay(
        url: String, token: String?, auth: AuthMiddleware, inbound: WebSocketInboundStream, outbound: WebSocketOutboundWriter, logger: Logger
    ) async throws {
        let session = NIOLockedValueBox<(token: String?, ended: Bool)>((token, false))
        /// Closes the client with 4401 once; `false` if the session had already ended.
        @Sendable func end(_ reason: String) async throws -> Bool {
            let first = session.withLockedValue { state in
                defer { state.ended = true }
                return !state.ended
            }
            if first { try await outbound.close(.unknown(4401), reason: reason) }
            return first
        }
        let closeFrame = try await WebSocketClient.connect(url: url, configuration: .init(maxFrameSize: 1 << 16), logger: logger) { upInbound, upOutbound, _ in
            try await withThrowingTaskGroup(of: Void.self) { group in
                if token == nil {
                    group.addTask {
                        try await Task.sleep(for: authenticationDeadline)
                        guard session.withLockedValue({ $0.token == nil }) else { return }
                        if try await end("authenticate within \(authenticationDeadline.components.seconds) s: {\"type\":\"auth\",\"token\":\"...\"}") {
                            try await upOutbound.close(.normalClosure, reason: nil)
                        }
                    }
                }
                group.addTask {
                    // The stream allows one iterator, so the auth message is read from the same one that relays the rest.
                    var messages = inbound.messages(maxSize: 1 << 16).makeAsyncIterator()
                    if token == nil {
                        guard case .text(let text) = try await messages.next(), let offered = authToken(in: text) else {
                            if try await end(#"authenticate first: {"type":"auth","token":"..."}"#) { try await upOutbound.close(.normalClosure, reason: nil) }
                            return
                        }
                        do {
                            _ = try await auth.authenticate(offered)
                        } catch {
                            if try await end(closeReason(error)) { try await upOutbound.close(.normalClosure, reason: nil) }
                            return
                        }
                        session.withLockedValue { $0.token = offered }
                        try await upOutbound.writeTextMessage(text)
                    }
                    while let message = try await messages.next() {
                        switch message {
                        case .text(let text): try await upOutbound.writeTextMessage(text)
                        case .binary(let buffer): try await upOutbound.writeBinaryMessage(buffer)
                        }
                    }
                    try await upOutbound.close(.normalClosure, reason: nil)
                }
                for try await message in upInbound.messages(maxSize: 1 << 16) {
                    if let current = session.withLockedValue({ $0.token }) {
                        do {
                            _ = try await auth.authenticate(current)
                        } catch {
                            _ = try await end(closeReason(error))
                            try await upOutbound.close(.normalClosure, reason: nil)
                            break
                        }
                    }
                    switch message {
                    case .text(let text): try await outbound.writeTextMessage(text)
                    case .binary(let buffer): try await outbound.writeBinaryMessage(buffer)
                    }
                }
                group.cancelAll()
            }
        }
        // Relay the close code maintenance chose (a 4401 of its own, say), unless the gateway closed first.
        guard !session.withLockedValue({ $0.ended }) else { return }
        try await outbound.close(closeFrame?.closeCode ?? .normalClosure, reason: closeFrame?.reason)
    }
}
