import CampusKit
import FluentKit
import Foundation
import SQLKit

/// One `POST /bookings` waiting for the group commit: the plan, the booker's limits, the moment
/// it was asked and the trace its notice continues.
struct BookingWrite: Sendable {
    let plan: BookingPlan
    let limits: BookingLimits
    let now: Date
    let traceParent: String?
    var checkIn = CheckInRule()
    var approval = ApprovalRule()
}

extension FluentBookingRepository {
    public func book(_ plan: BookingPlan, limits: BookingLimits, now: Date) async throws -> [Booking] {
        let write = BookingWrite(
            plan: plan, limits: limits, now: now, traceParent: CampusTracing.currentTraceParent(), checkIn: checkIn, approval: approval)
        do {
            let made = try await ConstraintViolation.retryingSerializationFailures(logger: logger) { try await writer.submit(write) }
            changes.touched(made.map(\.date))
            return made
        } catch let error where ConstraintViolation.isViolation(of: CreateBookings.overlapGuard, error) {
            // Another replica won the race between our check and our insert; the database
            // refused ours. Read the winner back to say what is in the way.
            throw try await conflictAfterRace(plan)
        }
    }

    /// The one writer of this repository's bookings: the requests that arrive while a transaction
    /// commits are checked and stored together in the next (``GroupCommit``).
    static func writer(provider: DatabaseProvider, logger: Logger) -> GroupCommit<BookingWrite, [Booking]> {
        let isPostgreSQL = provider.isPostgreSQL
        return GroupCommit(provider: provider, logger: logger) { writes, tx in
            try await book(writes, on: tx, isPostgreSQL: isPostgreSQL)
        }
    }

