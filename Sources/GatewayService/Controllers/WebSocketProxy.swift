import CampusKit
import Foundation
import Hummingbird
import HummingbirdCore
import HummingbirdWebSocket
import NIOWebSocket
import HummingbirdWSClient
import Logging
import NIOConcurrencyHelpers

/// `/api/ws`: the gateway relays the WebSocket to maintenance's `/ws` both ways: messages in
/// each direction, and the close code the other side chose (4401 stays 4401).
enum WebSocketProxy {
    static func serverBuilder(runtime: ServiceRuntime, auth: AuthMiddleware) -> HTTPServerBuilder {
        let deployed = runtime.deployedServices.contains(.maintenance)
        let upstream = runtime.settings.endpoint(.maintenance)
        let origins = WebSocketOrigins(allowed: runtime.settings.corsOrigins)
        return .http1WebSocketUpgrade(configuration: .init(maxFrameSize: 1 << 16, autoPing: .enabled(timePeriod: .seconds(30)))) { request, channel, logger in
            guard deployed, let path = request.path, path == "/api/ws" || path.hasPrefix("/api/ws?") else { return .dontUpgrade }
            // A browser always sends Origin: only this gateway's own page and CORS_ORIGINS may open
            // a socket with the user's token (no cross-site WebSocket hijacking). Clients that are
            // not browsers send none.
            if let origin = request.headerFields[.origin], !origins.allows(origin, host: request.authority) {
                await HandshakeRefusal.send(.forbidden("WebSocket connections from \(origin) are not allowed.", code: "origin_not_allowed"), on: channel, logger: logger)
                return .dontUpgrade
            }
            let query = path.split(separator: "?", maxSplits: 1).dropFirst().first.map { "?\($0)" } ?? ""
            let url = "ws://\(upstream.host):\(upstream.port)/ws\(query)"
            if let token = URLComponents(string: path)?.queryItems?.first(where: { $0.name == "token" })?.value, !token.isEmpty {
                // A bad, revoked or ended token is answered with the contract's 401 problem+json.
                do {
                    _ = try await auth.authenticate(token)
                } catch {
                    await HandshakeRefusal.send(error as? APIError ?? .unauthorized("The token is invalid.", code: "invalid_token"), on: channel, logger: logger)
                    return .dontUpgrade
                }
                return .upgrade([:]) { inbound, outbound, _ in
                    try await relay(url: url, firstMessageAuth: nil, inbound: inbound, outbound: outbound, logger: logger)
                }
            }
            // The token comes in the first message: the gateway checks it as it checks every token
            // (signature, revocation, the account's cutoff) before relaying it.
            return .upgrade([:]) { inbound, outbound, _ in
                try await relay(url: url, firstMessageAuth: auth, inbound: inbound, outbound: outbound, logger: logger)
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

    /// Relays both ways. With `firstMessageAuth`, the client's first message must be
    /// `{"type":"auth","token":…}` with a token the gateway accepts; otherwise the client is
    /// closed with 4401 and nothing of it reaches maintenance.
    private static func relay(
        url: String, firstMessageAuth: AuthMiddleware?, inbound: WebSocketInboundStream, outbound: WebSocketOutboundWriter, logger: Logger
    ) async throws {
        let refused = NIOLockedValueBox(false)
        let closeFrame = try await WebSocketClient.connect(url: url, configuration: .init(maxFrameSize: 1 << 16), logger: logger) { upInbound, upOutbound, _ in
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask {
                    // The stream allows one iterator, so the auth message is read from the same one that relays the rest.
                    var messages = inbound.messages(maxSize: 1 << 16).makeAsyncIterator()
                    if let auth = firstMessageAuth {
                        guard case .text(let text) = try await messages.next(), let token = authToken(in: text),
                              (try? await auth.authenticate(token)) != nil else {
                            refused.withLockedValue { $0 = true }
                            try await outbound.close(.unknown(4401), reason: "authenticate first: {\"type\":\"auth\",\"token\":\"...\"}")
                            try await upOutbound.close(.normalClosure, reason: nil)
                            return
                        }
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
                    switch message {
                    case .text(let text): try await outbound.writeTextMessage(text)
                    case .binary(let buffer): try await outbound.writeBinaryMessage(buffer)
                    }
                }
                group.cancelAll()
            }
        }
        guard !refused.withLockedValue({ $0 }) else { return }
        try await outbound.close(closeFrame?.closeCode ?? .normalClosure, reason: closeFrame?.reason)
    }
}
