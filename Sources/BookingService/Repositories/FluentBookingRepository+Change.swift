import CampusKit
import FluentKit
import Foundation
import SQLKit

extension FluentBookingRepository {
    public func change(_ move: BookingMove, limits: BookingLimits, now: Date) async throws -> [Booking] {
        let isPostgreSQL = provider.isPostgreSQL
        let changed: [Booking]
        do {
            changed = try await ConstraintViolation.retryingSerializationFailures(logger: logger) {
                try await db.transaction { tx in
                    try await Self.change(move, limits: limits, checkIn: checkIn, approval: approval, now: now, on: tx, isPostgreSQL: isPostgreSQL)
                }
            }
        } catch let error where ConstraintViolation.isViolation(of: CreateBookings.overlapGuard, error) {
            // Another replica booked the new slot between our check and our update.
            throw try await conflictAfterRace(move)
        }
        changes.touched(move.steps.flatMap { [$0.before.date, $0.after.date] })
        return changed
    }

    private static func change(
        _ move: BookingMove, limits: BookingLimits, checkIn: CheckInRule, approval: ApprovalRule, now: Date, on tx: any Database, isPostgreSQL: Bool
    ) async throws -> [Booking] {
        let sql = tx.sql
        let roomIDs = move.roomIDs
        if isPostgreSQL {
            // As a booking does: a room being deleted or closed waits for this, and this for it.
            try await sql.raw("SELECT id FROM rooms WHERE id IN (\(binds: roomIDs)) ORDER BY id FOR SHARE").run()
        }
        let rooms = try await RoomRecord.rooms(roomIDs + move.steps.map(\.before.roomID), on: tx)
        for id in roomIDs {
            guard let room = rooms[id] else { throw BookingStoreError.unknownRoom }
            try limits.checkRoom(room)
        }
        guard move.changesAnything else { return move.steps.map(\.before) }

        let intervals = move.steps.map { (startsAt: $0.after.startsAt, endsAt: $0.after.endsAt) }
        let closures = try await FluentRoomClosureRepository.overlapping(
            roomIDs: roomIDs, from: intervals.map(\.startsAt).min() ?? now, to: intervals.map(\.endsAt).max() ?? now, on: tx)
        for step in move.steps {
            guard let room = rooms[step.after.roomID] else { throw BookingStoreError.unknownRoom }
            if let closure = RoomClosedRefusal.first([(step.after.startsAt, step.after.endsAt)], among: closures[room.id] ?? []) {
                throw RoomClosedRefusal(room: room.name, closure: closure, bookings: move.steps.count, verb: "changed")
            }
            // Its purpose may still change; not its room or its time, into a room out of order.
            if step.after.roomID != step.before.roomID || step.after.startsAt != step.before.startsAt || step.after.endsAt != step.before.endsAt {
                try room.checkInOrder(bookings: move.steps.count, verb: "changed")
            }
        }

        let moving = move.steps.map(\.before.id)
        for step in move.steps {
            let overlapping = try await sql.select().column(SQLLiteral.all).from(BookingRecord.schema)
                .where("status", .in, BookingStatus.holdingValues).where("room_id", .equal, step.after.roomID)
                .where("starts_at", .lessThan, step.after.endsAt).where("ends_at", .greaterThan, step.after.startsAt)
                .where("id", .notIn, moving)
                .orderBy("starts_at").limit(1).all()
            if let row = overlapping.first, let room = rooms[step.after.roomID] {
                throw BookingStoreError.conflict(room: room, existing: try BookingRecord.domain(of: row), date: step.after.date)
            }
        }

        var changed: [Int: Booking] = [:]
        for step in move.storingOrder {
            var after = step.after
            after.revision = step.before.revision + 1
            after.updatedAt = now.wholeSeconds
            let moved = after.roomID != step.before.roomID || after.startsAt != step.before.startsAt || after.endsAt != step.before.endsAt
            if let room = rooms[after.roomID], moved {
                // A new room or time is checked in to afresh, under the rule of the room it is now in.
                after.checkIn = checkIn.window(for: after, in: room)
                after.checkedInAt = nil
            }
            // A move into (or within) a room that requires approval is a new request, and a request
            // stays one however its purpose changes; in a room without approval it is a booking.
            if rooms[after.roomID]?.approval?.needsDecision(bookedBy: after.userID) ?? false {
                // Moved: a new request, whatever was decided before. Its purpose alone: as it was.
                if moved {
                    after.status = .pending
                    after.approval = BookingApproval(
                        decideBy: approval.decideBy(now: now, startsAt: after.startsAt), requesterName: move.requester?.name ?? "",
                        requesterEmail: move.requester?.email ?? "")
                }
            } else if step.before.status == .pending {
                after.status = .confirmed
                after.approval = nil
            }
            // Only if nobody changed or cancelled it since it was read, and it has not begun.
            let updated = try await sql.update(BookingRecord.schema)
                .set("room_id", to: after.roomID).set("date", to: after.date.description)
                .set("start_time", to: after.startTime.description).set("end_time", to: after.endTime.description)
                .set("starts_at", to: after.startsAt).set("ends_at", to: after.endsAt).set("purpose", to: after.purpose)
                .set("revision", to: after.revision).set("updated_at", to: after.updatedAt)
                .set("reminded_at", to: SQLLiteral.null)  // a new time is owed a new reminder
                .set("check_in_opens_at", to: after.checkIn?.opensAt).set("check_in_closes_at", to: after.checkIn?.closesAt)
                .set("checked_in_at", to: after.checkedInAt)
                .set("status", to: after.status.rawValue).set("decide_by", to: after.approval?.decideBy)
                .set("requester_name", to: after.approval?.requesterName).set("requester_email", to: after.approval?.requesterEmail)
                .set("decided_at", to: after.approval?.decidedAt).set("decided_by", to: after.approval?.deciderID)
                .set("decider_name", to: after.approval?.deciderName)
                .where("id", .equal, step.before.id).where("revision", .equal, step.before.revision)
                .where("status", .in, BookingStatus.holdingValues).where("starts_at", .greaterThan, now)
                .returning("id").all()
            guard !updated.isEmpty else { throw BookingStoreError.changedMeanwhile(step.before) }
            changed[after.id] = after
        }
        let stored = BookingMove(steps: move.steps.compactMap { step in changed[step.before.id].map { BookingMove.Step(before: step.before, after: $0) } })
        var notices = [BookingNotices.changed(stored, rooms: rooms)]
        // Made a new request: its approver is asked, and its booker told what happens next.
        let asked = stored.steps.filter { $0.after.status == .pending && $0.after.approval != $0.before.approval }.map(\.after)
        if let first = asked.first, let room = rooms[first.roomID] {
            notices += [
                BookingNotices.requested(asked, room: room, calendar: approval.calendar),
                BookingNotices.approvalRequested(asked, room: room, calendar: approval.calendar),
            ]
        }
        try await tx.enqueue(try notices.compactMap { try $0?.outboxMessage() }, now: now)
        return stored.steps.map(\.after)
    }

    private func conflictAfterRace(_ move: BookingMove) async throws -> BookingStoreError {
        let db = try db
        for step in move.steps {
            guard let room = try await RoomRecord.find(step.after.roomID, on: db)?.domain() else { return .unknownRoom }
            let overlapping = try await BookingRecord.query(on: db)
                .filter(\.$roomID == step.after.roomID).filter(\.$status ~~ BookingStatus.holdingValues)
                .filter(\.$startsAt < step.after.endsAt).filter(\.$endsAt > step.after.startsAt).filter(\.$id != step.before.id)
                .sort(\.$startsAt).first()
            if let overlapping { return .conflict(room: room, existing: try overlapping.domain(), date: step.after.date) }
        }
        let first = move.steps.first?.after
        guard let first, let room = try await RoomRecord.find(first.roomID, on: db)?.domain() else { return .unknownRoom }
        return .conflict(room: room, existing: nil, date: first.date)
    }
}