    /// Checks and stores a batch of requests in one transaction, in the order they came: each is
    /// checked against the table and against the requests before it in the batch, as if each had
    /// its own transaction. A fixed number of statements per batch, whatever its size: the rooms,
    /// the bookers' upcoming counts, the overlapping bookings, one insert of the winners, one of
    /// their notices.
    ///
    /// SQLite has one connection and so one writer: nothing overtakes the check. PostgreSQL runs
    /// transactions side by side (replicas each have a writer): the exclusion constraint refuses
    /// the loser of a race between two batches (``GroupCommit`` then writes each request alone),
    /// and per-user and per-room locks keep the upcoming count and room deletions exact.
    static func book(_ writes: [BookingWrite], on tx: any Database, isPostgreSQL: Bool) async throws -> [Result<[Booking], any Error>] {
        let sql = tx.sql
        let userIDs = Array(Set(writes.map(\.plan.userID)))
        let roomIDs = Array(Set(writes.map(\.plan.roomID))).sorted()
        if isPostgreSQL {
            // Every writer takes the locks in one order, so two batches never wait on each other in a circle.
            let keys = userIDs.map(userLockKey).sorted()
            try await sql.raw("SELECT pg_advisory_xact_lock(k) FROM (SELECT unnest(ARRAY[\(binds: keys)]::bigint[]) AS k ORDER BY 1) AS locks").run()
            try await sql.raw("SELECT id FROM rooms WHERE id IN (\(binds: roomIDs)) ORDER BY id FOR SHARE").run()
        }
        let rooms = try await RoomRecord.rooms(roomIDs, on: tx)
        // The earliest moment of the batch: a booking ending within the batch's few milliseconds still counts.
        let earliest = writes.map(\.now).min() ?? Date()
        var held: [String: Int] = [:]
        for row in try await sql.select().column("user_id").column(SQLFunction("COUNT", args: SQLLiteral.all), as: "held")
            .from(BookingRecord.schema).where("user_id", .in, userIDs).where("status", .in, BookingStatus.holdingValues)
            .where("ends_at", .greaterThan, earliest).groupBy("user_id").all()
        {
            held[try row.decode(column: "user_id", as: String.self)] = try row.decode(column: "held", as: Int.self)
        }
        var taken = try await holdingOverlapping(writes.map(\.plan), on: tx)
        let wanted = writes.flatMap(\.plan.occurrences)
        let closures = try await FluentRoomClosureRepository.overlapping(
            roomIDs: roomIDs, from: wanted.map(\.startsAt).min() ?? earliest, to: wanted.map(\.endsAt).max() ?? earliest, on: tx)

        // The batch's winners, numbered -1, -2, … until the insert gives them their ids.
        var stored: [Booking] = []
        var verdicts: [BatchVerdict] = []
        for write in writes {
            let plan = write.plan
            guard let room = rooms[plan.roomID] else {
                verdicts.append(.refused(BookingStoreError.unknownRoom))
                continue
            }
            let intervals = plan.occurrences.map { (startsAt: $0.startsAt, endsAt: $0.endsAt) }
            if let closure = RoomClosedRefusal.first(intervals, among: closures[plan.roomID] ?? []) {
                verdicts.append(.refused(RoomClosedRefusal(room: room.name, closure: closure, bookings: plan.occurrences.count, verb: "made")))
                continue
            }
            do {
                try write.limits.checkRoom(room)
                try room.checkInOrder(bookings: plan.occurrences.count, verb: "made")
                try write.limits.checkUpcoming(existing: held[plan.userID, default: 0], adding: plan.occurrences.count)
            } catch {
                verdicts.append(.refused(error))
                continue
            }
            if let clash = firstClash(plan, among: taken[plan.roomID] ?? []) {
                verdicts.append(.conflict(room: room, existing: clash.booking, date: clash.date))
                continue
            }
            let first = stored.count
            // In a room that requires approval, a request that holds the slot until decided.
            let pending = room.approval?.needsDecision(bookedBy: plan.userID) ?? false
            for occurrence in plan.occurrences {
                let booking = Booking(
                    id: -(stored.count + 1), roomID: plan.roomID, userID: plan.userID, date: occurrence.date, startTime: plan.startTime,
                    endTime: plan.endTime, startsAt: occurrence.startsAt, endsAt: occurrence.endsAt, purpose: plan.purpose,
                    status: pending ? .pending : .confirmed, seriesID: plan.seriesID, createdAt: write.now.wholeSeconds,
                    checkIn: room.checkInRequired ? write.checkIn.window(startingAt: occurrence.startsAt, endingAt: occurrence.endsAt) : nil,
                    approval: pending
                        ? BookingApproval(
                            decideBy: write.approval.decideBy(now: write.now, startsAt: plan.occurrences[0].startsAt),
                            requesterName: plan.requester?.name ?? "", requesterEmail: plan.requester?.email ?? "") : nil)
                stored.append(booking)
                taken[plan.roomID, default: []].append(booking)
            }
            held[plan.userID, default: 0] += plan.occurrences.count
            verdicts.append(.stored(first..<stored.count, room))
        }
        try await insert(&stored, on: sql)

        var notices: [OutboxEntry] = []
        for (write, verdict) in zip(writes, verdicts) {
            guard case .stored(let range, let room) = verdict else { continue }
            let made = Array(stored[range])
            let told =
                made.first?.status == .pending
                ? [
                    BookingNotices.requested(made, room: room, calendar: write.approval.calendar),
                    BookingNotices.approvalRequested(made, room: room, calendar: write.approval.calendar),
                ]
                : [BookingNotices.confirmed(made, room: room)]
            for notice in told.compactMap({ $0 }) {
                notices.append(OutboxEntry(try notice.outboxMessage(), now: write.now, traceParent: write.traceParent))
            }
        }
        try await tx.enqueue(notices)

        return verdicts.map { verdict in
            switch verdict {
            case .refused(let error):
                return .failure(error)
            case .stored(let range, _):
                return .success(Array(stored[range]))
            case .conflict(let room, let existing, let date):
                // A clash with a winner of this batch names it by the id it was given.
                let named = existing.id < 0 ? stored[-existing.id - 1] : existing
                return .failure(BookingStoreError.conflict(room: room, existing: named, date: date))
            }
        }
    }

    private enum BatchVerdict {
        case refused(any Error)
        case stored(Range<Int>, Room)
        case conflict(room: Room, existing: Booking, date: CalendarDate)
    }

    /// The bookings holding a slot (confirmed, or pending approval) overlapping any occurrence of `plans`, by room. In SQLKit: Fluent
    /// resolves every key path of a filter by reflecting on a new model, which cost more than
    /// the rest of a booking's writing together (callgrind).
    private static func holdingOverlapping(_ plans: [BookingPlan], on tx: any Database) async throws -> [Int: [Booking]] {
        let wanted = plans.flatMap { plan in plan.occurrences.map { (room: plan.roomID, occurrence: $0) } }
        let sql = tx.sql
        var taken: [Int: [Booking]] = [:]
        var seen = Set<Int>()
        // A bounded number of alternatives per query (SQLite parses a long OR as a deep tree).
        for start in stride(from: 0, to: wanted.count, by: 100) {
            let part = wanted[start..<min(start + 100, wanted.count)]
            let rows = try await sql.select().column(SQLLiteral.all).from(BookingRecord.schema)
                .where("status", .in, BookingStatus.holdingValues)
                .where(group: { any in
                    for (room, occurrence) in part {
                        any.orWhere(group: { one in
                            one.where("room_id", .equal, room).where("starts_at", .lessThan, occurrence.endsAt)
                                .where("ends_at", .greaterThan, occurrence.startsAt)
                        })
                    }
                    return any
                })
                .all()
            for row in rows {
                let booking = try BookingRecord.domain(of: row)
                if seen.insert(booking.id).inserted { taken[booking.roomID, default: []].append(booking) }
            }
        }
        return taken
    }

