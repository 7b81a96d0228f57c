import CampusKit
import FluentKit
import FluentSQL
import Foundation
import Logging
import SQLKit

/// ``RoomRepository`` on FluentKit, for SQLite and PostgreSQL alike.
public struct FluentRoomRepository: RoomRepository, DatabaseBacked {
    public let provider: DatabaseProvider
    public let logger: Logger
    let now: @Sendable () -> Date
    /// Told of every committed room change (the availability of every day names the rooms).
    let bookingChanges: BookingChanges

    public init(
        provider: DatabaseProvider, logger: Logger, now: @escaping @Sendable () -> Date = Date.init, changes: BookingChanges = BookingChanges()
    ) {
        self.provider = provider
        self.logger = logger
        self.now = now
        self.bookingChanges = changes
    }

    public func list(_ filter: RoomFilter, page: Pagination) async throws -> (rooms: [Room], total: Int) {
        let query = RoomRecord.query(on: try db)
        if let minCapacity = filter.minCapacity { query.filter(\.$capacity >= minCapacity) }
        if let feature = filter.feature {
            query.filter(.sql(embed: "\(ident: "features") LIKE \(bind: RoomRecord.likePattern(feature: feature)) ESCAPE '!'"))
        }
        let total = try await query.count()
        let records = try await query.copy().sort(\.$id).range(page.range).all()
        return (try records.map { try $0.domain() }, total)
    }

    public func find(id: Int) async throws -> Room? {
        try await RoomRecord.find(id, on: try db)?.domain()
    }

    public func create(_ room: NewRoom) async throws -> Room {
        let record = RoomRecord(room, now: now().wholeSeconds)
        do {
            try await record.create(on: try db)
        } catch let error as any DatabaseError where error.isConstraintFailure {
            throw RoomStoreError.nameTaken
        }
        bookingChanges.touchedRooms()
        return try record.domain()
    }

    public func update(id: Int, _ changes: RoomChanges) async throws -> Room {
        let now = now().wholeSeconds
        defer { bookingChanges.touchedRooms() }
        do {
            return try await db.transaction { tx in
                guard let record = try await RoomRecord.find(id, on: tx) else { throw RoomStoreError.notFound }
                if let name = changes.name { record.name = name }
                if let building = changes.building { record.building = building }
                if let capacity = changes.capacity { record.capacity = capacity }
                if let features = changes.features { record.features = RoomRecord.encode(features) }
                if let facultyOnly = changes.facultyOnly { record.facultyOnly = facultyOnly }
                if let checkIn = changes.checkInRequired { record.checkInRequired = checkIn }
                if let approval = changes.approval { record.approval = approval }
                record.updatedAt = now
                try await record.update(on: tx)
                return try record.domain()
            }
        } catch let error as any DatabaseError where error.isConstraintFailure {
            throw RoomStoreError.nameTaken
        }
    }

    public func delete(id: Int, now: Date) async throws {
        let isPostgreSQL = provider.isPostgreSQL
        try await db.transaction { tx in
            // Bookings take a share lock on their room (see SQLBookingRepository), so a booking
            // racing this delete either lands first and is counted here, or finds no room.
            if isPostgreSQL { try await tx.sql.raw("SELECT id FROM rooms WHERE id = \(bind: id) FOR UPDATE").run() }
            guard let record = try await RoomRecord.find(id, on: tx) else { throw RoomStoreError.notFound }
            let upcoming = try await BookingRecord.query(on: tx)
                .filter(\.$roomID == id).filter(\.$status ~~ BookingStatus.holdingValues).filter(\.$endsAt > now)
                .count()
            guard upcoming == 0 else { throw RoomStoreError.hasUpcomingBookings(upcoming) }
            try await tx.sql.delete(from: CreateRoomClosures.schema).where("room_id", .equal, id).run()
            try await record.delete(on: tx)
        }
        bookingChanges.touchedRooms()
    }

    public func markOutOfOrder(_ faults: RoomFaults) async throws -> Bool {
        let changed = try await db.transaction { tx in
            var current: [Int: Int] = [:]
            for row in try await tx.sql.select().column("id").column("out_of_order_ticket").from(RoomRecord.schema)
                .where("out_of_order_ticket", .isNot, SQLLiteral.null).all()
            {
                current[try row.decode(column: "id", as: Int.self)] = try row.decode(column: "out_of_order_ticket", as: Int.self)
            }
            // The periodic restatement usually changes nothing: then no write, and no stale cache.
            let existing = faults.tickets.isEmpty ? [:] : try await RoomRecord.rooms(faults.tickets.keys, on: tx)
            let wanted = faults.tickets.filter { existing[$0.key] != nil }
            let changedRooms = Set(current.keys).union(wanted.keys).filter { current[$0] != wanted[$0] }
            guard !changedRooms.isEmpty else { return false }
            for room in changedRooms.sorted() {
                try await tx.sql.update(RoomRecord.schema).set(
                    "out_of_order_ticket", to: wanted[room].map { SQLBind($0) as any SQLExpression } ?? SQLLiteral.null
                )
                .where("id", .equal, room).run()
            }
            return true
        }
        if changed { bookingChanges.touchedRooms() }
        return changed
    }
}
