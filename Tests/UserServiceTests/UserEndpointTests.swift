import CampusKit
import CampusTesting
import FluentKit
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

@testable import UserService

/// docs/contract.md §5 through HTTP, in process, on a real SQLite file with the default users seeded.
@Suite struct UserEndpointTests {
    struct Harness {
        let runtime: ServiceRuntime
        let database: DatabaseProvider
        let app: any ApplicationProtocol
        var admin: String
        var student: String
        var studentID = "3"
    }

    func harness(backend: TestDatabase.Backend = .sqlite) async throws -> Harness {
        let runtime = await TestRuntime.make()
        let database = try TestDatabase.make(backend)
        let app = try await buildApplication(runtime: runtime, database: database)
        return Harness(
            runtime: runtime, database: database, app: app,
            admin: try await TestRuntime.token(runtime, userID: "1", role: .admin, email: "admin@example.com"),
            student: try await TestRuntime.token(runtime, userID: "3", role: .student, email: "student@example.com")
        )
    }

    /// Every response body must be free of passwords and hashes.
    func expectNoSecrets(_ response: TestResponse) {
        #expect(!response.text.contains("password"))
        #expect(!response.text.contains("$2b$") && !response.text.contains("$2a$") && !response.text.contains("$2y$"))
    }

    @Test func adminListsSeededUsersWithTotalAndPages() async throws {
        let h = try await harness()
        try await h.app.test(.router) { client in
            try await client.execute(uri: "/users", method: .get, headers: bearer(h.admin)) { response in
                #expect(response.status == .ok)
                #expect(response.headers[.totalCount] == "4")
                let emails = response.jsonArray.compactMap { $0["email"] as? String }
                #expect(emails == ["admin@example.com", "faculty@example.com", "student@example.com", "tech@example.com"])
                #expect(Set(response.jsonArray.first?.keys.map { $0 } ?? []) == ["id", "email", "name", "role", "created_at"])
                expectNoSecrets(response)
            }
            try await client.execute(uri: "/users?limit=1&offset=1", method: .get, headers: bearer(h.admin)) { response in
                #expect(response.jsonArray.count == 1)
                #expect(response.jsonArray.first?["email"] as? String == "faculty@example.com")
                #expect(response.headers[.totalCount] == "4")
            }
            try await client.execute(uri: "/users?role=technician", method: .get, headers: bearer(h.admin)) { response in
                #expect(response.headers[.totalCount] == "1")
            }
            for bad in ["limit=-1", "limit=abc", "offset=-2", "role=wizard"] {
                try await client.execute(uri: "/users?\(bad)", method: .get, headers: bearer(h.admin)) { response in
                    #expect(response.status == .unprocessableContent, "\(bad)")
                }
            }
        }
    }

    @Test func studentCannotReachAdminRoutesNorSeeOthers() async throws {
        let h = try await harness()
        try await h.app.test(.router) { client in
            try await client.execute(uri: "/users", method: .get, headers: bearer(h.student)) { response in
                #expect(response.status == .forbidden)
                #expect(response.problemCode == "role_not_allowed")
            }
            try await client.execute(
                uri: "/users", method: .post, headers: bearer(h.student),
                body: jsonBody(["email": "x@example.com", "name": "X", "password": "longenough", "role": "admin"])
            ) { response in
                #expect(response.status == .forbidden)
            }
            try await client.execute(uri: "/users/1", method: .get, headers: bearer(h.student)) { response in
                #expect(response.status == .notFound)
            }
            try await client.execute(uri: "/users/1", method: .put, headers: bearer(h.student), body: jsonBody(["name": "Hacked"])) { response in
                #expect(response.status == .notFound)
            }
            try await client.execute(uri: "/users/1", method: .delete, headers: bearer(h.student)) { response in
                #expect(response.status == .forbidden)
            }
            try await client.execute(uri: "/users/3", method: .get, headers: bearer(h.student)) { response in
                #expect(response.status == .ok)
                #expect(response.json["email"] as? String == "student@example.com")
                expectNoSecrets(response)
            }
            try await client.execute(uri: "/users", method: .get) { response in
                #expect(response.status == .unauthorized)
            }
        }
    }

