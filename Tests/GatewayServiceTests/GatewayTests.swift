import CampusKit
import CampusTesting
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import JWTKit
import Testing
import UserService

@testable import GatewayService

/// The gateway in front of a real user-management service, over real HTTP on loopback.
@Suite struct GatewayTests {
    struct Services: Sendable {
        let runtime: ServiceRuntime
        let clock: TestClock
        let client: any TestClientProtocol
    }

    func login(_ client: any TestClientProtocol, _ email: String, _ password: String) async throws -> TestResponse {
        try await client.execute(uri: "/auth/login", method: .post, headers: jsonHeaders, body: jsonBody(["email": email, "password": password])) { $0 }
    }

    /// `/api/status`'s services, name → status.
    static func statuses(_ response: TestResponse) -> [String: String] {
        let services = response.json["services"] as? [JSONObject] ?? []
        return Dictionary(services.map { ($0["name"] as? String ?? "", $0["status"] as? String ?? "") }, uniquingKeysWith: { first, _ in first })
    }

    func token(_ response: TestResponse) throws -> String {
        try #require(response.json["access_token"] as? String)
    }

    /// Starts user management (live), then the gateway (live) pointed at it.
    func withServices(
        backend: TestDatabase.Backend = .sqlite, usersUp: Bool = true, configure: @escaping (inout Settings) -> Void = { _ in },
        _ body: @escaping @Sendable (Services) async throws -> Void
    ) async throws {
        let base = await TestRuntime.make(configure)
        let clock = TestClock()
        @Sendable func runGateway(usersPort: Int) async throws {
            var settings = base.settings
            settings.endpoints[.users] = .init(host: "127.0.0.1", port: usersPort)
            let runtime = ServiceRuntime(settings: settings, tokens: base.tokens, http: base.http)
            let gateway = try await GatewayService.buildApplication(
                runtime: runtime, database: try TestDatabase.make(backend), publicDirectory: "/nonexistent", now: { clock.now }
            )
            try await gateway.test(.live) { client in try await body(Services(runtime: runtime, clock: clock, client: client)) }
        }
        if usersUp {
            let users = try await UserService.buildApplication(runtime: base, database: try TestDatabase.make(backend))
            try await users.test(.live) { usersClient in try await runGateway(usersPort: try #require(usersClient.port)) }
        } else {
            try await runGateway(usersPort: try TestRuntime.refusingPort())
        }
    }

    @Test func loginReturnsAVerifiableTokenWithTheContractClaims() async throws {
        try await withServices { (s: Services) async throws in
            let response = try await login(s.client, "Admin@Example.com", "admin123")
            #expect(response.status == .ok)
            #expect(response.json["token_type"] as? String == "Bearer")
            #expect(response.json["expires_in"] as? Int == 86400)
            let user = try #require(response.json["user"] as? JSONObject)
            #expect(user["email"] as? String == "admin@example.com")
            #expect(user["role"] as? String == "admin")
            #expect(!response.text.contains("password") && !response.text.contains("$2b$"))
            let claims = try await s.runtime.tokens.verify(try token(response))
            #expect(claims.sub.value == String(user["id"] as? Int ?? -1))
            #expect(claims.email == "admin@example.com" && claims.role == .admin && claims.iss.value == "campus-services-hub")
            #expect(!claims.jti.value.isEmpty)
        }
    }

    @Test func wrongPasswordAndUnknownEmailGetTheSameAnswer() async throws {
        try await withServices { (s: Services) async throws in
            let wrong = try await login(s.client, "student@example.com", "not-it")
            let unknown = try await login(s.client, "nobody@example.com", "not-it")
            #expect(wrong.status == .unauthorized && unknown.status == .unauthorized)
            #expect(wrong.problemCode == "invalid_credentials")
            #expect(wrong.json["detail"] as? String == unknown.json["detail"] as? String)
            #expect(wrong.problemCode == unknown.problemCode)
        }
    }

    @Test(arguments: TestDatabase.backends)
    func theFifthFailureLocksTheAccountUntilTheLockExpires(_ backend: TestDatabase.Backend) async throws {
        try await withServices(backend: backend) { (s: Services) async throws in
            for attempt in 1...4 {
                let response = try await login(s.client, "student@example.com", "guess-\(attempt)")
                #expect(response.status == .unauthorized, "attempt \(attempt): \(response.text)")
            }
            let fifth = try await login(s.client, "STUDENT@example.com", "guess-5")
            #expect(fifth.status.code == 423)
            #expect(fifth.problemCode == "account_locked")
            #expect(Int(fifth.headers[.retryAfter] ?? "") ?? 0 > 800)
            // Even the right password is refused while locked.
            let right = try await login(s.client, "student@example.com", "student123")
            #expect(right.status.code == 423)
            // Other accounts are not affected.
            #expect(try await login(s.client, "faculty@example.com", "faculty123").status == .ok)

            s.clock.advance(by: 15 * 60 + 1)
            #expect(try await login(s.client, "student@example.com", "student123").status == .ok)
            // The lock started a fresh count: one failure does not lock again.
            #expect(try await login(s.client, "student@example.com", "oops").status == .unauthorized)
        }
    }

    @Test func unknownEmailsLockTooSoTheLockRevealsNothing() async throws {
        try await withServices { (s: Services) async throws in
            for _ in 1...4 { #expect(try await login(s.client, "ghost@example.com", "x").status == .unauthorized) }
            #expect(try await login(s.client, "ghost@example.com", "x").status.code == 423)
        }
    }

    @Test func failuresSpreadOverMoreThanFifteenMinutesDoNotLock() async throws {
        try await withServices { (s: Services) async throws in
            for _ in 1...4 { #expect(try await login(s.client, "tech@example.com", "x").status == .unauthorized) }
            s.clock.advance(by: 16 * 60)
            #expect(try await login(s.client, "tech@example.com", "x").status == .unauthorized)
            #expect(try await login(s.client, "tech@example.com", "tech123").status == .ok)
        }
    }

    @Test func loginAttemptsAreRateLimitedPerAddress() async throws {
        try await withServices(configure: { $0.loginRatePerMinute = 3 }) { (s: Services) async throws in
            for index in 1...3 {
                #expect(try await login(s.client, "user\(index)@example.com", "x").status == .unauthorized)
            }
            let limited = try await login(s.client, "admin@example.com", "admin123")
            #expect(limited.status == .tooManyRequests)
            #expect(limited.problemCode == "rate_limited")
            #expect((Int(limited.headers[.retryAfter] ?? "") ?? 0) > 0)
        }
    }

    @Test(arguments: TestDatabase.backends)
    func meAnswersTheUserAndLogoutRevokesTheToken(_ backend: TestDatabase.Backend) async throws {
        try await withServices(backend: backend) { (s: Services) async throws in
            let bearerToken = try token(try await login(s.client, "faculty@example.com", "faculty123"))
            try await s.client.execute(uri: "/auth/me", method: .get, headers: bearer(bearerToken)) { response in
                #expect(response.status == .ok, "\(response.text)")
                #expect(response.json["email"] as? String == "faculty@example.com")
                #expect(response.json["role"] as? String == "faculty")
            }
            try await s.client.execute(uri: "/auth/me", method: .get) { response in
                #expect(response.status == .unauthorized)
            }
            try await s.client.execute(uri: "/auth/logout", method: .post, headers: bearer(bearerToken)) { response in
                #expect(response.status == .noContent)
            }
            for uri in ["/auth/me", "/api/users/2"] {
                try await s.client.execute(uri: uri, method: .get, headers: bearer(bearerToken)) { response in
                    #expect(response.status == .unauthorized, "\(uri)")
                    #expect(response.problemCode == "token_revoked")
                }
            }
        }
    }

    @Test func apiUsersIsRoutedToUserManagementOverHTTP() async throws {
        try await withServices { (s: Services) async throws in
            let admin = try token(try await login(s.client, "admin@example.com", "admin123"))
            let student = try token(try await login(s.client, "student@example.com", "student123"))
            try await s.client.execute(uri: "/api/users?limit=2", method: .get, headers: bearer(admin, [.requestID: "walkthrough-1"])) { response in
                #expect(response.status == .ok)
                #expect(response.headers[.totalCount] == "4")
                #expect(response.jsonArray.count == 2)
                #expect(response.headers[.requestID] == "walkthrough-1")
            }
            try await s.client.execute(
                uri: "/api/users", method: .post, headers: bearer(admin),
                body: jsonBody(["email": "new@example.com", "name": "New", "password": "long-enough", "role": "student"])
            ) { response in
                #expect(response.status == .created)
                #expect(response.json["email"] as? String == "new@example.com")
            }
            try await s.client.execute(uri: "/api/users", method: .post, headers: bearer(admin), body: ByteBuffer(string: "{")) { response in
                #expect(response.status == .badRequest)
                #expect(response.isProblem)
            }
            try await s.client.execute(uri: "/api/users", method: .get, headers: bearer(student)) { response in
                #expect(response.status == .forbidden)
            }
            try await s.client.execute(uri: "/api/users/1", method: .get, headers: bearer(student)) { response in
                #expect(response.status == .notFound)
            }
            // The new account can sign in through the gateway.
            #expect(try await login(s.client, "new@example.com", "long-enough").status == .ok)
        }
    }

    /// A forward passes the answer on as it arrives: a 17 MiB answer of unknown length (beyond the
    /// 16 MiB a collected reply may hold) arrives whole and byte for byte, a large one keeps its
    /// length, a small one is whole; the downstream here is a plain Hummingbird server standing in
    /// for the booking service, over real HTTP.
    @Test func answersOfAnySizeArePassedOnAsTheyArrive() async throws {
        // Each MiB filled with its own byte, so a chunk lost, doubled or out of order shows (and no
        // byte-by-byte loop: this test shares the process's event loops with every other suite).
        let chunks = (0..<17).map { ByteBuffer(repeating: UInt8(truncatingIfNeeded: 0x41 + $0), count: 1024 * 1024) }
        let sized = ByteBuffer(repeating: 0x7A, count: 200 * 1024)
        let router = Router()
        router.get("/rooms/unsized") { _, _ in
            Response(
                status: .ok, headers: [.contentType: "application/octet-stream"],
                body: ResponseBody { writer in
                    for chunk in chunks { try await writer.write(chunk) }
                    try await writer.finish(nil)
                })
        }
        router.get("/rooms/sized") { _, _ in Response(status: .ok, headers: [.contentType: "application/octet-stream"], body: .init(byteBuffer: sized)) }
        router.get("/rooms/small") { _, _ in
            Response(status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(string: "[]")))
        }
        router.head("/rooms/small") { _, _ in Response(status: .ok, headers: [.contentType: "application/json", .contentLength: "2"]) }
        try await Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0))).test(.live) { booking in
            let port = try #require(booking.port)
            try await withServices(configure: { $0.endpoints[.booking] = .init(host: "127.0.0.1", port: port) }) { (s: Services) async throws in
                try await s.client.execute(uri: "/api/rooms/unsized", method: .get) { response in
                    #expect(response.status == .ok)
                    #expect(response.headers[.contentType] == "application/octet-stream")
                    #expect(response.body.readableBytes == 17 * 1024 * 1024)
                    #expect((0..<17).allSatisfy { response.body.getSlice(at: response.body.readerIndex + $0 * 1024 * 1024, length: 1024 * 1024) == chunks[$0] })
                }
                try await s.client.execute(uri: "/api/rooms/sized", method: .get) { response in
                    #expect(response.status == .ok)
                    #expect(response.headers[.contentLength] == "\(sized.readableBytes)")
                    #expect(response.body == sized)
                }
                try await s.client.execute(uri: "/api/rooms/small", method: .get) { response in
                    #expect(response.status == .ok)
                    #expect(response.headers[.contentLength] == "2")
                    #expect(String(buffer: response.body) == "[]")
                }
                try await s.client.execute(uri: "/api/rooms/small", method: .head) { response in
                    #expect(response.status == .ok)
                    #expect(response.body.readableBytes == 0)
                }
            }
        }
    }

