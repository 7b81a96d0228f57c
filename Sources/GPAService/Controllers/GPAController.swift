import CampusKit
import Foundation
import Hummingbird

/// `/scale`, `/calculate`, `/plan` (docs/contract.md §7). Stateless.
struct GPAController: Sendable {
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

    struct CalculateRequest: Decodable {
        struct Course: Decodable {
            let name: String?
            let grade: String
            let credits: Decimal
        }
        let courses: [Course]
        let previousGpa: Decimal?
        let previousCredits: Decimal?
    }

    struct CourseResponse: Encodable {
        let name: String
        let grade: String
        let credits: Decimal
        let gradePoints: Decimal?
        let qualityPoints: Decimal?

        enum CodingKeys: String, CodingKey { case name, grade, credits, gradePoints, qualityPoints }

        // Null points are written as null, not left out: every course has the same keys.
        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(name, forKey: .name)
            try container.encode(grade, forKey: .grade)
            try container.encode(credits, forKey: .credits)
            try container.encode(gradePoints, forKey: .gradePoints)
            try container.encode(qualityPoints, forKey: .qualityPoints)
        }
    }

    struct CalculateResponse: Encodable, ResponseGenerator {
        let gpa: Decimal
        let totalCredits: Decimal
        let qualityPoints: Decimal
        let cumulativeGpa: Decimal
        let courses: [CourseResponse]

        /// The hottest route's body, written directly (the bytes `CampusJSON.encoder` writes; the
        /// Codable form is kept for that comparison in the tests). Keys in sorted order.
        func write(to json: inout JSONWriter) {
            json.object { json in
                json.key("courses")
                json.array(courses) { json, course in
                    json.object { json in
                        json.key("credits")
                        json.number(course.credits)
                        json.key("grade")
                        json.string(course.grade)
                        json.key("grade_points")
                        json.number(course.gradePoints)
                        json.key("name")
                        json.string(course.name)
                        json.key("quality_points")
                        json.number(course.qualityPoints)
                    }
                }
                json.key("cumulative_gpa")
                json.number(cumulativeGpa)
                json.key("gpa")
                json.number(gpa)
                json.key("quality_points")
                json.number(qualityPoints)
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
        let body = try await request.decode(as: CalculateRequest.self, context: context)
        let result = try GPACalculator.calculate(
            courses: body.courses.map { .init(name: $0.name ?? "", grade: $0.grade, credits: $0.credits) },
            previousGPA: body.previousGpa, previousCredits: body.previousCredits
        )
        return CalculateResponse(
            gpa: result.gpa, totalCredits: result.totalCredits, qualityPoints: result.qualityPoints, cumulativeGpa: result.cumulativeGPA,
            courses: result.courses.map {
                CourseResponse(name: $0.name, grade: $0.grade, credits: $0.credits, gradePoints: $0.gradePoints, qualityPoints: $0.qualityPoints)
            }
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
