import CampusKit
import FluentKit
import Foundation
import SQLKit

/// The default catalogue, as a migration so it is seeded exactly once, on first start.
struct SeedDefaultRooms: AsyncMigration {
    func prepare(on database: any Database) async throws {
        // In SQL of its own, not with `RoomRecord`: the model has columns later migrations add.
        let now = Date().wholeSeconds
        for room in DefaultRooms.catalogue {
            try await database.sql.insert(into: RoomRecord.schema)
                .columns("name", "building", "capacity", "features", "faculty_only", "created_at", "updated_at")
                .values(
                    SQLBind(room.name), SQLBind(room.building), SQLBind(room.capacity), SQLBind(RoomRecord.encode(room.features)),
                    SQLBind(room.facultyOnly), SQLBind(now), SQLBind(now)
                )
                .run()
        }
    }

    func revert(on database: any Database) async throws {
        try await RoomRecord.query(on: database).filter(\.$name ~~ DefaultRooms.catalogue.map(\.name)).delete()
    }
}
