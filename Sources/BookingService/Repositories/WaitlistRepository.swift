import CampusKit
import FluentKit
import Foundation
import Logging
import SQLKit

/// Waiting lists for taken slots (``Waitlist``).
public protocol WaitlistRepository: Sendable {
    /// Puts the plan's booker in line for its slot, which someone else must hold now.
    func join(_ plan: BookingPlan, role: Role, limits: BookingLimits, autoBook: Bool, now: Date) async throws -> WaitlistEntry
    /// The person's entries, waiting ones with their place in line, the newest slots last.
    func list(userID: String, now: Date, page: Pagination) async throws -> (entries: [WaitlistEntry], total: Int)
    /// Leaves the line; false if they had no such entry.
    func withdraw(id: Int, userID: String) async throws -> Bool
    /// Serves the first in line of every slot that is free at `now`, each once however many
    /// replicas sweep at once; returns those served here.
    func serve(now: Date) async throws -> [WaitlistEntry]
}

public struct FluentWaitlistRepository: WaitlistRepository, DatabaseBacked {
    public let provider: DatabaseProvider
    public let logger: Logger
    let changes: BookingChanges
    let checkIn: CheckInRule
    static let schema = CreateWaitlist.schema

    public init(provider: DatabaseProvider, logger: Logger, changes: BookingChanges, checkIn: CheckInRule = CheckInRule()) {
        self.provider = provider
        self.logger = logger
        self.changes = changes
        self.checkIn = checkIn
    }

    public func join(_ plan: BookingPlan, role: Role, limits: BookingLimits, autoBook: Bool, now: Date) async throws -> WaitlistEntry {
        guard let occurrence = plan.occurrences.first else { throw WaitlistRefusal.unknownRoom(plan.roomID) }
        return try await db.transaction { tx in
            let sql = tx.sql
            guard let room = try await RoomRecord.find(plan.roomID, on: tx)?.domain() else { throw WaitlistRefusal.unknownRoom(plan.roomID) }
            try limits.checkRoom(room)
            let when = "\(occurrence.date.spoken), \(plan.startTime)–\(plan.endTime)"
            let holders = try await sql.select().column("user_id").from(BookingRecord.schema)
                .where("status", .in, BookingStatus.holdingValues).where("room_id", .equal, plan.roomID)
                .where("starts_at", .lessThan, occurrence.endsAt).where("ends_at", .greaterThan, occurrence.startsAt)
                .all().map { try $0.decode(column: "user_id", as: String.self) }
            guard !holders.isEmpty else { throw WaitlistRefusal.slotFree(room: room.name, when: when) }
            guard !holders.contains(plan.userID) else { throw WaitlistRefusal.yours(room: room.name, when: when) }
            let mine = try await sql.select().column(SQLLiteral.all).from(Self.schema)
                .where("user_id", .equal, plan.userID).where("status", .equal, WaitlistStatus.waiting.rawValue)
                .where("ends_at", .greaterThan, now).all().map(Self.entry(of:))
            if let existing = mine.first(where: { $0.overlaps(roomID: plan.roomID, startsAt: occurrence.startsAt, endsAt: occurrence.endsAt) }) {
                throw WaitlistRefusal.alreadyWaiting(room: room.name, when: existing.spokenWhen)
            }
            guard mine.count < Waitlist.maximumWaiting else { throw WaitlistRefusal.tooMany(max: Waitlist.maximumWaiting) }
            var entry = WaitlistEntry(
                id: 0, roomID: plan.roomID, userID: plan.userID, role: role, date: occurrence.date, startTime: plan.startTime,
                endTime: plan.endTime, startsAt: occurrence.startsAt, endsAt: occurrence.endsAt, purpose: plan.purpose, autoBook: autoBook,
                status: .waiting, createdAt: now.wholeSeconds)
            let inserted = try await sql.insert(into: Self.schema)
                .columns(
                    "room_id", "user_id", "role", "date", "start_time", "end_time", "starts_at", "ends_at", "purpose", "auto_book", "status",
                    "created_at"
                )
                .values(
                    SQLBind(entry.roomID), SQLBind(entry.userID), SQLBind(entry.role.rawValue), SQLBind(entry.date.description),
                    SQLBind(entry.startTime.description), SQLBind(entry.endTime.description), SQLBind(entry.startsAt), SQLBind(entry.endsAt),
                    SQLBind(entry.purpose), SQLBind(entry.autoBook), SQLBind(entry.status.rawValue), SQLBind(entry.createdAt)
                )
                .returning("id").all()
            entry.id = try inserted.first?.decode(column: "id", as: Int.self) ?? 0
            entry.position = try await Self.position(of: entry, now: now, on: tx)
            return entry
        }
    }

