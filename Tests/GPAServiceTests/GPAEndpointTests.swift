import CampusKit
import CampusTesting
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

@testable import GPAService

/// docs/contract.md §7 through HTTP.
@Suite struct GPAEndpointTests {
    func app() async throws -> (some ApplicationProtocol, student: String, admin: String) {
        let runtime = await TestRuntime.make()
        return (
            buildApplication(runtime: runtime),
            try await TestRuntime.token(runtime, role: .student), try await TestRuntime.token(runtime, role: .admin)
        )
    }

    /// Numbers read back from the raw JSON text, so no binary floating point gets between the
    /// service's exact decimals and the assertion.
    func number(_ text: String, _ key: String) -> String? {
        // The last occurrence: keys are sorted, so the top-level ones follow the `courses` array.
        guard let range = text.range(of: "\"\(key)\":", options: .backwards) else { return nil }
        return String(text[range.upperBound...].prefix { "0123456789.-".contains($0) })
    }

    /// GPA_RETAKE_POLICY reaches the answer: the same retake under each policy, through HTTP.
    @Test(arguments: [(RetakePolicy.replace, "3.57", false), (.average, "3.14", false), (.replaceDF, "3.57", false)])
    func aRetakeCountsAsTheCampusPolicySays(policy: RetakePolicy, gpa: String, earlierCounts: Bool) async throws {
        let runtime = await TestRuntime.make { $0.retakePolicy = policy }
        let app = buildApplication(runtime: runtime)
        let student = try await TestRuntime.token(runtime, role: .student)
        try await app.test(.router) { client in
            let body = jsonBody([
                "courses": [
                    ["name": "Calculus I", "grade": "D", "credits": 3], ["name": "Physics", "grade": "A", "credits": 4],
                    ["name": "Calculus I", "grade": "B", "credits": 3, "retake_of": 0],
                ]
            ])
            try await client.execute(uri: "/calculate", method: .post, headers: bearer(student), body: body) { response in
                #expect(response.status == .ok)
                #expect(number(response.text, "gpa") == gpa)
                #expect(response.json["retake_policy"] as? String == policy.rawValue)
                let courses = response.json["courses"] as? [JSONObject] ?? []
                #expect(courses.first?["counts"] as? Bool == earlierCounts)
                #expect(courses.first?["retake_of"] is NSNull && courses.last?["retake_of"] as? Int == 0)
                #expect((courses.first?["note"] as? String)?.isEmpty == false)
                #expect(courses[1]["note"] is NSNull)
            }
            for (bad, detail) in [
                (2, "courses[2].retake_of: must be the index of an earlier attempt above this course, 0 to 1 (got 2)"),
                (-1, "courses[2].retake_of: must be the index of an earlier attempt above this course, 0 to 1 (got -1)"),
            ] {
                let refused = jsonBody([
                    "courses": [["grade": "D", "credits": 3], ["grade": "A", "credits": 4], ["grade": "B", "credits": 3, "retake_of": bad]]
                ])
                try await client.execute(uri: "/calculate", method: .post, headers: bearer(student), body: refused) { response in
                    #expect(response.status == .unprocessableContent)
                    #expect(response.json["detail"] as? String == detail)
                }
            }
            let text = jsonBody(["courses": [["grade": "D", "credits": 3], ["grade": "B", "credits": 3, "retake_of": "0"]]])
            try await client.execute(uri: "/calculate", method: .post, headers: bearer(student), body: text) { response in
                #expect(response.status == .unprocessableContent)
            }
            // a misspelt retake_of is refused, not ignored (both attempts would count unsaid)
            let misspelt = jsonBody(["courses": [["grade": "D", "credits": 3], ["grade": "B", "credits": 3, "retake": 0]]])
            try await client.execute(uri: "/calculate", method: .post, headers: bearer(student), body: misspelt) { response in
                #expect(response.status == .unprocessableContent)
                #expect((response.json["detail"] as? String)?.contains("is not a field of this request") == true, "\(response.text)")
            }
        }
    }