    @Test func unreachableServicesAnswer503AndUnknownPrefixes404() async throws {
        // Nothing listens where booking, gpa, notification and maintenance are said to be.
        let nowhere = try TestRuntime.refusingPort()
        try await withServices(configure: { settings in
            for service in [ServiceName.booking, .gpa, .notification, .maintenance] { settings.endpoints[service] = .init(host: "127.0.0.1", port: nowhere) }
        }) { (s: Services) async throws in
            for path in ["/api/rooms", "/api/bookings/available", "/api/gpa/calculate", "/api/notifications", "/api/tickets/1", "/api/triage"] {
                try await s.client.execute(uri: path, method: .get) { response in
                    #expect(response.status == .serviceUnavailable, "\(path)")
                    #expect(response.problemCode == "dependency_unavailable")
                }
            }
            for path in ["/api/nothing", "/api/usersx", "/nowhere"] {
                try await s.client.execute(uri: path, method: .get) { response in
                    #expect(response.status == .notFound, "\(path)")
                    #expect(response.isProblem)
                }
            }
        }
    }

    @Test func statusPageShowsEveryServiceToAdminsOnly() async throws {
        try await withServices { (s: Services) async throws in
            let admin = try token(try await login(s.client, "admin@example.com", "admin123"))
            let student = try token(try await login(s.client, "student@example.com", "student123"))
            try await s.client.execute(uri: "/api/status", method: .get, headers: bearer(student)) { response in
                #expect(response.status == .forbidden)
            }
            // Each probe has a 2 s deadline (the page answers quickly when a service is down); with
            // the whole suite in parallel on two cores a live service can miss it once, so ask again
            // until user management answers in time, a bounded number of times.
            var report = try await s.client.execute(uri: "/api/status", method: .get, headers: bearer(admin)) { $0 }
            for _ in 0..<10 where Self.statuses(report)["user-management"] != "healthy" {
                report = try await s.client.execute(uri: "/api/status", method: .get, headers: bearer(admin)) { $0 }
            }
            #expect(report.status == .ok)
            let services = report.json["services"] as? [JSONObject] ?? []
            #expect(services.count == 6)
            let byName = Self.statuses(report)
            #expect(byName["user-management"] == "healthy")
            #expect(byName["booking"] == "unreachable")
            let counts = report.json["counts"] as? JSONObject ?? [:]
            #expect(counts["users"] as? Int == 4)
            #expect(counts["login_attempts_last24h"] as? Int == 2)
            let recent = report.json["recent_logins"] as? [JSONObject] ?? []
            #expect(recent.first?["email"] as? String == "student@example.com")
            #expect(recent.first?["outcome"] as? String == "success")
        }
    }