    public func list(userID: String, now: Date, page: Pagination) async throws -> (entries: [WaitlistEntry], total: Int) {
        let db = try db
        let mine = db.sql.select().from(Self.schema).where("user_id", .equal, userID).where("ends_at", .greaterThan, now)
        let total = try await mine.column(SQLFunction("COUNT", args: SQLLiteral.all), as: "n").first()?.decode(column: "n", as: Int.self) ?? 0
        var entries = try await db.sql.select().column(SQLLiteral.all).from(Self.schema).where("user_id", .equal, userID)
            .where("ends_at", .greaterThan, now).orderBy("starts_at").orderBy("id").limit(page.limit).offset(page.offset).all()
            .map(Self.entry(of:))
        for index in entries.indices where entries[index].status == .waiting {
            entries[index].position = try await Self.position(of: entries[index], now: now, on: db)
        }
        return (entries, total)
    }

    public func withdraw(id: Int, userID: String) async throws -> Bool {
        let deleted = try await db.sql.delete(from: Self.schema).where("id", .equal, id).where("user_id", .equal, userID).returning("id").all()
        return !deleted.isEmpty
    }

    public func serve(now: Date) async throws -> [WaitlistEntry] {
        let isPostgreSQL = provider.isPostgreSQL
        let checkIn = checkIn
        let served: [WaitlistEntry] = try await db.transaction { tx in
            let sql = tx.sql
            if isPostgreSQL {
                // One replica serves at a time: a booking made for someone takes their lock (as theirs
                // would), and two sweeps claiming in different orders would otherwise wait on each other.
                try await sql.raw("SELECT pg_advisory_xact_lock(\(bind: Self.serveLockKey))").run()
            }
            let lines = try await sql.select().column(SQLLiteral.all).from(Self.schema)
                .where("status", .in, [WaitlistStatus.waiting.rawValue, WaitlistStatus.offered.rawValue]).where("ends_at", .greaterThan, now)
                .orderBy("created_at").orderBy("id").limit(2000).all().map(Self.entry(of:))
            let waiting = lines.filter { $0.status == .waiting }
            guard !waiting.isEmpty else { return [] }
            // Offered a moment ago: the first in line has the slot to themselves for a while.
            let holdSince = now.addingTimeInterval(-Double(Waitlist.firstInLineMinutes) * 60)
            var handled = lines.filter { $0.status == .offered && ($0.servedAt ?? now) > holdSince }
            let rooms = try await RoomRecord.rooms(waiting.map(\.roomID), on: tx)
            let from = waiting.map(\.startsAt).min() ?? now
            let to = waiting.map(\.endsAt).max() ?? now
            let closures = try await FluentRoomClosureRepository.overlapping(roomIDs: Array(rooms.keys), from: from, to: to, on: tx)
            // The bookings holding slots (confirmed or pending) over the lines' span, read once: the sweep runs every few seconds
            // in a write transaction, so not one query per person waiting.
            var held: [Int: [Booking]] = [:]
            for row in try await sql.select().column(SQLLiteral.all).from(BookingRecord.schema)
                .where("status", .in, BookingStatus.holdingValues).where("room_id", .in, Array(rooms.keys))
                .where("starts_at", .lessThan, to).where("ends_at", .greaterThan, from).all()
            {
                let booking = try BookingRecord.domain(of: row)
                held[booking.roomID, default: []].append(booking)
            }
            var served: [WaitlistEntry] = []
            var notices: [OutboxMessage] = []
            for var entry in waiting {
                guard let room = rooms[entry.roomID] else { continue }
                if handled.contains(where: { $0.overlaps(roomID: entry.roomID, startsAt: entry.startsAt, endsAt: entry.endsAt) }) { continue }
                if RoomClosedRefusal.first([(entry.startsAt, entry.endsAt)], among: closures[entry.roomID] ?? []) != nil { continue }
                let taken = (held[entry.roomID] ?? []).contains { $0.startsAt < entry.endsAt && entry.startsAt < $0.endsAt }
                guard !taken else { continue }
                handled.append(entry)
                // Served by whoever claims it first: another replica's sweep finds it claimed and leaves the slot.
                let claimed = try await sql.update(Self.schema).set("status", to: WaitlistStatus.offered.rawValue)
                    .set("served_at", to: now.wholeSeconds).where("id", .equal, entry.id).where("status", .equal, WaitlistStatus.waiting.rawValue)
                    .returning("id").all()
                guard !claimed.isEmpty else { continue }
                entry.status = .offered
                entry.servedAt = now.wholeSeconds
                var unbooked: String? = nil
                if entry.autoBook {
                    switch try await Self.book(entry, room: room, checkIn: checkIn, now: now, on: tx, isPostgreSQL: isPostgreSQL) {
                    case .success(let booking):
                        entry.status = .booked
                        entry.bookingID = booking.id
                        try await sql.update(Self.schema).set("status", to: WaitlistStatus.booked.rawValue).set("booking_id", to: booking.id)
                            .where("id", .equal, entry.id).run()
                    case .failure(let reason):
                        unbooked = reason.reason
                    }
                }
                if entry.status == .offered {
                    notices.append(try BookingNotices.waitlistFree(entry, room: room, unbooked: unbooked).outboxMessage())
                }
                served.append(entry)
            }
            try await tx.enqueue(notices, now: now)
            return served
        }
        changes.touched(served.filter { $0.status == .booked }.map(\.date))
        return served
    }