    @Test func calculateAnswersTheContractShape() async throws {
        let (app, student, _) = try await app()
        try await app.test(.router) { client in
            let body = jsonBody([
                "courses": [
                    ["name": "Algebra", "grade": "b+", "credits": 3], ["name": "Lab", "grade": "B-", "credits": 1],
                    ["name": "Seminar", "grade": "P", "credits": 2],
                ],
                "previous_gpa": 3.5, "previous_credits": 30,
            ])
            try await client.execute(uri: "/calculate", method: .post, headers: bearer(student), body: body) { response in
                #expect(response.status == .ok)
                #expect(number(response.text, "gpa") == "3.15")
                #expect(number(response.text, "total_credits") == "4")
                #expect(number(response.text, "quality_points") == "12.6")
                // (3.5 × 30 + 12.6) / 34 = 117.6 / 34 = 3.4588… → 3.46
                #expect(number(response.text, "cumulative_gpa") == "3.46")
                let courses = response.json["courses"] as? [JSONObject] ?? []
                #expect(courses.count == 3)
                #expect(courses[0]["grade"] as? String == "B+")
                #expect(courses[2]["grade_points"] is NSNull && courses[2]["quality_points"] is NSNull)
            }
        }
    }

    @Test func scaleAndPlanAreServed() async throws {
        let (app, student, _) = try await app()
        try await app.test(.router) { client in
            try await client.execute(uri: "/scale", method: .get, headers: bearer(student)) { response in
                let scale = response.jsonArray
                #expect(scale.count == 17)
                #expect(scale.first?["grade"] as? String == "A+")
                #expect(scale.first { $0["grade"] as? String == "W" }?["points"] is NSNull)
            }
            try await client.execute(
                uri: "/plan", method: .post, headers: bearer(student),
                body: jsonBody(["current_gpa": 3.0, "current_credits": 30, "target_gpa": 3.8, "remaining_credits": 30])
            ) { response in
                #expect(response.status == .ok)
                #expect(number(response.text, "required_gpa") == "4.6")
                #expect(response.json["achievable"] as? Bool == false)
            }
        }
    }

    @Test func invalidRequestsAre422NamingTheFieldAndOthers400Or403() async throws {
        let (app, student, admin) = try await app()
        try await app.test(.router) { client in
            let cases: [(JSONObject, String)] = [
                (["courses": [["name": "A", "grade": "A", "credits": 3], ["name": "B", "grade": "E", "credits": 3]]], "courses[1].grade:"),
                (["courses": [["name": "A", "grade": "A", "credits": "three"]]], "courses[0].credits:"),
                (["courses": [["name": "A", "credits": 3]]], "courses[0].grade:"),
                (["courses": []], "courses:"),
                ([:], "courses:"),
            ]
            for (body, prefix) in cases {
                try await client.execute(uri: "/calculate", method: .post, headers: bearer(student), body: jsonBody(body)) { response in
                    #expect(response.status == .unprocessableContent, "\(body)")
                    #expect((response.json["detail"] as? String)?.hasPrefix(prefix) == true, "\(response.text)")
                }
            }
            try await client.execute(
                uri: "/plan", method: .post, headers: bearer(student),
                body: jsonBody(["current_gpa": 3.0, "current_credits": 30, "target_gpa": 4.5, "remaining_credits": 30])
            ) { response in
                #expect(response.status == .unprocessableContent)
                #expect((response.json["detail"] as? String)?.hasPrefix("target_gpa:") == true)
            }
            try await client.execute(uri: "/calculate", method: .post, headers: bearer(student), body: ByteBuffer(string: "{\"courses\": [")) { response in
                #expect(response.status == .badRequest)
            }
            try await client.execute(uri: "/calculate", method: .post, headers: bearer(admin), body: jsonBody(["courses": []])) { response in
                #expect(response.status == .forbidden)
            }
            try await client.execute(uri: "/scale", method: .get) { response in
                #expect(response.status == .unauthorized)
            }
        }
    }

    @Test func everyRouteIsInTheOpenAPIDocument() async throws {
        let router = buildRouter(runtime: await TestRuntime.make())
        #expect(router.routes.count >= 7)
        #expect(OpenAPICoverage.problems(router: router, spec: GPAOpenAPI.document) == [])
    }
}
