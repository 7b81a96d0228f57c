import CampusKit
import FluentKit
import Foundation

/// The default catalogue, as a migration so it is seeded exactly once, on first start.
struct SeedDefaultRooms: AsyncMigration {
    func prepare(on database: any Database) async throws {
        let now = Date().wholeSeconds
        for room in DefaultRooms.catalogue {
            try await RoomRecord(room, now: now).create(on: database)
        }
    }

    func revert(on database: any Database) async throws {
        try await RoomRecord.query(on: database).filter(\.$name ~~ DefaultRooms.catalogue.map(\.name)).delete()
    }
}
