import FluentKit

/// How many times a booking was changed (its calendar `SEQUENCE`, so a calendar that holds it
/// takes the new time) and when it last was. Bookings stored before start at 0, never changed.
struct AddBookingRevisions: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(BookingRecord.schema).field("revision", .int, .required, .sql(.default(0))).update()
        try await database.schema(BookingRecord.schema).field("updated_at", .datetime).update()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(BookingRecord.schema).deleteField("updated_at").update()
        try await database.schema(BookingRecord.schema).deleteField("revision").update()
    }
}