    /// The booking of `entry` made for its owner, checked as their own would be (room, limits, closures,
    /// overlaps) in this transaction; the refusal in words if it cannot be made.
    private static func book(
        _ entry: WaitlistEntry, room: Room, checkIn: CheckInRule, now: Date, on tx: any Database, isPostgreSQL: Bool
    ) async throws -> Result<Booking, WaitlistBookingFailure> {
        let limits: BookingLimits
        do {
            limits = try BookingLimits.of(entry.role)
        } catch {
            return .failure(WaitlistBookingFailure(reason: "your role may not book rooms."))
        }
        // A request needs the approver to know who asks, which a waiting line does not record.
        if let approval = room.approval, approval.needsDecision(bookedBy: entry.userID) {
            return .failure(WaitlistBookingFailure(reason: "\(room.name) requires approval by \(approval.spokenApprover): request it yourself on the page."))
        }
        let plan = BookingPlan(
            roomID: entry.roomID, userID: entry.userID, startTime: entry.startTime, endTime: entry.endTime, purpose: entry.purpose,
            occurrences: [Occurrence(date: entry.date, startsAt: entry.startsAt, endsAt: entry.endsAt)], seriesID: nil)
        let write = BookingWrite(plan: plan, limits: limits, now: now, traceParent: nil, checkIn: checkIn)
        switch try await FluentBookingRepository.book([write], on: tx, isPostgreSQL: isPostgreSQL).first {
        case .success(let made)?:
            guard let booking = made.first else { return .failure(WaitlistBookingFailure(reason: "it was not stored.")) }
            return .success(booking)
        case .failure(let error)?:
            let detail = (error as? any ProblemConvertible)?.problem.detail ?? "it is no longer free."
            return .failure(WaitlistBookingFailure(reason: detail))
        case nil:
            return .failure(WaitlistBookingFailure(reason: "it was not stored."))
        }
    }

