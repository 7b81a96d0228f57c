import CampusKit
import CampusTesting
import FluentKit
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing
import UserService

@testable import NotificationService

/// docs/contract.md §8 through HTTP.
@Suite struct NotificationEndpointTests {
    @Test(arguments: TestDatabase.backends)
    func notificationEndpointsFollowTheContract(_ backend: TestDatabase.Backend) async throws {
        let runtime = await TestRuntime.make()
        let app = try await NotificationService.buildApplication(runtime: runtime, database: try TestDatabase.make(backend))
        let admin = try await TestRuntime.token(runtime, userID: "1", role: .admin)
        let student = try await TestRuntime.token(runtime, userID: "3", role: .student)
        let otherStudent = try await TestRuntime.token(runtime, userID: "9", role: .student)
        let booking = try await runtime.tokens.issueServiceToken(for: .booking).token
        try await app.test(.router) { client in
            try await client.execute(
                uri: "/notifications", method: .post, headers: bearer(admin),
                body: jsonBody(["title": "Library closed", "message": "Closed on Monday.", "level": "warning", "audience": ["all": true]])
            ) { response in
                #expect(response.status == .created)
                #expect(response.json["read"] as? Bool == false)
                #expect((response.json["audience"] as? JSONObject)?["all"] as? Bool == true)
                #expect(response.json["level"] as? String == "warning")
                #expect(response.json["link"] is NSNull)
            }
            try await client.execute(
                uri: "/notifications", method: .post, headers: bearer(student),
                body: jsonBody(["title": "x", "message": "y", "audience": ["all": true]])
            ) { response in
                #expect(response.status == .forbidden)
            }
            let event: JSONObject = [
                "title": "Booking confirmed", "message": "Room B201, 10:00–11:00", "level": "success",
                "audience": ["user_id": "3"], "event_id": "evt-42", "link": ["kind": "booking", "id": "17"],
            ]
            try await client.execute(uri: "/notifications", method: .post, headers: bearer(booking), body: jsonBody(event)) { response in
                #expect(response.status == .created)
                #expect((response.json["link"] as? JSONObject)?["kind"] as? String == "booking")
                #expect((response.json["link"] as? JSONObject)?["id"] as? Int == 17)
            }
            // The reader's list carries the link (the list reads rows by SQL, not by the model).
            try await client.execute(uri: "/notifications", method: .get, headers: bearer(student)) { response in
                let linked = response.jsonArray.first { $0["title"] as? String == "Booking confirmed" }
                #expect((linked?["link"] as? JSONObject)?["id"] as? Int == 17)
            }
            try await client.execute(uri: "/notifications", method: .post, headers: bearer(booking), body: jsonBody(event)) { response in
                #expect(response.status == .ok)
            }
            for (body, field) in [
                (["title": "", "message": "m", "audience": ["all": true]] as JSONObject, "title:"),
                (["title": "t", "message": "m", "audience": ["role": "wizard"]], "audience.role:"),
                (["title": "t", "message": "m", "audience": ["all": true, "role": "admin"]], "audience:"),
                (["title": "t", "message": "m", "audience": [:] as JSONObject], "audience:"),
                (["title": "t", "message": "m", "level": "loud", "audience": ["all": true]], "level:"),
                (["title": "t", "message": "m"], "audience:"),
                (["title": "t", "message": "m", "audience": ["all": true], "link": ["kind": "room", "id": 1]], "link.kind:"),
                (["title": "t", "message": "m", "audience": ["all": true], "link": ["kind": "ticket", "id": "x"]], "link.id:"),
            ] {
                try await client.execute(uri: "/notifications", method: .post, headers: bearer(booking), body: jsonBody(body)) { response in
                    #expect(response.status == .unprocessableContent, "\(body)")
                    #expect((response.json["detail"] as? String)?.hasPrefix(field) == true, "\(response.text)")
                }
            }

            var ids: [Int] = []
            try await client.execute(uri: "/notifications", method: .get, headers: bearer(student)) { response in
                #expect(response.status == .ok)
                #expect(response.headers[.totalCount] == "2")
                #expect(response.jsonArray.map { $0["title"] as? String } == ["Booking confirmed", "Library closed"])
                ids = response.jsonArray.compactMap { $0["id"] as? Int }
            }
            try await client.execute(uri: "/notifications/unread-count", method: .get, headers: bearer(student)) { response in
                #expect(response.json["count"] as? Int == 2)
            }
            try await client.execute(uri: "/notifications/\(ids[0])", method: .put, headers: bearer(student), body: jsonBody(["read": true])) { response in
                #expect(response.status == .ok)
                #expect(response.json["read"] as? Bool == true)
            }
            try await client.execute(uri: "/notifications?unread=true", method: .get, headers: bearer(student)) { response in
                #expect(response.jsonArray.map { $0["title"] as? String } == ["Library closed"])
            }
            // Another student sees the broadcast unread and cannot reach the personal one.
            try await client.execute(uri: "/notifications/unread-count", method: .get, headers: bearer(otherStudent)) { response in
                #expect(response.json["count"] as? Int == 1)
            }
            try await client.execute(uri: "/notifications/\(ids[0])", method: .put, headers: bearer(otherStudent), body: jsonBody(["read": true])) { response in
                #expect(response.status == .notFound)
            }
            try await client.execute(uri: "/notifications/read-all", method: .put, headers: bearer(student)) { response in
                #expect(response.status == .ok)
                #expect(response.json["updated"] as? Int == 1)
            }
            try await client.execute(uri: "/notifications/unread-count", method: .get, headers: bearer(student)) { response in
                #expect(response.json["count"] as? Int == 0)
            }
            for uri in ["/notifications/99999", "/notifications/abc"] {
                try await client.execute(uri: uri, method: .put, headers: bearer(student), body: jsonBody(["read": true])) { response in
                    #expect(response.status == .notFound)
                }
            }
            try await client.execute(uri: "/notifications?unread=maybe", method: .get, headers: bearer(student)) { response in
                #expect(response.status == .unprocessableContent)
            }
            try await client.execute(uri: "/notifications", method: .get, headers: bearer(booking)) { response in
                #expect(response.status == .forbidden)
            }
            try await client.execute(uri: "/notifications", method: .get) { response in
                #expect(response.status == .unauthorized)
            }
        }
    }

    @Test func everyRouteIsInTheOpenAPIDocument() async throws {
        let runtime = await TestRuntime.make()
        let database = try TestDatabase.make(.sqlite)
        let repository = SQLNotificationRepository(provider: database, logger: runtime.logger(for: .notification))
        let router = buildRouter(
            runtime: runtime, repository: repository,
            events: LocalLiveEventBus(receiver: NoticeHub(repository: repository, logger: runtime.logger(for: .notification))),
            mail: SQLMailStore(provider: database, notices: repository, logger: runtime.logger(for: .notification), now: Date.init), databaseCheck: {})
        #expect(router.routes.count >= 10)
        #expect(OpenAPICoverage.problems(router: router, spec: NotificationOpenAPI.document) == [])
        await database.shutdown()
    }
}
