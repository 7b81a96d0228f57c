import CampusKit
import FluentKit
import Foundation
import SQLKit

/// The courses a user saved for the GPA calculator (`SavedCourses`), one row per user holding the
/// list as JSON: it is only ever read and written whole.
final class SavedCoursesRecord: Model, @unchecked Sendable {
    static let schema = "saved_courses"
    @ID(custom: "user_id", generatedBy: .user) var id: Int?
    @Field(key: "document") var document: String
    @Field(key: "updated_at") var updatedAt: Date
    /// 1 for the first save, one more for each: what `If-Match` compares.
    @Field(key: "version") var version: Int

    init() {}
}

struct CreateSavedCourses: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(SavedCoursesRecord.schema)
            .field("user_id", .int, .identifier(auto: false))
            .field("document", .string, .required)
            .field("updated_at", .datetime, .required)
            .field("version", .int, .required)
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

/// A saved list as stored: `version` counts its saves (0: never saved).
public struct StoredCourses: Sendable, Equatable {
    public let courses: SavedCourses
    public let savedAt: Date?
    public let version: Int
}

/// The list was saved by someone else (another device or tab) since the version the save was based on.
public struct SavedCoursesChanged: Error, Equatable {
    public let current: Int
}

/// Saved course lists, beside the accounts they belong to (deleting an account deletes its list:
/// `FluentUserRepository.delete`).
public protocol SavedCoursesRepository: Sendable {
    /// The user's list; the empty list at version 0 if they never saved one.
    func savedCourses(of userID: Int) async throws -> StoredCourses
    /// Replaces the user's list, if it is still at `basedOn` when given (else `SavedCoursesChanged`).
    func save(_ courses: SavedCourses, of userID: Int, basedOn: Int?) async throws -> StoredCourses
}

extension FluentUserRepository: SavedCoursesRepository {
    public func savedCourses(of userID: Int) async throws -> StoredCourses {
        guard let record = try await SavedCoursesRecord.find(userID, on: try db) else { return StoredCourses(courses: .empty, savedAt: nil, version: 0) }
        do {
            let document = try CampusJSON.decoder.decode(SavedCoursesDocument.self, from: Data(record.document.utf8))
            return StoredCourses(courses: document.domain, savedAt: record.updatedAt, version: record.version)
        } catch {
            throw CorruptRecord(table: SavedCoursesRecord.schema, id: String(userID), "the saved list is not readable: \(error)")
        }
    }

    public func save(_ courses: SavedCourses, of userID: Int, basedOn: Int?) async throws -> StoredCourses {
        let now = now().wholeSeconds
        let document = String(decoding: try CampusJSON.encoder.encode(SavedCoursesDocument(courses)), as: UTF8.self)
        let isPostgreSQL = provider.isPostgreSQL
        let write: @Sendable (any Database) async throws -> StoredCourses = { tx in
            guard try await UserRecord.find(userID, on: tx) != nil else { throw UserStoreError.notFound }
            // Two saves based on the same version: the second waits for the first, then sees it
            // (SQLite has one writer).
            if isPostgreSQL { try await tx.sql.raw("SELECT 1 FROM saved_courses WHERE user_id = \(bind: userID) FOR UPDATE").run() }
            let record = try await SavedCoursesRecord.find(userID, on: tx) ?? SavedCoursesRecord()
            let current = record.id == nil ? 0 : record.version
            if let basedOn, basedOn != current { throw SavedCoursesChanged(current: current) }
            record.id = userID
            record.document = document
            record.updatedAt = now
            record.version = current + 1
            try await record.save(on: tx)
            return StoredCourses(courses: courses, savedAt: now, version: current + 1)
        }
        do {
            return try await db.transaction(write)
        } catch let error as any DatabaseError where error.isConstraintFailure {
            // Another replica saved this user's first list at the same moment: decide again on theirs.
            return try await db.transaction(write)
        }
    }
}
