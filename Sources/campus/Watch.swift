import ArgumentParser
import Foundation
import HummingbirdWSClient
import Logging

/// `campus watch`: prints live ticket events, one JSON message per line (a tiny WebSocket client).
struct Watch: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Print live ticket events from the gateway's /api/ws (one JSON message per line).",
        discussion: """
            The bearer token (from POST /auth/login) comes from the CAMPUS_TOKEN environment variable or \
            --token-file, never from the command line. A technician sees every ticket; others see their own.

            Example: CAMPUS_TOKEN="$TECH" campus watch
            """
    )

    @Option(help: ArgumentHelp("A file holding a bearer token from POST /auth/login (else CAMPUS_TOKEN).", valueName: "file"))
    var tokenFile: String?

    @Option(help: "The WebSocket to watch.")
    var url = "ws://localhost:5001/api/ws"

    func run() async throws {
        guard let token = try tokenFile.map({ try SecretInput.file($0, option: "--token-file") }) ?? SecretInput.environment("CAMPUS_TOKEN") else {
            throw ValidationError("No token: set CAMPUS_TOKEN or pass --token-file <file>.")
        }
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
