import ArgumentParser
import Foundation
import HummingbirdWSClient
import Logging

/// `campus watch`: prints live ticket events, one JSON message per line (a tiny WebSocket client).
struct Watch: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Print live ticket events from the gateway's /api/ws (one JSON message per line).",
        discussion: "Example: campus watch --token \"$TECH\" (a technician sees every ticket; others see their own)."
    )

    @Option(help: "A bearer token from POST /auth/login.")
    var token: String

    @Option(help: "The WebSocket to watch.")
    var url = "ws://localhost:5001/api/ws"

    func run() async throws {
        var logger = Logger(label: "campus.watch")
        logger.logLevel = .error
        let close = try await WebSocketClient.connect(url: url, logger: logger) { inbound, outbound, _ in
            try await outbound.writeTextMessage(#"{"type":"auth","token":"\#(token)"}"#)
            for try await message in inbound.messages(maxSize: 1 << 20) {
                if case .text(let text) = message {
                    FileHandle.standardOutput.write(Data((text + "\n").utf8))
                }
            }
        }
        if let close { FileHandle.standardError.write(Data("closed: \(close.closeCode) \(close.reason ?? "")\n".utf8)) }
    }
}