    /// The advisory lock only one waiting-list sweep holds at a time (PostgreSQL).
    static let serveLockKey: Int64 = 0x7761_6974_6C69_7374  // "waitlist"

    /// Place in line: 1 + those ahead for an overlapping slot of the room: waiting since earlier, or
    /// told it is free within the last ``Waitlist/firstInLineMinutes`` (the slot is theirs to take until then).
    static func position(of entry: WaitlistEntry, now: Date, on db: any Database) async throws -> Int {
        let holdSince = now.addingTimeInterval(-Double(Waitlist.firstInLineMinutes) * 60)
        let ahead =
            try await db.sql.select().column(SQLFunction("COUNT", args: SQLLiteral.all), as: "n").from(schema)
            .where("room_id", .equal, entry.roomID).where("id", .notEqual, entry.id)
            .where("starts_at", .lessThan, entry.endsAt).where("ends_at", .greaterThan, entry.startsAt)
            .where { group in
                group.where { $0.where("status", .equal, WaitlistStatus.waiting.rawValue).where("id", .lessThan, entry.id) }
                    .orWhere { $0.where("status", .equal, WaitlistStatus.offered.rawValue).where("served_at", .greaterThan, holdSince) }
            }
            .first()?.decode(column: "n", as: Int.self) ?? 0
        return ahead + 1
    }

    static func entry(of row: any SQLRow) throws -> WaitlistEntry {
        let id = try row.decode(column: "id", as: Int.self)
        guard let date = CalendarDate(try row.decode(column: "date", as: String.self)),
            let start = WallClockTime(try row.decode(column: "start_time", as: String.self)),
            let end = WallClockTime(try row.decode(column: "end_time", as: String.self)),
            let role = Role(rawValue: try row.decode(column: "role", as: String.self)),
            let status = WaitlistStatus(rawValue: try row.decode(column: "status", as: String.self))
        else { throw CorruptRecord(table: schema, id: String(id), "date, times, role or status cannot be read") }
        return WaitlistEntry(
            id: id, roomID: try row.decode(column: "room_id", as: Int.self), userID: try row.decode(column: "user_id", as: String.self), role: role,
            date: date, startTime: start, endTime: end, startsAt: try row.decode(column: "starts_at", as: Date.self),
            endsAt: try row.decode(column: "ends_at", as: Date.self), purpose: try row.decode(column: "purpose", as: String.self),
            autoBook: try row.decode(column: "auto_book", as: Bool.self), status: status, createdAt: try row.decode(column: "created_at", as: Date.self),
            servedAt: try row.decode(column: "served_at", as: Date?.self), bookingID: try row.decode(column: "booking_id", as: Int?.self))
    }
}

/// Why a booking could not be made for the first in line, in words for their notice.
struct WaitlistBookingFailure: Error {
    let reason: String
}

/// The waiting lists: one row per person and slot, kept until the slot has ended.
struct CreateWaitlist: AsyncMigration {
    static let schema = "waitlist"

    func prepare(on database: any Database) async throws {
        try await database.schema(Self.schema)
            .field("id", .int, .identifier(auto: true))
            .field("room_id", .int, .required)
            .field("user_id", .string, .required)
            .field("role", .string, .required)
            .field("date", .string, .required)
            .field("start_time", .string, .required)
            .field("end_time", .string, .required)
            .field("starts_at", .datetime, .required)
            .field("ends_at", .datetime, .required)
            .field("purpose", .string, .required)
            .field("auto_book", .bool, .required)
            .field("status", .string, .required)
            .field("created_at", .datetime, .required)
            .field("served_at", .datetime)
            .field("booking_id", .int)
            .create()
        try await database.sql.create(index: "waitlist_room_time").on(Self.schema).column("room_id").column("starts_at").run()
        try await database.sql.create(index: "waitlist_user").on(Self.schema).column("user_id").run()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(Self.schema).delete()
    }
}
