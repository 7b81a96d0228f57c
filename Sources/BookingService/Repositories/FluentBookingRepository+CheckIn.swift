import CampusKit
import FluentKit
import Foundation
import SQLKit

/// Check-in and the release of bookings nobody checked in to (``CheckInRule``).
public protocol BookingCheckIns: Sendable {
    /// Records that `booking`'s owner checked in at `now`; nil if it was changed, cancelled or
    /// released since it was read.
    func markCheckedIn(_ booking: Booking, now: Date) async throws -> Booking?
    /// Releases every confirmed booking whose check-in closed before `now` without one, each once
    /// however many replicas sweep at the same moment, and tells its owner; returns those released here.
    func releaseNoShows(now: Date) async throws -> [Booking]
}

extension FluentBookingRepository: BookingCheckIns {
    public func markCheckedIn(_ booking: Booking, now: Date) async throws -> Booking? {
        let at = now.wholeSeconds
        let updated = try await db.sql.update(BookingRecord.schema).set("checked_in_at", to: at)
            .where("id", .equal, booking.id).where("revision", .equal, booking.revision)
            .where("status", .equal, BookingStatus.confirmed.rawValue).where("checked_in_at", .is, SQLLiteral.null)
            .returning("id").all()
        guard !updated.isEmpty else { return nil }
        var checkedIn = booking
        checkedIn.checkedInAt = at
        return checkedIn
    }

    public func releaseNoShows(now: Date) async throws -> [Booking] {
        let released: [Booking] = try await db.transaction { tx in
            let sql = tx.sql
            let due = try await sql.select().column(SQLLiteral.all).from(BookingRecord.schema)
                .where("check_in_closes_at", .lessThanOrEqual, now).where("status", .equal, BookingStatus.confirmed.rawValue)
                .where("checked_in_at", .is, SQLLiteral.null).where("ends_at", .greaterThan, now)
                .orderBy("check_in_closes_at").limit(1000).all()
                .map { try BookingRecord.domain(of: $0) }
            guard !due.isEmpty else { return [] }
            let rooms = try await RoomRecord.rooms(due.map(\.roomID), on: tx)
            var released: [Booking] = []
            var notices: [OutboxMessage] = []
            for booking in due {
                // Released by whoever changes its status first: another replica's sweep, or a
                // check-in or cancellation at the same moment, leaves nothing to update.
                var gone = booking
                gone.status = .cancelled
                gone.cancelledAt = now.wholeSeconds
                gone.cancelReason = booking.releaseReason
                gone.cancelledBy = Booking.releasedForNoCheckIn
                let claimed = try await sql.update(BookingRecord.schema)
                    .set("status", to: BookingStatus.cancelled.rawValue).set("cancelled_at", to: gone.cancelledAt)
                    .set("cancel_reason", to: gone.cancelReason).set("cancelled_by", to: gone.cancelledBy)
                    .where("id", .equal, booking.id).where("revision", .equal, booking.revision)
                    .where("status", .equal, BookingStatus.confirmed.rawValue).where("checked_in_at", .is, SQLLiteral.null)
                    .returning("id").all()
                guard !claimed.isEmpty else { continue }
                released.append(gone)
                notices.append(try BookingNotices.released(gone, room: rooms[booking.roomID]).outboxMessage())
            }
            try await tx.enqueue(notices, now: now)
            return released
        }
        changes.touched(released.map(\.date))
        return released
    }
}
