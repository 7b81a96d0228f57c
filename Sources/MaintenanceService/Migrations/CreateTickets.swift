import FluentKit
import SQLKit

struct CreateTickets: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(TicketRecord.schema)
            .field("id", .int, .identifier(auto: true))
            .field("title", .string, .required)
            .field("description", .string, .required)
            .field("location", .string, .required)
            .field("room_id", .string)
            .field("category", .string, .required)
            .field("priority", .string, .required)
            .field("status", .string, .required)
            .field("sla_due_at", .datetime, .required)
            .field("sla_breached", .bool, .required)
            .field("triage", .string, .required)
            .field("created_by", .string, .required)
            .field("assignee_id", .string)
            .field("created_at", .datetime, .required)
            .field("updated_at", .datetime, .required)
            .create()
        try await database.schema(TicketChangeRecord.schema)
            .field("id", .int, .identifier(auto: true))
            .field("ticket_id", .int, .required, .references(TicketRecord.schema, "id", onDelete: .cascade))
            .field("actor_id", .string, .required)
            .field("change", .string, .required)
            .field("created_at", .datetime, .required)
            .create()
        try await database.schema(TicketCommentRecord.schema)
            .field("id", .int, .identifier(auto: true))
            .field("ticket_id", .int, .required, .references(TicketRecord.schema, "id", onDelete: .cascade))
            .field("author_id", .string, .required)
            .field("body", .string, .required)
            .field("created_at", .datetime, .required)
            .create()
        if let sql = database as? any SQLDatabase {
            try await sql.create(index: "tickets_status_sla").on(TicketRecord.schema).column("status").column("sla_due_at").run()
            try await sql.create(index: "tickets_created_by").on(TicketRecord.schema).column("created_by").run()
            try await sql.create(index: "ticket_changes_ticket").on(TicketChangeRecord.schema).column("ticket_id").run()
            try await sql.create(index: "ticket_comments_ticket").on(TicketCommentRecord.schema).column("ticket_id").run()
        }
    }

    func revert(on database: any Database) async throws {
        try await database.schema(TicketCommentRecord.schema).delete()
        try await database.schema(TicketChangeRecord.schema).delete()
        try await database.schema(TicketRecord.schema).delete()
    }
}
