import CampusKit
import FluentKit
import Foundation
import SQLKit

/// Reminders before bookings start: each person's lead time, and the sweep that sends them.
public protocol BookingReminders: Sendable {
    /// The person's lead time in minutes; nil when they want no reminders.
    func reminderMinutes(userID: String) async throws -> Int?
    func setReminderMinutes(_ minutes: Int?, userID: String, now: Date) async throws
    /// Claims and notifies every booking owed a reminder at `now` (``ReminderRule``), each once
    /// however many replicas sweep at the same moment; returns those reminded here.
    func sendReminders(now: Date) async throws -> [Booking]
}

extension FluentBookingRepository: BookingReminders {
    static let preferences = AddReminders.preferences
    /// The longest lead time: bookings starting later are not looked at.
    static let longestLead = TimeInterval((ReminderChoice.choices.max() ?? 1440) * 60)

    public func reminderMinutes(userID: String) async throws -> Int? {
        try await Self.reminderMinutes(of: [userID], on: try db)[userID] ?? ReminderChoice.defaultMinutes
    }

    public func setReminderMinutes(_ minutes: Int?, userID: String, now: Date) async throws {
        let sql = try db.sql
        // One statement either way, so two tabs saving at once leave one of their choices, not an error.
        try await sql.insert(into: Self.preferences).columns("user_id", "minutes_before", "updated_at")
            .values(SQLBind(userID), SQLBind(minutes), SQLBind(now.wholeSeconds))
            .onConflict(with: ["user_id"]) { $0.set(excludedValueOf: "minutes_before").set(excludedValueOf: "updated_at") }
            .run()
    }

    /// The stored choices of `userIDs`: a missing key has no row (the default), a nil value is "no reminders".
    static func reminderMinutes(of userIDs: [String], on db: any Database) async throws -> [String: Int?] {
        guard !userIDs.isEmpty else { return [:] }
        var found: [String: Int?] = [:]
        for row in try await db.sql.select().column("user_id").column("minutes_before").from(preferences).where("user_id", .in, userIDs).all() {
            found[try row.decode(column: "user_id", as: String.self)] = .some(try row.decode(column: "minutes_before", as: Int?.self))
        }
        return found
    }

    public func sendReminders(now: Date) async throws -> [Booking] {
        try await db.transaction { tx in
            let sql = tx.sql
            let candidates = try await sql.select().column(SQLLiteral.all).from(BookingRecord.schema)
                .where("status", .equal, BookingStatus.confirmed.rawValue).where("reminded_at", .is, SQLLiteral.null)
                .where("starts_at", .greaterThan, now).where("starts_at", .lessThanOrEqual, now.addingTimeInterval(Self.longestLead))
                .orderBy("starts_at").limit(1000).all()
                .map { try BookingRecord.domain(of: $0) }
            guard !candidates.isEmpty else { return [] }
            let stored = try await Self.reminderMinutes(of: Array(Set(candidates.map(\.userID))), on: tx)
            let lead = { (userID: String) -> Int? in stored[userID] ?? ReminderChoice.defaultMinutes }
            let due = candidates.filter { ReminderRule.due($0, minutesBefore: lead($0.userID), now: now) }
            guard !due.isEmpty else { return [] }
            let rooms = try await RoomRecord.rooms(due.map(\.roomID), on: tx)
            var reminded: [Booking] = []
            var notices: [OutboxMessage] = []
            for booking in due {
                // Claimed by whoever sets reminded_at first: another replica's sweep finds it set.
                let claimed = try await sql.update(BookingRecord.schema).set("reminded_at", to: now.wholeSeconds)
                    .where("id", .equal, booking.id).where("reminded_at", .is, SQLLiteral.null).where("revision", .equal, booking.revision)
                    .returning("id").all()
                guard !claimed.isEmpty, let minutes = lead(booking.userID) else { continue }
                reminded.append(booking)
                notices.append(try BookingNotices.reminder(booking, room: rooms[booking.roomID], minutesBefore: minutes).outboxMessage())
            }
            try await tx.enqueue(notices, now: now)
            return reminded
        }
    }
}
