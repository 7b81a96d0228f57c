import CampusKit
import Foundation
import Hummingbird

/// `/scale`, `/calculate`, `/plan` (docs/contract.md §7). Stateless.
struct GPAController: Sendable {
    /// `GPA_RETAKE_POLICY`.
    let retakePolicy: RetakePolicy

    func addRoutes(to group: RouterGroup<AuthenticatedContext>) {
        group.get("/scale", use: scale)
        group.post("/calculate", use: calculate)
        group.post("/plan", use: plan)
    }

    struct ScaleEntry: Codable, Sendable {
        let grade: String
        let points: Decimal?

        // `points` is written even when null, so every entry has the same keys.
        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(grade, forKey: .grade)
            try container.encode(points, forKey: .points)
        }
    }

    struct CourseResponse: Encodable {
        let name: String
        let grade: String
        let credits: Decimal
        let gradePoints: Decimal?
        let qualityPoints: Decimal?
        let retakeOf: Int?
        let counts: Bool
        let note: String?

        enum CodingKeys: String, CodingKey { case name, grade, credits, gradePoints, qualityPoints, retakeOf, counts, note }

        // Nulls are written as null, not left out: every course has the same keys.
        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(name, forKey: .name)
            try container.encode(grade, forKey: .grade)
            try container.encode(credits, forKey: .credits)
            try container.encode(gradePoints, forKey: .gradePoints)
            try container.encode(qualityPoints, forKey: .qualityPoints)
            try container.encode(retakeOf, forKey: .retakeOf)
            try container.encode(counts, forKey: .counts)
            try container.encode(note, forKey: .note)
        }
    }

    struct CalculateResponse: Encodable, ResponseGenerator {
        let gpa: Decimal
        let totalCredits: Decimal
        let qualityPoints: Decimal
        let cumulativeGpa: Decimal
        let courses: [CourseResponse]
        let retakePolicy: RetakePolicy

        /// The hottest route's body, written directly (the bytes `CampusJSON.encoder` writes; the
        /// Codable form is kept for that comparison in the tests). Keys in sorted order.
        func write(to json: inout JSONWriter) {
            json.object { json in
                json.key("courses")
                json.array(courses) { json, course in
                    json.object { json in
                        json.key("counts")
                        json.bool(course.counts)
                        json.key("credits")
                        json.number(course.credits)
                        json.key("grade")
                        json.string(course.grade)
                        json.key("grade_points")
                        json.number(course.gradePoints)
                        json.key("name")
                        json.string(course.name)
                        json.key("note")
                        json.string(course.note)
                        json.key("quality_points")
                        json.number(course.qualityPoints)
                        json.key("retake_of")
                        json.number(course.retakeOf)
                    }
                }
                json.key("cumulative_gpa")
                json.number(cumulativeGpa)
                json.key("gpa")
                json.number(gpa)
                json.key("quality_points")
                json.number(qualityPoints)
                json.key("retake_policy")
                json.string(retakePolicy.rawValue)
                json.key("total_credits")
                json.number(totalCredits)
            }
        }

        func response(from request: Request, context: some RequestContext) throws -> Response {
            var json = JSONWriter()
            write(to: &json)
            return json.response()
        }
    }

    struct PlanRequest: Decodable {
        let currentGpa: Decimal
        let currentCredits: Decimal
        let targetGpa: Decimal
        let remainingCredits: Decimal
    }

    struct PlanResponse: ResponseEncodable {
        let requiredGpa: Decimal
        let achievable: Bool
    }

    /// A list like every other (docs/contract.md §2): paged, with `X-Total-Count`.
    @Sendable func scale(_ request: Request, context: AuthenticatedContext) async throws -> Page<ScaleEntry> {
        try GPAPolicy.table.require(.useCalculator, for: context.identity)
        let page = try Pagination(query: request.uri.queryParameters)
        return Page(all: GradeScale.table.map { ScaleEntry(grade: $0.grade, points: $0.points) }, page: page)
    }

    @Sendable func calculate(_ request: Request, context: AuthenticatedContext) async throws -> CalculateResponse {
        try GPAPolicy.table.require(.useCalculator, for: context.identity)
        let body = try await request.decode(as: CourseListInput.self, context: context)
        let courses = try body.courses.enumerated().map { index, course in
            guard let grade = course.grade else { throw APIError.invalid("courses[\(index)].grade", "is required") }
            guard let credits = course.credits else { throw APIError.invalid("courses[\(index)].credits", "is required") }
            return GPACalculator.Course(name: course.name ?? "", grade: grade, credits: credits, retakeOf: course.retakeOf)
        }
        let result = try GPACalculator.calculate(
            courses: courses,
            previousGPA: body.previousGpa, previousCredits: body.previousCredits, policy: retakePolicy
        )
        return CalculateResponse(
            gpa: result.gpa, totalCredits: result.totalCredits, qualityPoints: result.qualityPoints, cumulativeGpa: result.cumulativeGPA,
            courses: result.courses.map {
                CourseResponse(
                    name: $0.name, grade: $0.grade, credits: $0.credits, gradePoints: $0.gradePoints, qualityPoints: $0.qualityPoints,
                    retakeOf: $0.retakeOf, counts: $0.counts, note: $0.note)
            },
            retakePolicy: result.retakePolicy
        )
    }

    @Sendable func plan(_ request: Request, context: AuthenticatedContext) async throws -> PlanResponse {
        try GPAPolicy.table.require(.useCalculator, for: context.identity)
        let body = try await request.decode(as: PlanRequest.self, context: context)
        let plan = try GPACalculator.plan(
            currentGPA: body.currentGpa, currentCredits: body.currentCredits, targetGPA: body.targetGpa, remainingCredits: body.remainingCredits
        )
        return PlanResponse(requiredGpa: plan.requiredGPA, achievable: plan.achievable)
    }
}
