import CampusKit
import CampusTesting
import FluentKit
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

@testable import UserService

/// `GET`/`PUT /users/{id}/courses` through HTTP on both databases: the GPA calculator's rows come
/// back as saved, exact; only their owner reads or writes them; bad lists change nothing.
@Suite struct SavedCoursesTests {
    /// Seeded ids: 1 admin, 2 faculty, 3 student, 4 technician.
    func harness(_ backend: TestDatabase.Backend) async throws -> (app: any ApplicationProtocol, database: DatabaseProvider, tokens: [Role: String]) {
        let runtime = await TestRuntime.make()
        let database = try TestDatabase.make(backend)
        let app = try await buildApplication(runtime: runtime, database: database)
        var tokens: [Role: String] = [:]
        for (id, role) in [("1", Role.admin), ("2", .faculty), ("3", .student), ("4", .technician)] {
            tokens[role] = try await TestRuntime.token(runtime, userID: id, role: role)
        }
        return (app, database, tokens)
    }

    static var list: JSONObject {
        [
            "courses": [
                ["name": "  Calculus I ", "grade": "d", "credits": 3, "retake_of": NSNull()],
                ["name": "Physics", "grade": "A-", "credits": 4.5],
                ["name": "Calculus I", "grade": "B", "credits": 3, "retake_of": 0],
                ["name": "Half typed", "grade": "", "credits": NSNull()],
            ],
            "previous_gpa": 3.25, "previous_credits": 30,
        ]
    }

    @Test(arguments: TestDatabase.backends)
    func theOwnerSavesAndReadsBackTheirRows(_ backend: TestDatabase.Backend) async throws {
        let h = try await harness(backend)
        try await h.app.test(.router) { client in
            try await client.execute(uri: "/users/3/courses", method: .get, headers: bearer(h.tokens[.student]!)) { response in
                #expect(response.status == .ok)
                #expect(response.json["courses"] as? [Any] != nil && (response.json["courses"] as? [Any])?.isEmpty == true)
                #expect(response.json["saved_at"] is NSNull && response.json["previous_gpa"] is NSNull)
            }
            var savedAt = ""
            try await client.execute(uri: "/users/3/courses", method: .put, headers: bearer(h.tokens[.student]!), body: jsonBody(Self.list)) { response in
                #expect(response.status == .ok)
                savedAt = response.json["saved_at"] as? String ?? ""
                #expect(!savedAt.isEmpty)
            }
            try await client.execute(uri: "/users/3/courses", method: .get, headers: bearer(h.tokens[.student]!)) { response in
                #expect(response.status == .ok)
                let courses = response.json["courses"] as? [JSONObject] ?? []
                #expect(courses.map { $0["name"] as? String } == ["Calculus I", "Physics", "Calculus I", "Half typed"])
                #expect(courses.map { $0["grade"] as? String } == ["D", "A-", "B", ""])
                #expect(courses[2]["retake_of"] as? Int == 0 && courses[0]["retake_of"] is NSNull)
                #expect(courses[3]["credits"] is NSNull)
                // exact decimals, as written
                #expect(response.text.contains("\"credits\":4.5") && response.text.contains("\"previous_gpa\":3.25"))
                #expect(response.json["saved_at"] as? String == savedAt)
            }
            // the faculty member's list is their own
            try await client.execute(uri: "/users/2/courses", method: .get, headers: bearer(h.tokens[.faculty]!)) { response in
                #expect(response.status == .ok)
                #expect((response.json["courses"] as? [Any])?.isEmpty == true)
            }
            // clearing is saving an empty list
            try await client.execute(uri: "/users/3/courses", method: .put, headers: bearer(h.tokens[.student]!), body: jsonBody(["courses": []])) { response in
                #expect(response.status == .ok)
            }
            try await client.execute(uri: "/users/3/courses", method: .get, headers: bearer(h.tokens[.student]!)) { response in
                #expect((response.json["courses"] as? [Any])?.isEmpty == true)
                #expect(response.json["previous_credits"] is NSNull)
            }
        }
        await h.database.shutdown()
    }

    /// Two devices: the second's save based on an older version is refused, not silently lost.
    @Test(arguments: TestDatabase.backends)
    func aSaveBasedOnAnOlderVersionIsRefused(_ backend: TestDatabase.Backend) async throws {
        let h = try await harness(backend)
        let student = bearer(h.tokens[.student]!)
        @Sendable func withIfMatch(_ value: String) -> HTTPFields {
            var headers = student
            headers[.ifMatch] = value
            return headers
        }
        try await h.app.test(.router) { client in
            try await client.execute(uri: "/users/3/courses", method: .get, headers: student) { response in
                #expect(response.headers[.eTag] == "\"0\"" && response.json["version"] as? Int == 0)
            }
            // device A saves over version 0
            try await client.execute(uri: "/users/3/courses", method: .put, headers: withIfMatch("\"0\""), body: jsonBody(Self.list)) { response in
                #expect(response.status == .ok)
                #expect(response.headers[.eTag] == "\"1\"" && response.json["version"] as? Int == 1)
            }
            // device B, which read version 0, is told instead of overwriting A's list
            try await client.execute(uri: "/users/3/courses", method: .put, headers: withIfMatch("\"0\""), body: jsonBody(["courses": []])) { response in
                #expect(response.status == .preconditionFailed)
                #expect(response.problemCode == "courses_changed")
            }
            try await client.execute(uri: "/users/3/courses", method: .get, headers: student) { response in
                #expect((response.json["courses"] as? [Any])?.count == 4)
                #expect(response.headers[.eTag] == "\"1\"")
            }
            // a malformed If-Match is a 400, and changes nothing
            for bad in ["1", "\"one\"", "*", "\"-1\""] {
                try await client.execute(uri: "/users/3/courses", method: .put, headers: withIfMatch(bad), body: jsonBody(["courses": []])) { response in
                    #expect(response.status == .badRequest, "\(bad)")
                    #expect(response.problemCode == "bad_if_match")
                }
            }
            // without If-Match a save replaces whatever is there
            try await client.execute(uri: "/users/3/courses", method: .put, headers: student, body: jsonBody(["courses": []])) { response in
                #expect(response.status == .ok)
                #expect(response.json["version"] as? Int == 2)
            }
        }
        await h.database.shutdown()
    }

