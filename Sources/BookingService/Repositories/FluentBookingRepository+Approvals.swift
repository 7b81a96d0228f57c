import CampusKit
import FluentKit
import Foundation
import SQLKit

/// Decisions on requests for rooms that require approval (``ApprovalRule``).
public protocol BookingApprovals: Sendable {
    /// The pending requests `approverID` may decide — those of the rooms naming them; every one
    /// when nil (an admin) — the nearest deadline first.
    func pending(approverID: String?, page: Pagination) async throws -> (bookings: [Booking], total: Int)
    /// Approves or declines `requests` (read before; one booking or the pending part of a series)
    /// all or none, and tells their booker. `changedMeanwhile` if one was decided, withdrawn,
    /// changed or expired since it was read.
    func decide(_ requests: [Booking], verdict: ApprovalVerdict, by decider: Identity, now: Date) async throws -> [Booking]
    /// Cancels every request nobody decided by its deadline, each once however many replicas
    /// sweep at the same moment, and tells its booker; returns those expired here.
    func expireUndecided(now: Date) async throws -> [Booking]
}

extension FluentBookingRepository: BookingApprovals {
    public func pending(approverID: String?, page: Pagination) async throws -> (bookings: [Booking], total: Int) {
        let sql = try db.sql
        // A named approver sees the requests of the rooms naming them; an admin every one.
        var scope: SQLQueryString = "FROM bookings b JOIN rooms r ON r.id = b.room_id WHERE b.status = \(bind: BookingStatus.pending.rawValue)"
        if let approverID {
            scope.appendInterpolation(unsafeRaw: " AND r.approver_id = ")
            scope.appendInterpolation(bind: approverID)
        }
        let total = try await sql.raw("SELECT COUNT(*) AS n " + scope).first()?.decode(column: "n", as: Int.self) ?? 0
        let rows = try await sql.raw(
            "SELECT b.* " + scope + " ORDER BY b.decide_by, b.starts_at, b.id LIMIT \(bind: page.limit) OFFSET \(bind: page.offset)"
        ).all()
        return (try rows.map(BookingRecord.domain(of:)), total)
    }

    public func decide(_ requests: [Booking], verdict: ApprovalVerdict, by decider: Identity, now: Date) async throws -> [Booking] {
        let at = now.wholeSeconds
        let decided: [Booking] = try await db.transaction { tx in
            let sql = tx.sql
            var decided: [Booking] = []
            for request in requests {
                var after = request
                after.approval?.decidedAt = at
                after.approval?.deciderID = decider.userID
                after.approval?.deciderName = decider.name
                let update = sql.update(BookingRecord.schema)
                    .set("decided_at", to: at).set("decided_by", to: decider.userID).set("decider_name", to: decider.name)
                switch verdict {
                case .approve:
                    // One revision on, so a calendar holding it as tentative takes it as confirmed. Not
                    // "changed": its room, times and purpose are as asked (`updated_at` stays).
                    after.status = .confirmed
                    after.revision = request.revision + 1
                    update.set("status", to: BookingStatus.confirmed.rawValue).set("revision", to: after.revision)
                case .decline(let reason):
                    after.status = .cancelled
                    after.cancelledAt = at
                    after.cancelReason = "Declined by \(decider.name): \(reason)"
                    after.cancelledBy = decider.userID
                    update.set("status", to: BookingStatus.cancelled.rawValue).set("cancelled_at", to: at)
                        .set("cancel_reason", to: after.cancelReason).set("cancelled_by", to: decider.userID)
                }
                // Only while it is still the request that was read, and its deadline has not passed.
                let updated = try await update.where("id", .equal, request.id).where("revision", .equal, request.revision)
                    .where("status", .equal, BookingStatus.pending.rawValue).where("decide_by", .greaterThan, now)
                    .returning("id").all()
                guard !updated.isEmpty else { throw BookingStoreError.changedMeanwhile(request) }
                decided.append(after)
            }
            guard let first = decided.first else { return [] }
            let room = try await RoomRecord.find(first.roomID, on: tx)?.domain()
            if let notice = BookingNotices.decided(decided, room: room, verdict: verdict, by: decider.name) {
                try await tx.enqueue([try notice.outboxMessage()], now: now)
            }
            return decided
        }
        changes.touched(decided.map(\.date))
        return decided
    }

    public func expireUndecided(now: Date) async throws -> [Booking] {
        let calendar = approval.calendar
        let expired: [Booking] = try await db.transaction { tx in
            let sql = tx.sql
            let due = try await sql.select().column(SQLLiteral.all).from(BookingRecord.schema)
                .where("status", .equal, BookingStatus.pending.rawValue).where("decide_by", .lessThanOrEqual, now)
                .orderBy("decide_by").limit(1000).all()
                .map { try BookingRecord.domain(of: $0) }
            guard !due.isEmpty else { return [] }
            let rooms = try await RoomRecord.rooms(due.map(\.roomID), on: tx)
            var expired: [Booking] = []
            for request in due {
                var gone = request
                gone.status = .cancelled
                gone.cancelledAt = now.wholeSeconds
                gone.cancelReason = request.expiryReason(calendar)
                gone.cancelledBy = Booking.expiredUndecided
                // Expired by whoever changes it first: another replica's sweep, or a decision or a
                // withdrawal at the same moment, leaves nothing to update.
                let claimed = try await sql.update(BookingRecord.schema)
                    .set("status", to: BookingStatus.cancelled.rawValue).set("cancelled_at", to: gone.cancelledAt)
                    .set("cancel_reason", to: gone.cancelReason).set("cancelled_by", to: gone.cancelledBy)
                    .where("id", .equal, request.id).where("revision", .equal, request.revision)
                    .where("status", .equal, BookingStatus.pending.rawValue)
                    .returning("id").all()
                guard !claimed.isEmpty else { continue }
                expired.append(gone)
            }
            // One notice per request: a series expires together, so its booker is told once.
            let requests = Dictionary(grouping: expired) { $0.seriesID ?? "booking \($0.id)" }.values.sorted { $0[0].id < $1[0].id }
            try await tx.enqueue(
                try requests.compactMap { try BookingNotices.expired($0, room: rooms[$0[0].roomID])?.outboxMessage() }, now: now)
            return expired
        }
        changes.touched(expired.map(\.date))
        return expired
    }
}
