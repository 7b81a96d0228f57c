import CampusKit
import CampusTesting
import Foundation
import GPAService
import Hummingbird
import HummingbirdTesting
import NotificationService
import Testing
@testable import GatewayService

/// `/api/gpa/...` and `/api/notifications...` reach their services through the gateway, over HTTP.
@Suite struct GatewayRoutingTests {
    @Test func gpaAndNotificationsAreRoutedWithTheCallersToken() async throws {
        let runtime = await TestRuntime.make()
        let student = try await TestRuntime.token(runtime, userID: "3", role: .student)
        let admin = try await TestRuntime.token(runtime, userID: "1", role: .admin)
        let gpa = GPAService.buildApplication(runtime: runtime)
        let notifications = try await NotificationService.buildApplication(runtime: runtime, database: try TestDatabase.make(.sqlite))
        try await gpa.test(.live) { gpaClient in
            try await notifications.test(.live) { notificationClient in
                var settings = runtime.settings
                settings.endpoints[.gpa] = .init(host: "127.0.0.1", port: try #require(gpaClient.port))
                settings.endpoints[.notification] = .init(host: "127.0.0.1", port: try #require(notificationClient.port))
                let gatewayRuntime = ServiceRuntime(settings: settings, tokens: runtime.tokens, http: runtime.http,
                                                    deployedServices: [.gateway, .gpa, .notification])
                let gateway = try await GatewayService.buildApplication(runtime: gatewayRuntime, database: try TestDatabase.make(.sqlite), publicDirectory: "/nonexistent")
                try await gateway.test(.live) { client in
                    try await client.execute(uri: "/api/gpa/calculate", method: .post, headers: bearer(student),
                                             body: jsonBody(["courses": [["name": "Physics", "grade": "A-", "credits": 4]]])) { response in
                        #expect(response.status == .ok)
                        #expect(response.text.contains(#""gpa":3.7"#))
                    }
                    try await client.execute(uri: "/api/gpa/scale", method: .get, headers: bearer(admin)) { response in
                        #expect(response.status == .forbidden)
                    }
                    try await client.execute(uri: "/api/notifications", method: .post, headers: bearer(admin),
                                             body: jsonBody(["title": "Welcome", "message": "Term starts Monday", "audience": ["role": "student"]])) { response in
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
