import CampusKit
import Foundation
import Hummingbird

/// `GET`/`PUT /users/{id}/courses` (docs/contract.md §5): the courses a student or faculty member
/// keeps for the GPA calculator. Grades are private: the list is read and written by its owner
/// alone; an administrator is refused (403), anyone else is told there is no such user (404).
/// Each answer carries the list's version as its `ETag`; a save with `If-Match` is refused with 412
/// `courses_changed` when another device or tab saved since, instead of silently replacing their list.
struct SavedCoursesController: Sendable {
    let repository: any SavedCoursesRepository

    func addRoutes(to group: RouterGroup<AuthenticatedContext>) {
        group.get("{id}/courses", use: show)
        group.put("{id}/courses", use: save)
    }

    struct CoursesResponse: Encodable {
        struct Course: Encodable {
            let name: String
            let grade: String
            let credits: Decimal?
            let retakeOf: Int?

            enum CodingKeys: String, CodingKey { case name, grade, credits, retakeOf }

            // Nulls are written, not left out: every course has the same keys.
            func encode(to encoder: any Encoder) throws {
                var container = encoder.container(keyedBy: CodingKeys.self)
                try container.encode(name, forKey: .name)
                try container.encode(grade, forKey: .grade)
                try container.encode(credits, forKey: .credits)
                try container.encode(retakeOf, forKey: .retakeOf)
            }
        }
        let courses: [Course]
        let previousGpa: Decimal?
        let previousCredits: Decimal?
        let savedAt: Date?
        let version: Int

        enum CodingKeys: String, CodingKey { case courses, previousGpa, previousCredits, savedAt, version }

        init(_ stored: StoredCourses) {
            courses = stored.courses.courses.map { Course(name: $0.name, grade: $0.grade, credits: $0.credits, retakeOf: $0.retakeOf) }
            previousGpa = stored.courses.previousGPA
            previousCredits = stored.courses.previousCredits
            savedAt = stored.savedAt
            version = stored.version
        }

        /// The JSON with the version as its `ETag`.
        var response: Response {
            get throws {
                var response = try Response.json(self)
                response.headers[.eTag] = "\"\(version)\""
                return response
            }
        }

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(courses, forKey: .courses)
            try container.encode(previousGpa, forKey: .previousGpa)
            try container.encode(previousCredits, forKey: .previousCredits)
            try container.encode(savedAt, forKey: .savedAt)
            try container.encode(version, forKey: .version)
        }
    }

    @Sendable func show(_ request: Request, context: AuthenticatedContext) async throws -> Response {
        let id = try owner(context)
        return try CoursesResponse(try await repository.savedCourses(of: id)).response
    }

    @Sendable func save(_ request: Request, context: AuthenticatedContext) async throws -> Response {
        let id = try owner(context)
        let basedOn = try Self.version(ifMatch: request.headers[.ifMatch])
        let body = try await request.decode(as: CourseListInput.self, context: context)
        let courses = try SavedCourses.checked(
            body.courses.map { .init(name: $0.name ?? "", grade: $0.grade ?? "", credits: $0.credits, retakeOf: $0.retakeOf) },
            previousGPA: body.previousGpa, previousCredits: body.previousCredits)
        do {
            return try CoursesResponse(try await repository.save(courses, of: id, basedOn: basedOn)).response
        } catch UserStoreError.notFound {
            throw APIError.notFound("There is no user \(id).")
        } catch let changed as SavedCoursesChanged {
            throw APIError(
                .preconditionFailed, code: "courses_changed",
                detail:
                    "Your saved courses were changed on another device or tab since version \(basedOn ?? 0) (they are at version \(changed.current)); load them again, or save without If-Match to replace them."
            )
        }
    }

    /// The version an `If-Match: "3"` names; nil without the header (an unconditional save).
    static func version(ifMatch: String?) throws -> Int? {
        guard let text = ifMatch?.trimmingCharacters(in: .whitespaces) else { return nil }
        guard text.count >= 3, text.hasPrefix("\""), text.hasSuffix("\""), let version = Int(text.dropFirst().dropLast()), version >= 0 else {
            throw APIError(.badRequest, code: "bad_if_match", detail: "If-Match must be the ETag of the list, such as \"3\" (got \(text)).")
        }
        return version
    }

    /// The user in the path, if it is the caller and they may keep courses.
    private func owner(_ context: AuthenticatedContext) throws -> Int {
        let raw = context.parameters.get("id") ?? ""
        guard let id = Int(raw), String(id) == context.identity.userID else {
            if UserPolicy.table.allows(context.role, .lookUpUsers) {
                throw APIError.forbidden("Saved courses are seen only by their owner.", code: "courses_private")
            }
            throw APIError.notFound("There is no user \(raw).")
        }
        try UserPolicy.table.require(.saveCourses, for: context.identity)
        return id
    }
}
