import CampusKit
import FluentKit
import Foundation
import Logging
import SQLKit

/// Why a closure write was refused.
public enum ClosureStoreError: Error, Equatable {
    /// No such room, or no such closure of the room.
    case notFound
}

/// A closure with the bookings holding slots (confirmed or pending) still inside it (what its admin has yet to cancel).
public struct ClosureWithBookings: Sendable, Equatable {
    public let closure: RoomClosure
    public let bookings: [Booking]
}

/// Room closures (``RoomClosure``). New bookings and changes are checked against them in their own
/// transaction (``FluentBookingRepository``).
public protocol RoomClosureRepository: Sendable {
    /// Stores `closure` (the room must exist) and answers the bookings holding slots (confirmed or pending) inside it.
    func create(_ closure: RoomClosure) async throws -> ClosureWithBookings
    /// The room's closures that have not ended at `now`, earliest first, each with its bookings.
    func list(roomID: Int, now: Date, page: Pagination) async throws -> (closures: [ClosureWithBookings], total: Int)
    /// Opens the room again for that period; its bookings are as they were.
    func delete(id: Int, roomID: Int) async throws
}

public struct FluentRoomClosureRepository: RoomClosureRepository, DatabaseBacked {
    public let provider: DatabaseProvider
    public let logger: Logger
    let changes: BookingChanges

    public init(provider: DatabaseProvider, logger: Logger, changes: BookingChanges) {
        self.provider = provider
        self.logger = logger
        self.changes = changes
    }

    static let schema = CreateRoomClosures.schema

    public func create(_ closure: RoomClosure) async throws -> ClosureWithBookings {
        let isPostgreSQL = provider.isPostgreSQL
        let stored = try await db.transaction { tx in
            // A booking holds a share lock on its room while it is checked: it lands before this
            // closure (and is listed below) or is refused by it, never between.
            if isPostgreSQL { try await tx.sql.raw("SELECT id FROM rooms WHERE id = \(bind: closure.roomID) FOR UPDATE").run() }
            guard try await RoomRecord.find(closure.roomID, on: tx) != nil else { throw ClosureStoreError.notFound }
            // One closure per day of a room: reopening one must open the room then.
            if let existing = try await Self.overlapping(roomIDs: [closure.roomID], from: closure.startsAt, to: closure.endsAt, on: tx)[closure.roomID]?.first {
                throw ClosureRefusal.overlaps(existing)
            }
            let row = try await tx.sql.insert(into: Self.schema)
                .columns("room_id", "from_date", "to_date", "starts_at", "ends_at", "reason", "created_by", "created_at")
                .values(
                    SQLBind(closure.roomID), SQLBind(closure.fromDate.description), SQLBind(closure.toDate.description), SQLBind(closure.startsAt),
                    SQLBind(closure.endsAt), SQLBind(closure.reason), SQLBind(closure.createdBy), SQLBind(closure.createdAt)
                )
                .returning("id").first()
            var made = closure
            made.id = try row?.decode(column: "id", as: Int.self) ?? 0
            return ClosureWithBookings(closure: made, bookings: try await Self.bookings(in: made, on: tx))
        }
        changes.touchedRooms()
        return stored
    }

    public func list(roomID: Int, now: Date, page: Pagination) async throws -> (closures: [ClosureWithBookings], total: Int) {
        let db = try db
        guard try await RoomRecord.find(roomID, on: db) != nil else { throw ClosureStoreError.notFound }
        let total =
            try await db.sql.select().column(SQLFunction("COUNT", args: SQLLiteral.all), as: "n").from(Self.schema)
            .where("room_id", .equal, roomID).where("ends_at", .greaterThan, now).first()?.decode(column: "n", as: Int.self) ?? 0
        let rows = try await db.sql.select().column(SQLLiteral.all).from(Self.schema)
            .where("room_id", .equal, roomID).where("ends_at", .greaterThan, now)
            .orderBy("starts_at").orderBy("id").limit(page.limit).offset(page.offset).all()
        var closures: [ClosureWithBookings] = []
        for row in rows {
            let closure = try Self.closure(of: row)
            closures.append(ClosureWithBookings(closure: closure, bookings: try await Self.bookings(in: closure, on: db)))
        }
        return (closures, total)
    }

    public func delete(id: Int, roomID: Int) async throws {
        let deleted = try await db.sql.delete(from: Self.schema).where("id", .equal, id).where("room_id", .equal, roomID).returning("id").all()
        guard !deleted.isEmpty else { throw ClosureStoreError.notFound }
        changes.touchedRooms()
    }

    /// The room's closures overlapping `from`–`to` (for the booking checks), by room.
    static func overlapping(roomIDs: [Int], from: Date, to: Date, on db: any Database) async throws -> [Int: [RoomClosure]] {
        guard !roomIDs.isEmpty else { return [:] }
        var byRoom: [Int: [RoomClosure]] = [:]
        for row in try await db.sql.select().column(SQLLiteral.all).from(schema)
            .where("room_id", .in, roomIDs).where("starts_at", .lessThan, to).where("ends_at", .greaterThan, from)
            .orderBy("starts_at").all()
        {
            let closure = try closure(of: row)
            byRoom[closure.roomID, default: []].append(closure)
        }
        return byRoom
    }

    /// The bookings holding slots (confirmed or pending) inside `closure`, earliest first.
    static func bookings(in closure: RoomClosure, on db: any Database) async throws -> [Booking] {
        try await db.sql.select().column(SQLLiteral.all).from(BookingRecord.schema)
            .where("room_id", .equal, closure.roomID).where("status", .in, BookingStatus.holdingValues)
            .where("starts_at", .lessThan, closure.endsAt).where("ends_at", .greaterThan, closure.startsAt)
            .orderBy("starts_at").orderBy("id").all()
            .map { try BookingRecord.domain(of: $0) }
    }

    static func closure(of row: any SQLRow) throws -> RoomClosure {
        let id = try row.decode(column: "id", as: Int.self)
        guard let from = CalendarDate(try row.decode(column: "from_date", as: String.self)),
            let to = CalendarDate(try row.decode(column: "to_date", as: String.self))
        else { throw CorruptRecord(table: schema, id: String(id), "its dates cannot be read") }
        return RoomClosure(
            id: id, roomID: try row.decode(column: "room_id", as: Int.self), fromDate: from, toDate: to,
            startsAt: try row.decode(column: "starts_at", as: Date.self), endsAt: try row.decode(column: "ends_at", as: Date.self),
            reason: try row.decode(column: "reason", as: String.self), createdBy: try row.decode(column: "created_by", as: String.self),
            createdAt: try row.decode(column: "created_at", as: Date.self))
    }
}