    @Test(arguments: TestDatabase.backends)
    func nobodyElseReadsOrWritesThem(_ backend: TestDatabase.Backend) async throws {
        let h = try await harness(backend)
        try await h.app.test(.router) { client in
            try await client.execute(uri: "/users/3/courses", method: .put, headers: bearer(h.tokens[.student]!), body: jsonBody(Self.list)) { response in
                #expect(response.status == .ok)
            }
            // another user: no such user, for them
            for method in [HTTPRequest.Method.get, .put] {
                try await client.execute(uri: "/users/3/courses", method: method, headers: bearer(h.tokens[.faculty]!), body: jsonBody(["courses": []])) {
                    response in
                    #expect(response.status == .notFound, "\(method)")
                }
                // an administrator knows the user exists, but grades are private
                try await client.execute(uri: "/users/3/courses", method: method, headers: bearer(h.tokens[.admin]!), body: jsonBody(["courses": []])) {
                    response in
                    #expect(response.status == .forbidden, "\(method)")
                    #expect(response.problemCode == "courses_private")
                }
            }
            // roles without the GPA calculator keep no courses
            try await client.execute(uri: "/users/4/courses", method: .put, headers: bearer(h.tokens[.technician]!), body: jsonBody(["courses": []])) {
                response in
                #expect(response.status == .forbidden)
            }
            try await client.execute(uri: "/users/3/courses", method: .get, headers: bearer(h.tokens[.student]!)) { response in
                #expect((response.json["courses"] as? [Any])?.count == 4, "someone else's request changed the list")
            }
        }
        await h.database.shutdown()
    }

    @Test(arguments: TestDatabase.backends)
    func aBadListIsRefusedAndChangesNothing(_ backend: TestDatabase.Backend) async throws {
        let h = try await harness(backend)
        try await h.app.test(.router) { client in
            try await client.execute(uri: "/users/3/courses", method: .put, headers: bearer(h.tokens[.student]!), body: jsonBody(Self.list)) { response in
                #expect(response.status == .ok)
            }
            let cases: [(JSONObject, String)] = [
                (["courses": [["name": "X", "grade": "Z", "credits": 3]]], "courses[0].grade:"),
                (["courses": [["name": "X", "grade": "A", "credits": 0]]], "courses[0].credits:"),
                (["courses": [["name": "X", "grade": "A", "credits": 31]]], "courses[0].credits:"),
                (["courses": [["name": "X", "grade": "A", "credits": 3, "retake_of": 0]]], "courses[0].retake_of:"),
                (["courses": [["grade": "F"], ["grade": "D", "retake_of": 0], ["grade": "C", "retake_of": 0]]], "courses[2].retake_of:"),
                (["courses": [["name": String(repeating: "n", count: 201), "grade": "A"]]], "courses[0].name:"),
                (["courses": [], "previous_gpa": 4.5], "previous_gpa:"),
                (["courses": [], "previous_credits": -1], "previous_credits:"),
                (["courses": Array(repeating: ["grade": "A"] as JSONObject, count: 101)], "courses:"),
                (["courses": [["grade": "A", "retake": 0]]], "retake:"),
                (["courses": "all of them"], ""),
            ]
            for (body, marker) in cases {
                try await client.execute(uri: "/users/3/courses", method: .put, headers: bearer(h.tokens[.student]!), body: jsonBody(body)) { response in
                    #expect(response.status == .unprocessableContent, "\(body)")
                    #expect(response.isProblem)
                    #expect((response.json["detail"] as? String)?.hasPrefix(marker) == true, "\(response.text)")
                }
            }
            try await client.execute(uri: "/users/3/courses", method: .get, headers: bearer(h.tokens[.student]!)) { response in
                #expect((response.json["courses"] as? [JSONObject])?.map { $0["grade"] as? String } == ["D", "A-", "B", ""])
            }
        }
        await h.database.shutdown()
    }

    @Test(arguments: TestDatabase.backends)
    func deletingTheAccountDeletesItsList(_ backend: TestDatabase.Backend) async throws {
        let h = try await harness(backend)
        try await h.app.test(.router) { client in
            try await client.execute(uri: "/users/3/courses", method: .put, headers: bearer(h.tokens[.student]!), body: jsonBody(Self.list)) { response in
                #expect(response.status == .ok)
            }
            try await client.execute(uri: "/users/3", method: .delete, headers: bearer(h.tokens[.admin]!)) { response in
                #expect(response.status == .noContent)
            }
            let left = try await SavedCoursesRecord.query(on: h.database.database(logger: .init(label: "test"))).count()
            #expect(left == 0)
        }
        await h.database.shutdown()
    }
}
