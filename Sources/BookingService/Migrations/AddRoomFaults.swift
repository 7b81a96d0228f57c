import FluentKit

/// The maintenance ticket that marked a room out of order (``Room/outOfOrderTicket``); null while
/// the room is in order.
struct AddRoomFaults: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(RoomRecord.schema).field("out_of_order_ticket", .int).update()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(RoomRecord.schema).deleteField("out_of_order_ticket").update()
    }
}
