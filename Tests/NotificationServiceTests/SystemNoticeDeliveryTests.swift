import CampusKit
import CampusTesting
import FluentKit
import Foundation
import Hummingbird
import HummingbirdTesting
import NIOHTTP1
import NotificationService
import Testing
import UserService

/// System notices travel from user management to the notification service through the outbox,
/// over real HTTP, and a notification service that is down delays them without losing any.
@Suite struct SystemNoticeDeliveryTests {
    /// Polls until `condition` holds (delivery is asynchronous); fails after `attempts`.
    func eventually(_ what: String, attempts: Int = 150, _ condition: () async throws -> Bool) async throws {
        for _ in 0..<attempts {
            if try await condition() { return }
            try await Task.sleep(for: .milliseconds(100))
        }
        Issue.record("timed out waiting for \(what)")
    }

    /// Answers every notice with 503 while holding the notification service's port.
    static func standIn(port: Int) -> some ApplicationProtocol {
        let router = Router()
        router.get("/health/ready") { _, _ -> HTTPResponse.Status in .ok }
        router.post("/notifications") { _, _ -> HTTPResponse.Status in .serviceUnavailable }
        return Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: port)))
    }

    @Test(arguments: TestDatabase.backends)
    func noticesWaitForADownNotificationServiceAndArriveOnce(_ backend: TestDatabase.Backend) async throws {
        let notificationPort = try TestRuntime.unusedPort()
        let runtime = await TestRuntime.make { settings in
            settings.endpoints[.notification] = .init(host: "127.0.0.1", port: notificationPort)
            settings.bindAddress = "127.0.0.1"
        }
        let admin = try await TestRuntime.token(runtime, userID: "1", role: .admin)
        let usersDatabase = try TestDatabase.make(backend)
        let users = try await UserService.buildApplication(runtime: runtime, database: usersDatabase)
        try await users.test(.live) { usersClient in
            // The notification service is down: a stand-in holds its port and answers 503, so the
            // sender retries as it would for a missing service, and no other test's server (suites run
            // side by side) can take the port meanwhile. Three accounts are created and one deleted.
            let db = try usersDatabase.database(logger: runtime.logger(for: .users))
            try await RunningApplication.with(Self.standIn(port: notificationPort), port: notificationPort) {
                for name in ["ana", "ben", "cai"] {
                    try await usersClient.execute(
                        uri: "/users", method: .post, headers: bearer(admin),
                        body: jsonBody(["email": "\(name)@example.com", "name": name, "password": "long-enough", "role": "student"])
                    ) { response in
                        #expect(response.status == .created)
                    }
                }
                try await usersClient.execute(uri: "/users/5", method: .delete, headers: bearer(admin)) { response in
                    #expect(response.status == .noContent)
                }
                // Bounded well above what an idle machine needs (under a second): a loaded one is slow
                // (75 s was not enough twice, with 59 suites and two builds sharing two cores). The
                // bound is only reached on failure; a passing run returns as soon as the state holds.
                // At least one attempt, not one per notice: once failures open the sender's circuit breaker,
                // notices still due wait, uncounted, for the breaker's trial call (OutboxDeliverer), and
                // which of them a pass reached before it opened depends on how fast the machine is (all
                // four on an idle one; on a loaded one only the first, which then took every trial).
                try await eventually("a failed delivery attempt", attempts: 3000) {
                    try await OutboxEvent.query(on: db).filter(\.$attempts >= 1).count() >= 1
                }
                #expect(try await OutboxEvent.query(on: db).filter(\.$state == .pending).count() == 4)
            }

            // The notification service comes up on its port: every notice arrives, once.
            var settings = runtime.settings
            settings.endpoints[.users] = .init(host: "127.0.0.1", port: try #require(usersClient.port))
            let notificationRuntime = ServiceRuntime(settings: settings, tokens: runtime.tokens, http: runtime.http)
            let notifications = try await NotificationService.buildApplication(runtime: notificationRuntime, database: try TestDatabase.make(backend))
            let base = "http://127.0.0.1:\(notificationPort)"
            try await RunningApplication.with(notifications, port: notificationPort) {
                // The sender retries with exponential backoff (2^attempts s, at most 60 s), and a
                // slow machine may have made several attempts while the receiver was down: wait
                // for the state, bounded above the longest backoff, not for a share of it.
                try await eventually("every outbox event delivered", attempts: 3000) {
                    try await OutboxEvent.query(on: db).filter(\.$state == .delivered).count() == 4
                }
                let list = try await RunningApplication.request(.GET, base + "/notifications", token: admin)
                let titles = list.jsonArray.compactMap { $0["title"] as? String }
                #expect(titles.filter { $0 == "New user account" }.count == 3)
                #expect(titles.filter { $0 == "User account deleted" }.count == 1)
                #expect(list.headers.first(name: "X-Total-Count") == "4")
                // Students see none of the admins' notices.
                let student = try await TestRuntime.token(runtime, userID: "3", role: .student)
                let count = try await RunningApplication.request(.GET, base + "/notifications/unread-count", token: student)
                #expect(count.json["count"] as? Int == 0)
                // An admin's notice to a user checks with user management that the user exists.
                let hello = try await RunningApplication.request(
                    .POST, base + "/notifications", token: admin,
                    json: ["title": "Hello", "message": "Hi Sam", "audience": ["user_id": "3"]])
                #expect(hello.status == 201)
                let nobody = try await RunningApplication.request(
                    .POST, base + "/notifications", token: admin,
                    json: ["title": "Hello", "message": "Hi?", "audience": ["user_id": "424242"]])
                #expect(nobody.status == 422)
                #expect((nobody.json["detail"] as? String)?.hasPrefix("audience.user_id:") == true)
            }
        }
    }

}
