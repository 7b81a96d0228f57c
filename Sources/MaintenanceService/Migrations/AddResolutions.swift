import FluentKit

/// A ticket's resolution (what the technician wrote for the reporter), when it was resolved (the
/// reporter's window to reopen runs from there) and where its SLA clock last started (a reopened
/// ticket's clock starts again). Nullable: tickets stored before have none and count from their report.
struct AddResolutions: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(TicketRecord.schema).field("resolution", .string).update()
        try await database.schema(TicketRecord.schema).field("resolved_at", .datetime).update()
        try await database.schema(TicketRecord.schema).field("sla_started_at", .datetime).update()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(TicketRecord.schema).deleteField("sla_started_at").update()
        try await database.schema(TicketRecord.schema).deleteField("resolved_at").update()
        try await database.schema(TicketRecord.schema).deleteField("resolution").update()
    }
}
