import CampusKit
import FluentKit
import Foundation
import Logging
import SQLKit

/// ``BookingRepository`` on FluentKit, with SQLKit for the availability join and the locks.
public struct FluentBookingRepository: BookingRepository, DatabaseBacked {
    public let provider: DatabaseProvider
    public let logger: Logger
    /// Stores new bookings many to a transaction (group commit); one per repository.
    let writer: GroupCommit<BookingWrite, [Booking]>
    /// Told of every day whose bookings this repository changed, once the change is committed.
    public let changes: BookingChanges
    /// The window a booking in a room requiring check-in is given when it is made or moved.
    public let checkIn: CheckInRule
    /// How long a request for a room that requires approval waits for a decision.
    public let approval: ApprovalRule

    public init(
        provider: DatabaseProvider, logger: Logger, changes: BookingChanges = BookingChanges(), checkIn: CheckInRule = CheckInRule(),
        approval: ApprovalRule = ApprovalRule()
    ) {
        self.provider = provider
        self.logger = logger
        self.changes = changes
        self.checkIn = checkIn
        self.approval = approval
        self.writer = Self.writer(provider: provider, logger: logger)
    }

    public func list(userID: String?, filter: BookingFilter, page: Pagination) async throws -> (bookings: [Booking], total: Int) {
        let query = BookingRecord.query(on: try db)
        if let userID { query.filter(\.$userID == userID) }
        if let roomID = filter.roomID { query.filter(\.$roomID == roomID) }
        // `YYYY-MM-DD` text sorts as the dates do.
        if let from = filter.from { query.filter(\.$date >= from.description) }
        if let to = filter.to { query.filter(\.$date <= to.description) }
        if let status = filter.status {
            query.filter(\.$status == status.rawValue)
        } else if let statuses = filter.statuses {
            query.filter(\.$status ~~ statuses.map(\.rawValue))
        }
        let total = try await query.count()
        let records = try await query.copy().sort(\.$startsAt).sort(\.$id).range(page.range).all()
        return (try records.map { try $0.domain() }, total)
    }

    public func find(id: Int) async throws -> Booking? {
        try await BookingRecord.find(id, on: try db)?.domain()
    }

    public func series(_ seriesID: String, userID: String) async throws -> [Booking] {
        try await BookingRecord.query(on: try db)
            .filter(\.$seriesID == seriesID).filter(\.$userID == userID).sort(\.$startsAt).all()
            .map { try $0.domain() }
    }

    public func cancel(id: Int, userID: String, now: Date) async throws -> Booking {
        try await cancel(id: id, owner: userID, reason: nil, by: nil, now: now)
    }

    public func cancel(id: Int, reason: String, by adminID: String, now: Date) async throws -> Booking {
        try await cancel(id: id, owner: nil, reason: reason, by: adminID, now: now)
    }

    /// Cancels booking `id` (of `owner`, or anyone's when nil) that has not begun, with its notice;
    /// `reason` and `by` when someone other than its owner cancels it.
    private func cancel(id: Int, owner: String?, reason: String?, by canceller: String?, now: Date) async throws -> Booking {
        let booking = try await db.transaction { tx in
            let query = BookingRecord.query(on: tx).filter(\.$id == id)
            if let owner { query.filter(\.$userID == owner) }
            guard let record = try await query.first() else { throw BookingStoreError.notFound }
            let booking = try record.domain()
            guard booking.status.holdsSlot else { return booking }
            guard booking.startsAt > now else { throw BookingStoreError.alreadyStarted(booking) }
            let withdrawn = booking.status == .pending && owner != nil
            record.status = BookingStatus.cancelled.rawValue
            record.cancelledAt = now
            record.cancelReason = reason
            record.cancelledBy = canceller
            try await record.update(on: tx)
            let cancelled = try record.domain()
            try await Self.enqueueCancelled([cancelled], withdrawn: withdrawn, on: tx, now: now)
            return cancelled
        }
        changes.touched([booking.date])
        return booking
    }

    public func cancelSeries(
        _ seriesID: String, userID: String, now: Date
    ) async throws -> [Booking] {
        let cancelled = try await db.transaction { tx in
            let records = try await BookingRecord.query(on: tx)
                .filter(\.$seriesID == seriesID).filter(\.$userID == userID).sort(\.$startsAt).all()
            guard !records.isEmpty else { throw BookingStoreError.notFound }
            var cancelled: [Booking] = []
            var withdrawn = false
            for record in records where BookingStatus.holdingValues.contains(record.status) && record.startsAt > now {
                withdrawn = withdrawn || record.status == BookingStatus.pending.rawValue
                record.status = BookingStatus.cancelled.rawValue
                record.cancelledAt = now
                try await record.update(on: tx)
                cancelled.append(try record.domain())
            }
            try await Self.enqueueCancelled(cancelled, withdrawn: withdrawn, on: tx, now: now)
            return cancelled
        }
        changes.touched(cancelled.map(\.date))
        return cancelled
    }

