import Foundation
import HummingbirdWSClient
import Logging
import NIOConcurrencyHelpers
import NIOWebSocket

/// A WebSocket client for the services' live sockets (`/ws`), as a page would use them.
public enum LiveSocketClient {
    /// Connects, authenticates (query or first message), collects text messages until `until`
    /// is satisfied or the connection ends, and returns them with the close code.
    public static func listen(
        port: Int, path: String = "/ws", token: String?, firstMessage: String? = nil, ready: (@Sendable () async throws -> Void)? = nil,
        until: @escaping @Sendable ([String]) -> Bool
    ) async throws -> (messages: [String], close: WebSocketErrorCode?) {
        // A wait that never ends fails the test instead of hanging the suite.
        try await withThrowingTaskGroup(of: (messages: [String], close: WebSocketErrorCode?)?.self) { group in
            group.addTask { try await connect(port: port, path: path, token: token, firstMessage: firstMessage, ready: ready, until: until) }
            group.addTask {
                try await Task.sleep(for: .seconds(120))
                return nil
            }
            defer { group.cancelAll() }
            guard let first = try await group.next(), let result = first else { throw TimedOut() }
            return result
        }
    }

    public struct TimedOut: Error, CustomStringConvertible {
        public var description: String { "the WebSocket did not see what the test waited for within 120 s" }
    }

    private static func connect(
        port: Int, path: String, token: String?, firstMessage: String?, ready: (@Sendable () async throws -> Void)?,
        until: @escaping @Sendable ([String]) -> Bool
    ) async throws -> (messages: [String], close: WebSocketErrorCode?) {
        let received = NIOLockedValueBox<[String]>([])
        let url = "ws://127.0.0.1:\(port)\(path)" + (token.map { "?token=\($0)" } ?? "")
        let close = try await WebSocketClient.connect(url: url, logger: Logger(label: "test.ws")) { inbound, outbound, _ in
            if let firstMessage { try await outbound.writeTextMessage(firstMessage) }
            for try await message in inbound.messages(maxSize: 1 << 20) {
                guard case .text(let text) = message else { continue }
                let all = received.withLockedValue {
                    $0.append(text)
                    return $0
                }
                if text.contains(#""type":"ready""#), let ready { try await ready() }
                if until(all) { break }
            }
            try await outbound.close(.normalClosure, reason: nil)
        }
        return (received.withLockedValue { $0 }, close?.closeCode)
    }

}