    @Test func aDownUserServiceMakesLoginA503() async throws {
        try await withServices(usersUp: false) { (s: Services) async throws in
            let response = try await login(s.client, "admin@example.com", "admin123")
            #expect(response.status == .serviceUnavailable)
            #expect(response.problemCode == "dependency_unavailable")
        }
    }

    @Test func malformedLoginBodiesAreClearErrors() async throws {
        try await withServices { (s: Services) async throws in
            try await s.client.execute(uri: "/auth/login", method: .post, headers: jsonHeaders, body: ByteBuffer(string: "email=a")) { response in
                #expect(response.status == .badRequest)
            }
            try await s.client.execute(uri: "/auth/login", method: .post, headers: jsonHeaders, body: jsonBody(["email": "a@example.com"])) { response in
                #expect(response.status == .unprocessableContent)
                #expect(response.json["detail"] as? String == "password: is required")
            }
            try await s.client.execute(uri: "/auth/login", method: .post, headers: jsonHeaders, body: jsonBody(["email": "", "password": "x"])) { response in
                #expect(response.status == .unprocessableContent)
            }
            try await s.client.execute(uri: "/auth/login", method: .post, headers: jsonHeaders, body: jsonBody(["email": ["a"], "password": "x"])) { response in
                #expect(response.status == .unprocessableContent)
            }
        }
    }
}

