import FluentKit
import SQLKit

/// Rooms closed for whole days (``RoomClosure``): found by room and time when a booking is checked.
struct CreateRoomClosures: AsyncMigration {
    static let schema = "room_closures"

    func prepare(on database: any Database) async throws {
        try await database.schema(Self.schema)
            .field("id", .int, .identifier(auto: true))
            .field("room_id", .int, .required)
            .field("from_date", .string, .required)
            .field("to_date", .string, .required)
            .field("starts_at", .datetime, .required)
            .field("ends_at", .datetime, .required)
            .field("reason", .string, .required)
            .field("created_by", .string, .required)
            .field("created_at", .datetime, .required)
            .create()
        try await database.sql.create(index: "room_closures_room_time").on(Self.schema).column("room_id").column("starts_at").run()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(Self.schema).delete()
    }
}

/// Why a booking was cancelled when someone other than its owner cancelled it (an admin, for a
/// closure or a room being removed), and who: the owner reads it on *My bookings*.
struct AddCancelReasons: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(BookingRecord.schema).field("cancel_reason", .string).update()
        try await database.schema(BookingRecord.schema).field("cancelled_by", .string).update()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(BookingRecord.schema).deleteField("cancelled_by").update()
        try await database.schema(BookingRecord.schema).deleteField("cancel_reason").update()
    }
}

/// Reminders before a booking starts: when its owner was reminded (nil: not yet; a change of time
/// clears it), and each person's lead time (no row: the default, ``ReminderChoice/defaultMinutes``).
struct AddReminders: AsyncMigration {
    static let preferences = "reminder_preferences"

    func prepare(on database: any Database) async throws {
        try await database.schema(BookingRecord.schema).field("reminded_at", .datetime).update()
        try await database.schema(Self.preferences)
            .field("user_id", .string, .identifier(auto: false))
            .field("minutes_before", .int)
            .field("updated_at", .datetime, .required)
            .create()
        try await database.sql.create(index: "bookings_reminders").on(BookingRecord.schema).column("status").column("starts_at").run()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(Self.preferences).delete()
        try await database.schema(BookingRecord.schema).deleteField("reminded_at").update()
    }
}

/// Check-in (``CheckInRule``): rooms that require it, each booking's window (fixed when it is made
/// or moved; null when its room did not require it) and when its owner checked in.
struct AddCheckIn: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(RoomRecord.schema).field("check_in_required", .bool, .required, .sql(.default(false))).update()
        try await database.schema(BookingRecord.schema).field("check_in_opens_at", .datetime).update()
        try await database.schema(BookingRecord.schema).field("check_in_closes_at", .datetime).update()
        try await database.schema(BookingRecord.schema).field("checked_in_at", .datetime).update()
        try await database.sql.create(index: "bookings_check_in").on(BookingRecord.schema).column("check_in_closes_at").run()
    }

    func revert(on database: any Database) async throws {
        try await database.sql.drop(index: "bookings_check_in").run()
        for field in ["checked_in_at", "check_in_closes_at", "check_in_opens_at"] {
            try await database.schema(BookingRecord.schema).deleteField(FieldKey(stringLiteral: field)).update()
        }
        try await database.schema(RoomRecord.schema).deleteField("check_in_required").update()
    }
}
