import CampusKit
import CampusTesting
import Foundation
import GPAService
import Hummingbird
import HummingbirdTesting
import HummingbirdWSClient
import Logging
import MaintenanceService
import NIOConcurrencyHelpers
import NIOWebSocket
import NotificationService
import Testing
import UserService

@testable import GatewayService

/// `/api/gpa/...` and `/api/notifications...` reach their services through the gateway, over HTTP.
@Suite struct GatewayRoutingTests {
    @Test func gpaAndNotificationsAreRoutedWithTheCallersToken() async throws {
        let runtime = await TestRuntime.make()
        let gpa = GPAService.buildApplication(runtime: runtime)
        let notifications = try await NotificationService.buildApplication(runtime: runtime, database: try TestDatabase.make(.sqlite))
        // The gateway asks user management whether each token's account still stands.
        let users = try await UserService.buildApplication(runtime: runtime, database: try TestDatabase.make(.sqlite))
        try await users.test(.live) { usersClient in
            try await gpa.test(.live) { gpaClient in
                try await notifications.test(.live) { notificationClient in
                    var settings = runtime.settings
                    settings.endpoints[.gpa] = .init(host: "127.0.0.1", port: try #require(gpaClient.port))
                    settings.endpoints[.notification] = .init(host: "127.0.0.1", port: try #require(notificationClient.port))
                    settings.endpoints[.users] = .init(host: "127.0.0.1", port: try #require(usersClient.port))
                    let gatewayRuntime = ServiceRuntime(settings: settings, tokens: runtime.tokens, http: runtime.http)
                    // Tokens of the seeded accounts, issued after the accounts exist (as the gateway would).
                    let student = try await TestRuntime.token(runtime, userID: "3", role: .student)
                    let admin = try await TestRuntime.token(runtime, userID: "1", role: .admin)
                    let gateway = try await GatewayService.buildApplication(
                        runtime: gatewayRuntime, database: try TestDatabase.make(.sqlite), publicDirectory: "/nonexistent")
                    try await gateway.test(.live) { client in
                        try await client.execute(
                            uri: "/api/gpa/calculate", method: .post, headers: bearer(student),
                            body: jsonBody(["courses": [["name": "Physics", "grade": "A-", "credits": 4]]])
                        ) { response in
                            #expect(response.status == .ok)
                            #expect(response.text.contains(#""gpa":3.7"#))
                        }
                        try await client.execute(uri: "/api/gpa/scale", method: .get, headers: bearer(admin)) { response in
                            #expect(response.status == .forbidden)
                        }
                        try await client.execute(
                            uri: "/api/notifications", method: .post, headers: bearer(admin),
                            body: jsonBody(["title": "Welcome", "message": "Term starts Monday", "audience": ["role": "student"]])
                        ) { response in
                            #expect(response.status == .created)
                        }
                        try await client.execute(uri: "/api/notifications/unread-count", method: .get, headers: bearer(student)) { response in
                            #expect(response.json["count"] as? Int == 1)
                        }
                        try await client.execute(uri: "/api/notifications/read-all", method: .put, headers: bearer(student)) { response in
                            #expect(response.json["updated"] as? Int == 1)
                        }
                        try await client.execute(uri: "/api/notifications?unread=true", method: .get, headers: bearer(student)) { response in
                            #expect(response.status == .ok)
                            #expect(response.headers[.totalCount] == "0")
                        }
                    }
                }
            }
        }
    }
}

/// `/api/ws` relays maintenance's WebSocket; `/api/tickets` reaches maintenance.
@Suite struct GatewayWebSocketTests {
    @Test func ticketEventsArriveThroughTheGatewaysWebSocket() async throws {
        let runtime = await TestRuntime.make { $0.endpoints[.booking] = .init(host: "127.0.0.1", port: 9) }
        let maintenance = try await MaintenanceService.buildApplication(runtime: runtime, database: try TestDatabase.make(.sqlite))
        let users = try await UserService.buildApplication(runtime: runtime, database: try TestDatabase.make(.sqlite))
        try await users.test(.live) { usersClient in
            try await maintenance.test(.live) { maintenanceClient in
                var settings = runtime.settings
                settings.endpoints[.maintenance] = .init(host: "127.0.0.1", port: try #require(maintenanceClient.port))
                settings.endpoints[.users] = .init(host: "127.0.0.1", port: try #require(usersClient.port))
                let gatewayRuntime = ServiceRuntime(settings: settings, tokens: runtime.tokens, http: runtime.http)
                let tech = try await TestRuntime.token(runtime, userID: "4", role: .technician)
                let student = try await TestRuntime.token(runtime, userID: "3", role: .student)
                let gatewayDatabase = try TestDatabase.make(.sqlite)
                let gateway = try await GatewayService.buildApplication(runtime: gatewayRuntime, database: gatewayDatabase, publicDirectory: "/nonexistent")
                try await gateway.test(.live) { client in
                    let port = try #require(client.port)
                    let messages = try await GatewayWebSocketTests.listen(port: port, token: tech) {
                        try await client.execute(
                            uri: "/api/tickets", method: .post, headers: bearer(student),
                            body: jsonBody(["title": "Water through the ceiling", "description": "onto the projector", "location": "B201"])
                        ) { response in
                            #expect(response.status == .created)
                        }
                    }
                    #expect(messages.first == #"{"type":"ready"}"#)
                    #expect(messages.contains { $0.contains("ticket.created") && $0.contains("Water through the ceiling") })
                    // A bad first message is closed with 4401, relayed as it is.
                    let close = try await WebSocketClient.connect(url: "ws://127.0.0.1:\(port)/api/ws", logger: Logger(label: "test")) { inbound, outbound, _ in
                        try await outbound.writeTextMessage(#"{"type":"auth","token":"forged"}"#)
                        for try await _ in inbound.messages(maxSize: 1 << 16) {}
                    }
                    #expect(close?.closeCode == .unknown(4401))
                    try await client.execute(uri: "/api/ws?token=garbage", method: .get) { response in
                        #expect(response.status == .unauthorized)
                    }
                    // A signed-out token in the first message is refused at the gateway (4401), not relayed.
                    try await client.execute(uri: "/auth/logout", method: .post, headers: bearer(tech)) { response in
                        #expect(response.status == .noContent)
                    }
                    let revoked = try await WebSocketClient.connect(url: "ws://127.0.0.1:\(port)/api/ws", logger: Logger(label: "test")) {
                        inbound, outbound, _ in
                        try await outbound.writeTextMessage(#"{"type":"auth","token":"\#(tech)"}"#)
                        for try await message in inbound.messages(maxSize: 1 << 16) {
                            if case .text(let text) = message { Issue.record("a revoked token was answered: \(text)") }
                        }
                    }
                    #expect(revoked?.closeCode == .unknown(4401))
                }
            }
        }
    }

    static func listen(port: Int, token: String, whenReady: @escaping @Sendable () async throws -> Void) async throws -> [String] {
        let received = NIOLockedValueBox<[String]>([])
        _ = try await WebSocketClient.connect(url: "ws://127.0.0.1:\(port)/api/ws?token=\(token)", logger: Logger(label: "test")) { inbound, outbound, _ in
            for try await message in inbound.messages(maxSize: 1 << 20) {
                guard case .text(let text) = message else { continue }
                received.withLockedValue { $0.append(text) }
                if text.contains(#""type":"ready""#) { try await whenReady() }
                if text.contains("ticket.created") { break }
            }
            try await outbound.close(.normalClosure, reason: nil)
        }
        return received.withLockedValue { $0 }
    }
}
