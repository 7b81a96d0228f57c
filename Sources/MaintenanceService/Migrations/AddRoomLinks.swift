import FluentKit

/// A ticket's room's next bookings when it was reported (JSON) and whether a technician marked
/// the room out of order. Nullable: tickets stored before have neither.
struct AddRoomLinks: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(TicketRecord.schema).field("room_bookings", .string).update()
        try await database.schema(TicketRecord.schema).field("room_out_of_order", .bool).update()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(TicketRecord.schema).deleteField("room_out_of_order").update()
        try await database.schema(TicketRecord.schema).deleteField("room_bookings").update()
    }
}