    /// The first occurrence of `plan` (in its order) that overlaps one of `bookings`, with the
    /// earliest such booking — what ``firstOverlap(_:on:)`` reads from the table.
    private static func firstClash(_ plan: BookingPlan, among bookings: [Booking]) -> (booking: Booking, date: CalendarDate)? {
        for occurrence in plan.occurrences {
            let clash = bookings.filter { $0.startsAt < occurrence.endsAt && $0.endsAt > occurrence.startsAt }.min { $0.startsAt < $1.startsAt }
            if let clash { return (clash, occurrence.date) }
        }
        return nil
    }

    /// Inserts `bookings` in as few statements as the bind limit allows and gives each its id.
    private static func insert(_ bookings: inout [Booking], on sql: any SQLDatabase) async throws {
        struct Slot: Hashable {
            let room: Int
            let start: Double
        }
        var index: [Slot: Int] = [:]
        for (position, booking) in bookings.enumerated() { index[Slot(room: booking.roomID, start: booking.startsAt.timeIntervalSince1970)] = position }
        for start in stride(from: 0, to: bookings.count, by: 500) {
            let part = bookings[start..<min(start + 500, bookings.count)]
            let rows: [[any SQLExpression]] = part.map { booking in
                let values: [any Encodable & Sendable] = [
                    booking.roomID, booking.userID, booking.date.description, booking.startTime.description, booking.endTime.description,
                    booking.startsAt, booking.endsAt, booking.purpose, booking.status.rawValue, booking.seriesID, booking.createdAt,
                    booking.checkIn?.opensAt, booking.checkIn?.closesAt, booking.approval?.decideBy, booking.approval?.requesterName,
                    booking.approval?.requesterEmail,
                ]
                return values.map { SQLBind($0) }
            }
            // RETURNING names no order: each row is found again by its room and start, unique among bookings holding a slot.
            let inserted = try await sql.insert(into: BookingRecord.schema)
                .columns(
                    "room_id", "user_id", "date", "start_time", "end_time", "starts_at", "ends_at", "purpose", "status", "series_id", "created_at",
                    "check_in_opens_at", "check_in_closes_at", "decide_by", "requester_name", "requester_email"
                )
                .rows(rows)
                .returning("id", "room_id", "starts_at")
                .all()
            for row in inserted {
                let slot = Slot(
                    room: try row.decode(column: "room_id", as: Int.self), start: try row.decode(column: "starts_at", as: Date.self).timeIntervalSince1970)
                guard let position = index[slot] else { throw CorruptRecord(table: BookingRecord.schema, id: nil, "an inserted booking was not found again") }
                bookings[position].id = try row.decode(column: "id", as: Int.self)
            }
        }
    }

    /// The earliest booking holding a slot overlapping any occurrence of `plan`, and that occurrence's date.
    static func firstOverlap(_ plan: BookingPlan, on db: any Database) async throws -> (booking: Booking, date: CalendarDate)? {
        let existing = try await BookingRecord.query(on: db)
            .filter(\.$roomID == plan.roomID).filter(\.$status ~~ BookingStatus.holdingValues)
            .group(.or) { any in
                for occurrence in plan.occurrences {
                    any.group(.and) { $0.filter(\.$startsAt < occurrence.endsAt).filter(\.$endsAt > occurrence.startsAt) }
                }
            }
            .sort(\.$startsAt).all()
            .map { try $0.domain() }
        for occurrence in plan.occurrences {
            if let clash = existing.first(where: { $0.startsAt < occurrence.endsAt && $0.endsAt > occurrence.startsAt }) {
                return (clash, occurrence.date)
            }
        }
        return nil
    }

    private func conflictAfterRace(_ plan: BookingPlan) async throws -> BookingStoreError {
        let db = try db
        guard let room = try await RoomRecord.find(plan.roomID, on: db)?.domain() else { return .unknownRoom }
        if let overlap = try await Self.firstOverlap(plan, on: db) {
            return .conflict(room: room, existing: overlap.booking, date: overlap.date)
        }
        return .conflict(room: room, existing: nil, date: plan.occurrences.first?.date ?? CalendarDate(daysSinceEpoch: 0))
    }

    /// A stable 64-bit key per user for `pg_advisory_xact_lock` (FNV-1a of a namespaced id).
    static func userLockKey(_ userID: String) -> Int64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in "booking-user:\(userID)".utf8 {
            hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01b3
        }
        return Int64(bitPattern: hash)
    }
}