/// Malformed requests of every kind through the gateway and on to user management: clear 4xx
/// answers, never a 5xx.
@Suite struct GatewayRobustnessTests {
    @Test func noMalformedRequestYieldsA5xx() async throws {
        let runtime = await TestRuntime.make()
        let users = try await UserService.buildApplication(runtime: runtime, database: try TestDatabase.make(.sqlite))
        try await users.test(.live) { usersClient in
            var settings = runtime.settings
            settings.endpoints[.users] = .init(host: "127.0.0.1", port: try #require(usersClient.port))
            let gatewayRuntime = ServiceRuntime(settings: settings, tokens: runtime.tokens, http: runtime.http)
            let gateway = try await GatewayService.buildApplication(
                runtime: gatewayRuntime, database: try TestDatabase.make(.sqlite), publicDirectory: "/nonexistent")
            let admin = try await TestRuntime.token(runtime, userID: "1", role: .admin)
            let bodies: [ByteBuffer] = [
                ByteBuffer(), ByteBuffer(string: "null"), ByteBuffer(string: "[]"), ByteBuffer(string: "\"text\""), ByteBuffer(string: "{"),
                ByteBuffer(string: "{\"email\": null}"), ByteBuffer(string: "{\"email\": {}, \"password\": []}"),
                ByteBuffer(string: "{\"name\": \"\\u0000\", \"role\": 7}"), ByteBuffer(bytes: [0xff, 0xfe, 0x00, 0x41]),
                ByteBuffer(string: "{\"email\": \"" + String(repeating: "a", count: 5000) + "@x.io\", \"password\": \"p\"}"),
                ByteBuffer(string: String(repeating: "[", count: 10_000)),
                ByteBuffer(repeating: UInt8(ascii: "x"), count: 1024 * 1024 + 1),
            ]
            let targets: [(String, HTTPRequest.Method)] = [
                ("/auth/login", .post), ("/api/users", .post), ("/api/users/1", .put), ("/api/users/%ZZ", .get),
                ("/api/users/99999999999999999999", .delete), ("/api/users?limit=1e9&offset=NaN", .get), ("/auth/logout", .post),
                ("/api/status?x=%00", .get), ("/api/users/1/../../auth/me", .get),
            ]
            try await gateway.test(.live) { client in
                for (path, method) in targets {
                    for body in bodies {
                        for headers in [bearer(admin), jsonHeaders, [HTTPField.Name.authorization: "Bearer not.a.jwt"]] {
                            try await client.execute(uri: path, method: method, headers: headers, body: body) { response in
                                #expect(response.status.code < 500, "\(method) \(path) → \(response.status.code) \(response.text.prefix(200))")
                            }
                        }
                    }
                }
            }
        }
    }
}
