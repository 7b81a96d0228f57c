import CampusKit
import FluentKit
import Foundation
import Logging

/// Where secret calendar addresses are kept.
public protocol CalendarFeedRepository: Sendable {
    /// The user's address, if one was made.
    func feed(userID: String) async throws -> CalendarFeed?
    /// The address with this secret, if it is current.
    func feed(secret: String) async throws -> CalendarFeed?
    /// Stores `feed` as the user's address, replacing any earlier one (whose secret stops working).
    func replace(with feed: CalendarFeed) async throws
    /// Stores `feed` unless the user has one already; returns the one that is stored.
    func create(_ feed: CalendarFeed) async throws -> CalendarFeed
}

final class CalendarFeedRecord: Model, @unchecked Sendable {
    static let schema = "calendar_feeds"
    @ID(custom: "user_id", generatedBy: .user) var id: String?
    @Field(key: "secret") var secret: String
    @Field(key: "role") var role: String
    @Field(key: "owner_name") var ownerName: String
    @Field(key: "created_at") var createdAt: Date

    init() {}

    init(_ feed: CalendarFeed) {
        self.id = feed.userID
        self.secret = feed.secret
        self.role = feed.role.rawValue
        self.ownerName = feed.ownerName
        self.createdAt = feed.createdAt
    }

    func domain() throws -> CalendarFeed {
        guard let id, let role = Role(rawValue: role) else { throw CorruptRecord(table: Self.schema, id: id, "role \(role) is not a role") }
        return CalendarFeed(userID: id, secret: secret, role: role, ownerName: ownerName, createdAt: createdAt)
    }
}

public struct FluentCalendarFeedRepository: CalendarFeedRepository, DatabaseBacked {
    public let provider: DatabaseProvider
    public let logger: Logger

    public init(provider: DatabaseProvider, logger: Logger) {
        self.provider = provider
        self.logger = logger
    }

    public func feed(userID: String) async throws -> CalendarFeed? {
        try await CalendarFeedRecord.find(userID, on: try db)?.domain()
    }

    public func feed(secret: String) async throws -> CalendarFeed? {
        try await CalendarFeedRecord.query(on: try db).filter(\.$secret == secret).first()?.domain()
    }

    public func replace(with feed: CalendarFeed) async throws {
        try await db.transaction { tx in
            try await CalendarFeedRecord.query(on: tx).filter(\.$id == feed.userID).delete()
            try await CalendarFeedRecord(feed).create(on: tx)
        }
    }

    public func create(_ feed: CalendarFeed) async throws -> CalendarFeed {
        do {
            try await CalendarFeedRecord(feed).create(on: try db)
            return feed
        } catch {
            // Two first visits at once: the other one's address stands.
            guard (error as? any DatabaseError)?.isConstraintFailure == true, let stored = try await self.feed(userID: feed.userID) else { throw error }
            return stored
        }
    }
}