    @Test(arguments: TestDatabase.backends)
    func adminCreatesUsersWithEveryRefusalExplained(_ backend: TestDatabase.Backend) async throws {
        let h = try await harness(backend: backend)
        try await h.app.test(.router) { client in
            try await client.execute(
                uri: "/users", method: .post, headers: bearer(h.admin),
                body: jsonBody(["email": "  Grace.Hopper@Example.com ", "name": "Grace Hopper", "password": "cobol1959", "role": "faculty"])
            ) { response in
                #expect(response.status == .created)
                #expect(response.json["email"] as? String == "grace.hopper@example.com")
                #expect(response.json["role"] as? String == "faculty")
                #expect(response.headers[.location] == "/users/\(response.json["id"] as? Int ?? -1)")
                expectNoSecrets(response)
            }
            let cases: [(JSONObject, HTTPResponse.Status, String)] = [
                (["email": "GRACE.HOPPER@example.com", "name": "G", "password": "cobol1959", "role": "faculty"], .conflict, "email_taken"),
                (["email": "not-an-email", "name": "G", "password": "cobol1959", "role": "faculty"], .unprocessableContent, "email:"),
                (["email": "a@example.com", "name": "G", "password": "short", "role": "faculty"], .unprocessableContent, "password:"),
                (
                    ["email": "a@example.com", "name": "G", "password": String(repeating: "p", count: 80), "role": "faculty"], .unprocessableContent,
                    "password:"
                ),
                (["email": "a@example.com", "name": "  ", "password": "cobol1959", "role": "faculty"], .unprocessableContent, "name:"),
                (["email": "a@example.com", "name": "G", "password": "cobol1959", "role": "service"], .unprocessableContent, "role:"),
                (["email": "a@example.com", "name": "G", "password": "cobol1959"], .unprocessableContent, "role:"),
                (["email": 5, "name": "G", "password": "cobol1959", "role": "student"], .unprocessableContent, "email:"),
            ]
            for (body, status, marker) in cases {
                try await client.execute(uri: "/users", method: .post, headers: bearer(h.admin), body: jsonBody(body)) { response in
                    #expect(response.status == status, "\(body)")
                    #expect(response.isProblem)
                    #expect(response.problemCode == marker || (response.json["detail"] as? String)?.hasPrefix(marker) == true, "\(response.text)")
                }
            }
            try await client.execute(uri: "/users", method: .post, headers: bearer(h.admin), body: ByteBuffer(string: "{oops")) { response in
                #expect(response.status == .badRequest)
            }
            try await client.execute(uri: "/users", method: .get, headers: bearer(h.admin)) { response in
                #expect(response.headers[.totalCount] == "5")
            }
            // Creating queued one notice for the admins, stored with the user.
            let events = try await OutboxEvent.query(on: h.database.database(logger: h.runtime.logger(for: .users))).all()
            #expect(events.count == 1)
            #expect(events.first?.destination == "notification")
            #expect(events.first?.payload.contains(#""role":"admin""#) == true)
            #expect(events.first?.payload.contains("grace.hopper@example.com") == true)
        }
    }

    @Test func usersUpdateTheirOwnNameAndPasswordButNotTheirRole() async throws {
        let h = try await harness()
        let gateway = try await h.runtime.tokens.issueServiceToken(for: .gateway).token
        try await h.app.test(.router) { client in
            try await client.execute(uri: "/users/3", method: .put, headers: bearer(h.student), body: jsonBody(["name": "Samira Student"])) { response in
                #expect(response.status == .ok)
                #expect(response.json["name"] as? String == "Samira Student")
            }
            try await client.execute(uri: "/users/3", method: .put, headers: bearer(h.student), body: jsonBody(["role": "admin"])) { response in
                #expect(response.status == .forbidden)
                #expect(response.problemCode == "cannot_change_own_role")
            }
            try await client.execute(uri: "/users/3", method: .put, headers: bearer(h.student), body: jsonBody(["role": "student"])) { response in
                #expect(response.status == .ok)
            }
            try await client.execute(uri: "/users/3", method: .put, headers: bearer(h.student), body: jsonBody(["password": "a-new-password"])) { response in
                #expect(response.status == .unprocessableContent)
                #expect((response.json["detail"] as? String)?.hasPrefix("current_password:") == true)
            }
            try await client.execute(
                uri: "/users/3", method: .put, headers: bearer(h.student),
                body: jsonBody(["password": "a-new-password", "current_password": "wrong-one"])
            ) { response in
                #expect(response.status == .unprocessableContent)
                #expect((response.json["detail"] as? String)?.hasPrefix("current_password:") == true)
            }
            try await client.execute(
                uri: "/users/3", method: .put, headers: bearer(h.student),
                body: jsonBody(["password": "a-new-password", "current_password": "student123"])
            ) { response in
                #expect(response.status == .ok)
                expectNoSecrets(response)
            }
            try await client.execute(
                uri: "/internal/credentials/verify", method: .post, headers: bearer(gateway),
                body: jsonBody(["email": "student@example.com", "password": "a-new-password"])
            ) { response in
                #expect(response.status == .ok)
            }
            try await client.execute(
                uri: "/internal/credentials/verify", method: .post, headers: bearer(gateway),
                body: jsonBody(["email": "student@example.com", "password": "student123"])
            ) { response in
                #expect(response.status == .unauthorized)
            }
            try await client.execute(uri: "/users/3", method: .put, headers: bearer(h.student), body: jsonBody(["email": "new@example.com"])) { response in
                #expect(response.status == .forbidden)
            }
            // An admin changes another user's role and password without the old one.
            try await client.execute(
                uri: "/users/3", method: .put, headers: bearer(h.admin),
                body: jsonBody(["role": "faculty", "password": "reset-by-admin"])
            ) { response in
                #expect(response.status == .ok)
                #expect(response.json["role"] as? String == "faculty")
            }
        }
    }