    /// The booker's notice of `cancelled` (one booking, or the cancelled part of a series), stored
    /// with the cancellation; a request its booker `withdrawn` is told as such, to its approver too.
    /// A room deleted since is named by its id.
    private static func enqueueCancelled(_ cancelled: [Booking], withdrawn: Bool = false, on tx: any Database, now: Date) async throws {
        guard let first = cancelled.first else { return }
        let room = try await RoomRecord.find(first.roomID, on: tx)?.domain()
        let notices = withdrawn ? BookingNotices.withdrawn(cancelled, room: room) : [BookingNotices.cancelled(cancelled, room: room)].compactMap { $0 }
        try await tx.enqueue(try notices.map { try $0.outboxMessage() }, now: now)
    }

    public func occupancy(roomID: Int?, from: Date, to: Date) async throws -> [RoomOccupancy] {
        var query: SQLQueryString = """
            SELECT r.id AS room_id, r.name AS room_name, r.out_of_order_ticket AS out_of_order, b.starts_at AS starts_at, b.ends_at AS ends_at
            FROM rooms r LEFT JOIN bookings b
              ON b.room_id = r.id AND b.status IN (\(binds: BookingStatus.holdingValues)) AND b.starts_at < \(bind: to) AND b.ends_at > \(bind: from)
            """
        if let roomID {
            query.appendInterpolation(unsafeRaw: " WHERE r.id = ")
            query.appendInterpolation(bind: roomID)
        }
        query.appendInterpolation(unsafeRaw: " ORDER BY r.id, b.starts_at")
        let rows = try await try db.sql.raw(query).all()
        var rooms: [(id: Int, name: String)] = []
        var busy: [Int: [DateInterval]] = [:]
        for row in rows {
            let id = try row.decode(column: "room_id", as: Int.self)
            if rooms.last?.id != id {
                rooms.append((id, try row.decode(column: "room_name", as: String.self)))
                // A room out of order is busy for the whole window, until its ticket is resolved.
                if try row.decode(column: "out_of_order", as: Int?.self) != nil { busy[id, default: []].append(DateInterval(start: from, end: max(from, to))) }
            }
            // A room without bookings in the window comes back once, with NULL times.
            if let start = try row.decode(column: "starts_at", as: Date?.self), let end = try row.decode(column: "ends_at", as: Date?.self) {
                busy[id, default: []].append(DateInterval(start: start, end: max(start, end)))
            }
        }
        // A closed room is busy for the whole closure.
        let closures = try await FluentRoomClosureRepository.overlapping(roomIDs: rooms.map(\.id), from: from, to: to, on: try db)
        for (room, closed) in closures {
            busy[room, default: []] += closed.map { DateInterval(start: $0.startsAt, end: $0.endsAt) }
        }
        return rooms.map { RoomOccupancy(roomID: $0.id, roomName: $0.name, busy: busy[$0.id] ?? []) }
    }

    public func upcoming(roomID: Int, from: Date, to: Date, limit: Int) async throws -> [Booking] {
        try await BookingRecord.query(on: try db)
            .filter(\.$roomID == roomID).filter(\.$status ~~ BookingStatus.holdingValues)
            .filter(\.$endsAt > from).filter(\.$startsAt < to)
            .sort(\.$startsAt).sort(\.$id).limit(limit).all()
            .map { try $0.domain() }
    }

    public func held(userID: String) async throws -> [(booking: Booking, room: Room?)] {
        let db = try db
        let bookings = try await BookingRecord.query(on: db)
            .filter(\.$userID == userID).filter(\.$status ~~ BookingStatus.holdingValues)
            .sort(\.$startsAt).sort(\.$id).all()
            .map { try $0.domain() }
        return try await withRooms(bookings, on: db)
    }

    public func calendar(userID: String, since: Date) async throws -> [(booking: Booking, room: Room?)] {
        let db = try db
        let bookings = try await BookingRecord.query(on: db)
            .filter(\.$userID == userID).filter(\.$endsAt > since)
            .sort(\.$startsAt).sort(\.$id).all()
            .map { try $0.domain() }
        return try await withRooms(bookings, on: db)
    }

    public func calendar(roomID: Int, since: Date) async throws -> [Booking] {
        try await BookingRecord.query(on: try db)
            .filter(\.$roomID == roomID).filter(\.$status ~~ BookingStatus.holdingValues).filter(\.$endsAt > since)
            .sort(\.$startsAt).sort(\.$id).all()
            .map { try $0.domain() }
    }

    private func withRooms(_ bookings: [Booking], on db: any Database) async throws -> [(booking: Booking, room: Room?)] {
        let roomIDs = Array(Set(bookings.map(\.roomID)))
        guard !roomIDs.isEmpty else { return [] }
        let rooms = try await RoomRecord.query(on: db).filter(\.$id ~~ roomIDs).all().map { try $0.domain() }
        let byID = Dictionary(uniqueKeysWithValues: rooms.map { ($0.id, $0) })
        return bookings.map { ($0, byID[$0.roomID]) }
    }

    public func upcomingCount(userID: String, now: Date) async throws -> Int {
        try await BookingRecord.query(on: try db)
            .filter(\.$userID == userID).filter(\.$status ~~ BookingStatus.holdingValues).filter(\.$endsAt > now)
            .count()
    }
}
