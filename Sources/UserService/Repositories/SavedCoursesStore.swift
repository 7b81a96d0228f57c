import CampusKit
import FluentKit
import Foundation

/// The courses a user saved for the GPA calculator (`SavedCourses`), one row per user holding the
/// list as JSON: it is only ever read and written whole.
final class SavedCoursesRecord: Model, @unchecked Sendable {
    static let schema = "saved_courses"
    @ID(custom: "user_id", generatedBy: .user) var id: Int?
    @Field(key: "document") var document: String
    @Field(key: "updated_at") var updatedAt: Date

    init() {}
}

struct CreateSavedCourses: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(SavedCoursesRecord.schema)
            .field("user_id", .int, .identifier(auto: false))
            .field("document", .string, .required)
            .field("updated_at", .datetime, .required)
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(SavedCoursesRecord.schema).delete()
    }
}

/// The stored JSON of a `SavedCourses`: the field names of the API, numbers as exact decimals.
struct SavedCoursesDocument: Codable {
    struct Course: Codable {
        var name: String
        var grade: String
        var credits: Decimal?
        var retakeOf: Int?
    }
    var courses: [Course]
    var previousGpa: Decimal?
    var previousCredits: Decimal?

    init(_ saved: SavedCourses) {
        courses = saved.courses.map { Course(name: $0.name, grade: $0.grade, credits: $0.credits, retakeOf: $0.retakeOf) }
        previousGpa = saved.previousGPA
        previousCredits = saved.previousCredits
    }

    var domain: SavedCourses {
        SavedCourses(
            courses: courses.map { .init(name: $0.name, grade: $0.grade, credits: $0.credits, retakeOf: $0.retakeOf) },
            previousGPA: previousGpa, previousCredits: previousCredits)
    }
}

/// Saved course lists, beside the accounts they belong to (deleting an account deletes its list:
/// `FluentUserRepository.delete`).
public protocol SavedCoursesRepository: Sendable {
    /// The user's list and when it was saved; nil if they never saved one.
    func savedCourses(of userID: Int) async throws -> (courses: SavedCourses, savedAt: Date)?
    /// Replaces the user's list; returns when it was saved.
    func save(_ courses: SavedCourses, of userID: Int) async throws -> Date
}

extension FluentUserRepository: SavedCoursesRepository {
    public func savedCourses(of userID: Int) async throws -> (courses: SavedCourses, savedAt: Date)? {
        guard let record = try await SavedCoursesRecord.find(userID, on: try db) else { return nil }
        do {
            let document = try CampusJSON.decoder.decode(SavedCoursesDocument.self, from: Data(record.document.utf8))
            return (document.domain, record.updatedAt)
        } catch {
            throw CorruptRecord(table: SavedCoursesRecord.schema, id: String(userID), "the saved list is not readable: \(error)")
        }
    }

    public func save(_ courses: SavedCourses, of userID: Int) async throws -> Date {
        let now = now().wholeSeconds
        let document = String(decoding: try CampusJSON.encoder.encode(SavedCoursesDocument(courses)), as: UTF8.self)
        let write: @Sendable (any Database) async throws -> Void = { tx in
            guard try await UserRecord.find(userID, on: tx) != nil else { throw UserStoreError.notFound }
            let record = try await SavedCoursesRecord.find(userID, on: tx) ?? SavedCoursesRecord()
            record.id = userID
            record.document = document
            record.updatedAt = now
            try await record.save(on: tx)
        }
        do {
            try await db.transaction(write)
        } catch let error as any DatabaseError where error.isConstraintFailure {
            // Another replica saved this user's first list at the same moment: this one is the later.
            try await db.transaction(write)
        }
        return now
    }
}