    @Test(arguments: TestDatabase.backends)
    func theLastAdminCanBeNeitherDeletedNorDemoted(_ backend: TestDatabase.Backend) async throws {
        let h = try await harness(backend: backend)
        try await h.app.test(.router) { client in
            try await client.execute(uri: "/users/1", method: .delete, headers: bearer(h.admin)) { response in
                #expect(response.status == .conflict)
                #expect(response.problemCode == "last_admin")
            }
            try await client.execute(uri: "/users/1", method: .put, headers: bearer(h.admin), body: jsonBody(["role": "faculty"])) { response in
                #expect(response.status == .conflict)
                #expect(response.problemCode == "last_admin")
            }
            try await client.execute(uri: "/users/2", method: .delete, headers: bearer(h.admin)) { response in
                #expect(response.status == .noContent)
            }
            try await client.execute(uri: "/users/2", method: .get, headers: bearer(h.admin)) { response in
                #expect(response.status == .notFound)
            }
            try await client.execute(uri: "/users/2", method: .delete, headers: bearer(h.admin)) { response in
                #expect(response.status == .notFound)
            }
            try await client.execute(uri: "/users/abc", method: .get, headers: bearer(h.admin)) { response in
                #expect(response.status == .notFound)
            }
            let events = try await OutboxEvent.query(on: h.database.database(logger: h.runtime.logger(for: .users))).all()
            #expect(events.count == 1)
            #expect(events.first?.payload.contains("faculty@example.com") == true)
        }
    }

    @Test func onlyTheGatewaysServiceTokenMayVerifyCredentials() async throws {
        let h = try await harness()
        let gateway = try await h.runtime.tokens.issueServiceToken(for: .gateway).token
        let booking = try await h.runtime.tokens.issueServiceToken(for: .booking).token
        let body = jsonBody(["email": "Admin@Example.com", "password": "admin123"])
        try await h.app.test(.router) { client in
            try await client.execute(uri: "/internal/credentials/verify", method: .post, headers: jsonHeaders, body: body) { response in
                #expect(response.status == .unauthorized)
            }
            for token in [h.admin, booking] {
                try await client.execute(uri: "/internal/credentials/verify", method: .post, headers: bearer(token), body: body) { response in
                    #expect(response.status == .forbidden)
                }
            }
            try await client.execute(uri: "/internal/credentials/verify", method: .post, headers: bearer(gateway), body: body) { response in
                #expect(response.status == .ok)
                #expect(response.json["role"] as? String == "admin")
                expectNoSecrets(response)
            }
            for (email, password) in [("admin@example.com", "wrong"), ("nobody@example.com", "admin123")] {
                try await client.execute(
                    uri: "/internal/credentials/verify", method: .post, headers: bearer(gateway),
                    body: jsonBody(["email": email, "password": password])
                ) { response in
                    #expect(response.status == .unauthorized)
                    #expect(response.problemCode == "invalid_credentials")
                }
            }
        }
    }

    @Test func everyRouteIsInTheOpenAPIDocumentWithItsStatuses() async throws {
        let runtime = await TestRuntime.make()
        let database = try TestDatabase.make(.sqlite)
        let router = buildRouter(
            runtime: runtime, repository: FluentUserRepository(provider: database, logger: runtime.logger(for: .users)),
            hasher: PasswordHasher(cost: 4), databaseCheck: {}
        )
        #expect(router.routes.count >= 10)
        #expect(OpenAPICoverage.problems(router: router, spec: UserOpenAPI.document) == [])
        await database.shutdown()
    }
}
