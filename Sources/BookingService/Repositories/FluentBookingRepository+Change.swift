import CampusKit
import FluentKit
import Foundation
import SQLKit

extension FluentBookingRepository {
    public func change(_ move: BookingMove, limits: BookingLimits, now: Date) async throws -> [Booking] {
        let isPostgreSQL = provider.isPostgreSQL
        let changed: [Booking]
        do {
            changed = try await db.transaction { tx in try await Self.change(move, limits: limits, now: now, on: tx, isPostgreSQL: isPostgreSQL) }
        } catch let error where ConstraintViolation.isViolation(of: CreateBookings.overlapGuard, error) {
            // Another replica booked the new slot between our check and our update.
            throw try await conflictAfterRace(move)
        }
        changes.touched(move.steps.flatMap { [$0.before.date, $0.after.date] })
        return changed
    }

    private static func change(_ move: BookingMove, limits: BookingLimits, now: Date, on tx: any Database, isPostgreSQL: Bool) async throws -> [Booking] {
        let sql = tx.sql
        if isPostgreSQL {
            // As a booking does: a room being deleted waits for this, and this for it.
            try await sql.raw("SELECT id FROM rooms WHERE id = \(bind: move.roomID) FOR SHARE").run()
        }
        guard let room = try await RoomRecord.find(move.roomID, on: tx)?.domain() else { throw BookingStoreError.unknownRoom }
        try limits.checkRoom(room)
        guard move.changesAnything, let first = move.steps.first else { return move.steps.map(\.before) }

        let moving = move.steps.map(\.before.id)
        for step in move.steps {
            let overlapping = try await sql.select().column(SQLLiteral.all).from(BookingRecord.schema)
                .where("status", .equal, BookingStatus.confirmed.rawValue).where("room_id", .equal, move.roomID)
                .where("starts_at", .lessThan, step.after.endsAt).where("ends_at", .greaterThan, step.after.startsAt)
                .where("id", .notIn, moving)
                .orderBy("starts_at").limit(1).all()
            if let row = overlapping.first {
                throw BookingStoreError.conflict(room: room, existing: try BookingRecord.domain(of: row), date: step.after.date)
            }
        }

        var changed: [Int: Booking] = [:]
        for step in move.storingOrder {
            var after = step.after
            after.revision = step.before.revision + 1
            after.updatedAt = now.wholeSeconds
            // Only if nobody changed or cancelled it since it was read, and it has not begun.
            let updated = try await sql.update(BookingRecord.schema)
                .set("room_id", to: after.roomID).set("date", to: after.date.description)
                .set("start_time", to: after.startTime.description).set("end_time", to: after.endTime.description)
                .set("starts_at", to: after.startsAt).set("ends_at", to: after.endsAt).set("purpose", to: after.purpose)
                .set("revision", to: after.revision).set("updated_at", to: after.updatedAt)
                .where("id", .equal, step.before.id).where("revision", .equal, step.before.revision)
                .where("status", .equal, BookingStatus.confirmed.rawValue).where("starts_at", .greaterThan, now)
                .returning("id").all()
            guard !updated.isEmpty else { throw BookingStoreError.changedMeanwhile(step.before) }
            changed[after.id] = after
        }
        let stored = move.steps.compactMap { changed[$0.before.id] }
        let oldRoom = first.before.roomID == room.id ? room : try await RoomRecord.find(first.before.roomID, on: tx)?.domain()
        let storedMove = BookingMove(steps: zip(move.steps, stored).map { BookingMove.Step(before: $0.before, after: $1) }, roomID: room.id)
        if let notice = BookingNotices.changed(storedMove, from: oldRoom, to: room) {
            try await tx.enqueue([try notice.outboxMessage()], now: now)
        }
        return stored
    }

    private func conflictAfterRace(_ move: BookingMove) async throws -> BookingStoreError {
        let db = try db
        guard let room = try await RoomRecord.find(move.roomID, on: db)?.domain() else { return .unknownRoom }
        for step in move.steps {
            let overlapping = try await BookingRecord.query(on: db)
                .filter(\.$roomID == move.roomID).filter(\.$status == BookingStatus.confirmed.rawValue)
                .filter(\.$startsAt < step.after.endsAt).filter(\.$endsAt > step.after.startsAt).filter(\.$id != step.before.id)
                .sort(\.$startsAt).first()
            if let overlapping { return .conflict(room: room, existing: try overlapping.domain(), date: step.after.date) }
        }
        return .conflict(room: room, existing: nil, date: move.steps.first?.after.date ?? CalendarDate(daysSinceEpoch: 0))
    }
}
