import CampusKit
import FluentKit
import Foundation
import SQLKit

extension FluentBookingRepository {
    public func book(_ plan: BookingPlan, limits: BookingLimits, now: Date) async throws -> [Booking] {
        let isPostgreSQL = provider.isPostgreSQL
        var attempt = 0
        while true {
            attempt += 1
            do {
                return try await db.transaction { tx in
                    try await Self.book(plan, limits: limits, now: now, on: tx, isPostgreSQL: isPostgreSQL)
                }
            } catch let error where ConstraintViolation.isViolation(of: CreateBookings.overlapGuard, error) {
                // Another request won the race between our check and our insert; the database
                // refused ours. Read the winner back to say what is in the way.
                throw try await conflictAfterRace(plan)
            } catch let error where ConstraintViolation.serializationFailures.contains(ConstraintViolation.sqlState(of: error) ?? "") && attempt < 3 {
                logger.debug("Retrying a booking after a serialisation failure", metadata: ["attempt": "\(attempt)"])
            }
        }
    }

    /// Check and insert in one transaction. SQLite has one connection and so one writer: the
    /// check cannot be overtaken. PostgreSQL runs transactions side by side: the exclusion
    /// constraint refuses the loser of a race, and per-user and per-room locks keep the
    /// upcoming-bookings count and room deletions exact.
    private static func book(
        _ plan: BookingPlan, limits: BookingLimits, now: Date, on tx: any Database, isPostgreSQL: Bool
    ) async throws -> [Booking] {
        let sql = tx.sql
        if isPostgreSQL {
            try await sql.raw("SELECT pg_advisory_xact_lock(\(bind: userLockKey(plan.userID)))").run()
            try await sql.raw("SELECT id FROM rooms WHERE id = \(bind: plan.roomID) FOR SHARE").run()
        }
        guard let room = try await RoomRecord.find(plan.roomID, on: tx)?.domain() else { throw BookingStoreError.unknownRoom }
        let upcoming = try await BookingRecord.query(on: tx)
            .filter(\.$userID == plan.userID).filter(\.$status == BookingStatus.confirmed.rawValue).filter(\.$endsAt > now)
            .count()
        try limits.checkRoom(room)
        try limits.checkUpcoming(existing: upcoming, adding: plan.occurrences.count)
        if let overlap = try await firstOverlap(plan, on: tx) {
            throw BookingStoreError.conflict(room: room, existing: overlap.booking, date: overlap.date)
        }
        var bookings: [Booking] = []
        for occurrence in plan.occurrences {
            let record = BookingRecord(plan, occurrence, now: now.wholeSeconds)
            try await record.create(on: tx)
            bookings.append(try record.domain())
        }
        try await tx.enqueue(try BookingNotices.confirmed(bookings, room: room).map { [try $0.outboxMessage()] } ?? [], now: now)
        return bookings
    }

    /// The earliest confirmed booking overlapping any occurrence of `plan`, and that occurrence's date.
    static func firstOverlap(_ plan: BookingPlan, on db: any Database) async throws -> (booking: Booking, date: CalendarDate)? {
        let existing = try await BookingRecord.query(on: db)
            .filter(\.$roomID == plan.roomID).filter(\.$status == BookingStatus.confirmed.rawValue)
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
