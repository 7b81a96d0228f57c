import CampusKit
import Foundation
import Testing

@testable import GatewayService

/// What the public gateway reaches, and which browser pages may open its WebSocket.
@Suite struct GatewaySurfaceTests {
    @Test func onlyEachServicesPublicAPIIsRouted() {
        #expect(GatewayRoute.resolve("/api/gpa/calculate")?.servicePath == "/calculate")
        #expect(GatewayRoute.resolve("/api/gpa/scale")?.servicePath == "/scale")
        #expect(GatewayRoute.resolve("/api/users/7")?.servicePath == "/users/7")
        for path in [
            "/api/gpa/metrics", "/api/gpa/health", "/api/gpa/health/ready", "/api/gpa/docs", "/api/gpa/openapi.json", "/api/gpa",
            "/api/users/../metrics", "/api/users/%2e%2e/metrics", "/api/users/%2E%2E/metrics", "/api/tickets/./../health",
            "/api/notifications/..%2fmetrics", "/api/users\\..\\metrics", "/api/nothing",
        ] {
            #expect(GatewayRoute.resolve(path) == nil, "\(path)")
        }
    }

    /// The byte scan agrees with the plain statement of the rule on every path built from the
    /// pieces that matter (dots, slashes, backslashes, percent escapes in both cases, truncated escapes).
    @Test func traversalIsFoundInEverySpelling() {
        func plainly(_ path: String) -> Bool {
            let lowered = path.lowercased()
            if lowered.contains("%2e") || lowered.contains("%2f") || lowered.contains("%5c") || lowered.contains("\\") { return true }
            return path.split(separator: "/", omittingEmptySubsequences: false).contains { $0 == "." || $0 == ".." }
        }
        let pieces = ["/", ".", "..", "...", "a", "%", "%2", "%2e", "%2E", "%2f", "%2F", "%5c", "%5C", "%5d", "%3e", "\\", ".a", "é"]
        var paths = [""]
        for _ in 0..<4 { paths = paths.flatMap { path in pieces.map { path + $0 } } }
        var disagreements: [String] = []
        for path in paths where GatewayRoute.hasTraversal("/api" + path) != plainly("/api" + path) { disagreements.append(path) }
        #expect(disagreements.isEmpty, "\(disagreements.prefix(10))")
        #expect(paths.count == 104_976)
    }

    @Test func onlyTheGatewaysOwnPageAndConfiguredOriginsOpenTheWebSocket() {
        let origins = WebSocketOrigins(allowed: ["https://campus.example.edu"])
        #expect(origins.allows("http://127.0.0.1:5001", host: "127.0.0.1:5001"))
        #expect(origins.allows("https://campus.example.edu", host: "gateway.internal:5001"))
        #expect(origins.allows("https://campus.example.edu/", host: nil))
        #expect(origins.allows("https://hub.example.edu", host: "hub.example.edu"))
        #expect(origins.allows("ws://127.0.0.1", host: "127.0.0.1:5001"), "a WebSocket library's own origin")
        for foreign in ["https://evil.example", "http://evil.example", "null", "http://127.0.0.1.evil.example", "http://127.0.0.1:5002"] {
            #expect(!origins.allows(foreign, host: "127.0.0.1:5001"), "\(foreign)")
        }
    }

    @Test func aChangedAccountEndsTokensIssuedBeforeIt() {
        func identity(issuedAt seconds: TimeInterval) -> Identity {
            Identity(
                userID: "5", email: "t@x.io", name: "T", role: .technician, tokenID: "j", expiresAt: .distantFuture,
                issuedAt: Date(timeIntervalSince1970: seconds))
        }
        let cutoff = AccountStanding.active(tokensValidAfter: Date(timeIntervalSince1970: 1_000))
        #expect(cutoff.refusal(of: identity(issuedAt: 999))?.code == "token_ended")
        #expect(cutoff.refusal(of: identity(issuedAt: 1_000)) == nil)
        #expect(AccountStanding.active(tokensValidAfter: nil).refusal(of: identity(issuedAt: 1)) == nil)
        #expect(AccountStanding.deleted.refusal(of: identity(issuedAt: 2_000))?.code == "account_deleted")
    }
}
