import CampusKit
import CampusTesting
import Foundation
import Hummingbird
import HummingbirdCore
import HummingbirdTesting
import Testing

/// The middleware stack and standard routes every service gets from ``CampusRouter``.
@Suite struct SharedHTTPTests {
    struct Course: Decodable {
        let name: String
        let credits: Int
        let startsAt: Date?
    }

    struct Boom: Error {}

    func makeApp(cors: [String] = [], failingHealth: Bool = false) async -> (some ApplicationProtocol, ServiceRuntime) {
        let runtime = await TestRuntime.make()
        let router = CampusRouter.make(
            .init(
                service: .gpa, tokens: runtime.tokens, corsOrigins: cors,
                openAPISpec: OpenAPIDocument.make(service: .gpa, description: "test", paths: #""/echo": {}"#, schemas: #""X": {}"#),
                healthChecks: ["database": { if failingHealth { throw Boom() } }]
            ))
        router.post("/echo") { request, context -> [String: String] in
            let course = try await request.decode(as: Course.self, context: context)
            return ["name": course.name, "credits": String(course.credits)]
        }
        router.get("/boom") { _, _ -> String in throw Boom() }
        router.group("/private", context: AuthenticatedContext.self).get { _, context -> String in
            "\(context.identity.userID):\(context.role.rawValue)"
        }
        var settings = runtime.settings
        settings.endpoints[.gpa]?.port = 0
        return (Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0))), runtime)
    }

    @Test func malformedJSONIsA400Problem() async throws {
        let (app, _) = await makeApp()
        try await app.test(.router) { client in
            try await client.execute(uri: "/echo", method: .post, headers: jsonHeaders, body: ByteBuffer(string: "{\"name\": ")) { response in
                #expect(response.status == .badRequest)
                #expect(response.isProblem)
                #expect(response.problemCode == "malformed_json")
                #expect(response.json["status"] as? Int == 400)
                #expect(response.json["title"] as? String == "Bad Request")
                #expect((response.json["type"] as? String)?.isEmpty == false)
            }
            try await client.execute(uri: "/echo", method: .post, headers: jsonHeaders, body: ByteBuffer()) { response in
                #expect(response.status == .badRequest)
            }
        }
    }

    @Test func wrongTypesAndMissingFieldsAre422NamingTheField() async throws {
        let (app, _) = await makeApp()
        try await app.test(.router) { client in
            try await client.execute(uri: "/echo", method: .post, headers: jsonHeaders, body: jsonBody(["name": "Maths", "credits": "three"])) { response in
                #expect(response.status == .unprocessableContent)
                #expect(response.problemCode == "validation_error")
                #expect((response.json["detail"] as? String)?.hasPrefix("credits:") == true)
            }
            try await client.execute(uri: "/echo", method: .post, headers: jsonHeaders, body: jsonBody(["name": "Maths"])) { response in
                #expect(response.status == .unprocessableContent)
                #expect((response.json["detail"] as? String) == "credits: is required")
            }
            try await client.execute(uri: "/echo", method: .post, headers: jsonHeaders, body: jsonBody(["name": "Maths", "credits": 3, "starts_at": "noon"])) {
                response in
                #expect(response.status == .unprocessableContent)
                #expect((response.json["detail"] as? String)?.hasPrefix("starts_at:") == true)
            }
            try await client.execute(uri: "/echo", method: .post, headers: jsonHeaders, body: ByteBuffer(string: "[1,2]")) { response in
                #expect(response.status == .unprocessableContent)
            }
            try await client.execute(uri: "/echo", method: .post, headers: jsonHeaders, body: jsonBody(["name": "Maths", "credits": 3])) { response in
                #expect(response.status == .ok)
                #expect(response.json["credits"] as? String == "3")
            }
        }
    }

    @Test func bodyOverOneMebibyteIsA413() async throws {
        let (app, _) = await makeApp()
        let big = "{\"name\": \"" + String(repeating: "x", count: 1024 * 1024 + 10) + "\", \"credits\": 1}"
        try await app.test(.router) { client in
            try await client.execute(uri: "/echo", method: .post, headers: jsonHeaders, body: ByteBuffer(string: big)) { response in
                #expect(response.status == .contentTooLarge)
                #expect(response.problemCode == "body_too_large")
            }
        }
    }

    @Test func unexpectedErrorIsALogged500ThatRevealsNothing() async throws {
        let (app, _) = await makeApp()
        try await app.test(.router) { client in
            try await client.execute(uri: "/boom", method: .get) { response in
                #expect(response.status == .internalServerError)
                #expect(response.problemCode == "internal_error")
                #expect(!response.text.contains("Boom"))
            }
            try await client.execute(uri: "/nowhere", method: .get) { response in
                #expect(response.status == .notFound)
                #expect(response.isProblem)
                #expect(response.problemCode == "not_found")
            }
        }
    }

    @Test func requestIDIsEchoedOrGenerated() async throws {
        let (app, _) = await makeApp()
        try await app.test(.router) { client in
            try await client.execute(uri: "/health", method: .get, headers: [.requestID: "trace-123"]) { response in
                #expect(response.headers[.requestID] == "trace-123")
            }
            try await client.execute(uri: "/nowhere", method: .get) { response in
                #expect((response.headers[.requestID]?.count ?? 0) >= 16)
            }
            // A forged id with a newline is replaced, not logged as given.
            try await client.execute(uri: "/health", method: .get, headers: [.requestID: String(repeating: "a", count: 300)]) { response in
                #expect(response.headers[.requestID]?.count == 36)
            }
        }
    }

    @Test func authenticatedRoutesNeedAValidBearerToken() async throws {
        let (app, runtime) = await makeApp()
        let token = try await TestRuntime.token(runtime, userID: "9", role: .faculty)
        try await app.test(.router) { client in
            try await client.execute(uri: "/private", method: .get) { response in
                #expect(response.status == .unauthorized)
                #expect(response.headers[.wwwAuthenticate] == "Bearer")
            }
            try await client.execute(uri: "/private", method: .get, headers: [.authorization: "Basic abc"]) { response in
                #expect(response.status == .unauthorized)
                #expect(response.problemCode == "invalid_token")
            }
            try await client.execute(uri: "/private", method: .get, headers: bearer(token + "x")) { response in
                #expect(response.status == .unauthorized)
            }
            try await client.execute(uri: "/private", method: .get, headers: bearer(token)) { response in
                #expect(response.status == .ok)
                #expect(response.text == "9:faculty")
            }
        }
    }

    @Test func corsAnswersOnlyListedOrigins() async throws {
        let (app, _) = await makeApp(cors: ["http://app.example"])
        try await app.test(.router) { client in
            try await client.execute(uri: "/health", method: .get, headers: [.origin: "http://app.example"]) { response in
                #expect(response.headers[.accessControlAllowOrigin] == "http://app.example")
            }
            try await client.execute(uri: "/health", method: .get, headers: [.origin: "http://evil.example"]) { response in
                #expect(response.headers[.accessControlAllowOrigin] == nil)
            }
            try await client.execute(
                uri: "/echo", method: .options, headers: [.origin: "http://app.example", .accessControlRequestMethod: "POST"]
            ) { response in
                #expect(response.status == .noContent)
                #expect(response.headers[.accessControlAllowMethods]?.contains("POST") == true)
            }
        }
    }

    @Test func healthMetricsOpenAPIAndDocsAreServed() async throws {
        let (app, _) = await makeApp()
        try await app.test(.router) { client in
            try await client.execute(uri: "/health", method: .get) { response in
                #expect(response.status == .ok)
                #expect(response.json["status"] as? String == "healthy")
                #expect((response.json["checks"] as? [String: String])?["database"] == "ok")
            }
            try await client.execute(uri: "/echo", method: .post, headers: jsonHeaders, body: jsonBody(["name": "A", "credits": 1])) { _ in }
            try await client.execute(uri: "/metrics", method: .get) { response in
                #expect(response.status == .ok)
                #expect(response.text.contains("http_requests_total"))
                #expect(response.text.contains(#"route="/echo""#))
                #expect(response.text.contains("http_request_duration_seconds_bucket"))
            }
            try await client.execute(uri: "/openapi.json", method: .get) { response in
                #expect(response.json["openapi"] as? String == "3.1.0")
            }
            try await client.execute(uri: "/docs", method: .get) { response in
                #expect(response.headers[.contentType]?.hasPrefix("text/html") == true)
                #expect(response.text.contains("swagger-ui"))
                #expect(response.text.contains("openapi.json"))
            }
        }
    }

    @Test func failingCheckKeepsLivenessButFailsReadiness() async throws {
        let (app, _) = await makeApp(failingHealth: true)
        try await app.test(.router) { client in
            try await client.execute(uri: "/health", method: .get) { response in
                #expect(response.status == .ok)
                #expect(response.json["status"] as? String == "degraded")
                #expect((response.json["checks"] as? [String: String])?["database"] == "failing")
            }
            try await client.execute(uri: "/health/ready", method: .get) { response in
                #expect(response.status == .serviceUnavailable)
                #expect(response.json["status"] as? String == "not_ready")
            }
        }
    }

    @Test func readinessIsOkWhenEveryCheckPasses() async throws {
        let (app, _) = await makeApp()
        try await app.test(.router) { client in
            try await client.execute(uri: "/health/ready", method: .get) { response in
                #expect(response.status == .ok)
                #expect(response.json["status"] as? String == "ready")
            }
        }
    }

    @Test func paginationFollowsTheContract() throws {
        func page(_ query: String) throws -> Pagination {
            try Pagination(query: URI("/list?" + query).queryParameters)
        }
        #expect(try page("") == Pagination(limit: 50, offset: 0))
        #expect(try page("limit=500&offset=3") == Pagination(limit: 200, offset: 3))
        #expect(throws: APIError.self) { try page("limit=-1") }
        #expect(throws: APIError.self) { try page("limit=ten") }
        #expect(throws: APIError.self) { try page("offset=-5") }
    }
}

@Suite struct PaginationTests {
    @Test func rangeCoversThePage() {
        #expect(Pagination(limit: 3, offset: 2).range == 2..<5)
        #expect(Pagination().range == 0..<50)
    }

    @Test func rangeSaturatesInsteadOfOverflowing() {
        #expect(Pagination(limit: 200, offset: Int.max).range == Int.max..<Int.max)
        #expect(Pagination(limit: 200, offset: Int.max - 10).range == (Int.max - 10)..<Int.max)
    }
}

@Suite struct CampusJSONTests {
    struct Body: Decodable { let previousGpa: Decimal? }

    func status(_ json: String) -> Int? {
        do {
            _ = try CampusJSON.decode(Body.self, from: Data(json.utf8))
            return nil
        } catch let error as APIError {
            return Int(error.status.code)
        } catch {
            return -1
        }
    }

    @Test func aNumberOutOfRangeIsA422NotMalformedJSON() {
        #expect(status(#"{"previous_gpa": 1e300}"#) == 422)
        #expect(status(#"{"previous_gpa": 1e100}"#) == nil)
        #expect(status(#"{"previous_gpa": 1e3"#) == 400)
        #expect(status("not json") == 400)
    }
}
