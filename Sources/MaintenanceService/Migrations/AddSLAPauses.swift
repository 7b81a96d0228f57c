import FluentKit

/// Since when a ticket's SLA clock stands still (waiting on the reporter) and how long it stood
/// still before, since its clock last started. Nullable: tickets stored before never paused.
struct AddSLAPauses: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(TicketRecord.schema).field("sla_paused_at", .datetime).update()
        try await database.schema(TicketRecord.schema).field("sla_paused_seconds", .int64).update()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(TicketRecord.schema).deleteField("sla_paused_seconds").update()
        try await database.schema(TicketRecord.schema).deleteField("sla_paused_at").update()
    }
}
