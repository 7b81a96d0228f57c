import FluentKit

struct CreateRooms: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(RoomRecord.schema)
            .field("id", .int, .identifier(auto: true))
            .field("name", .string, .required)
            .field("building", .string, .required)
            .field("capacity", .int, .required)
            .field("features", .string, .required)
            .field("faculty_only", .bool, .required)
            .field("created_at", .datetime, .required)
            .field("updated_at", .datetime, .required)
            .unique(on: "name", name: "rooms_name_unique")
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(RoomRecord.schema).delete()
    }
}
