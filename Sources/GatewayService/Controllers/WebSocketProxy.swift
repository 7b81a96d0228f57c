import CampusKit
import Foundation
import Hummingbird
import HummingbirdCore
import HummingbirdWebSocket
import NIOWebSocket
import HummingbirdWSClient
import Logging

/// `/api/ws`: the gateway relays the WebSocket to maintenance's `/ws` both ways: messages in
/// each direction, and the close code the other side chose (4401 stays 4401).
enum WebSocketProxy {
    static func serverBuilder(runtime: ServiceRuntime, auth: AuthMiddleware) -> HTTPServerBuilder {
        let deployed = runtime.deployedServices.contains(.maintenance)
        let upstream = runtime.settings.endpoint(.maintenance)
        return .http1WebSocketUpgrade(configuration: .init(maxFrameSize: 1 << 16, autoPing: .enabled(timePeriod: .seconds(30)))) { request, _, logger in
            guard deployed, let path = request.path, path == "/api/ws" || path.hasPrefix("/api/ws?") else { return .dontUpgrade }
            let query = path.split(separator: "?", maxSplits: 1).dropFirst().first.map { "?\($0)" } ?? ""
            if let token = URLComponents(string: path)?.queryItems?.first(where: { $0.name == "token" })?.value, !token.isEmpty {
                // A revoked or invalid token stops here; the HTTP route then answers 401.
                guard (try? await auth.authenticate(token)) != nil else { return .dontUpgrade }
            }
            let url = "ws://\(upstream.host):\(upstream.port)/ws\(query)"
            return .upgrade([:]) { inbound, outbound, _ in
                try await relay(url: url, inbound: inbound, outbound: outbound, logger: logger)
            }
        }
    }

    private static func relay(url: String, inbound: WebSocketInboundStream, outbound: WebSocketOutboundWriter, logger: Logger) async throws {
        let closeFrame = try await WebSocketClient.connect(url: url, configuration: .init(maxFrameSize: 1 << 16), logger: logger) { upInbound, upOutbound, _ in
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask {
                    for try await message in inbound.messages(maxSize: 1 << 16) {
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
        try await outbound.close(closeFrame?.closeCode ?? .normalClosure, reason: closeFrame?.reason)
    }
}
