import FluentKit
import SQLKit

/// Approval for restricted rooms (``ApprovalRule``): who decides a room's requests, each
/// request's deadline and decision, and an overlap guard that holds pending requests' slots as it
/// holds confirmed bookings'.
struct AddApprovals: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(RoomRecord.schema).field("approval_required", .bool, .required, .sql(.default(false))).update()
        try await database.schema(RoomRecord.schema).field("approver_id", .string).update()
        try await database.schema(RoomRecord.schema).field("approver_name", .string).update()
        for field in ["decide_by", "decided_at"] {
            try await database.schema(BookingRecord.schema).field(FieldKey(stringLiteral: field), .datetime).update()
        }
        for field in ["requester_name", "requester_email", "decided_by", "decider_name"] {
            try await database.schema(BookingRecord.schema).field(FieldKey(stringLiteral: field), .string).update()
        }
        let sql = database.sql
        try await sql.create(index: "bookings_decide_by").on(BookingRecord.schema).column("decide_by").run()
        try await CreateBookings.replaceOverlapGuard(sql, holding: BookingStatus.holdingValues)
    }

    func revert(on database: any Database) async throws {
        let sql = database.sql
        try await CreateBookings.replaceOverlapGuard(sql, holding: [BookingStatus.confirmed.rawValue])
        try await sql.drop(index: "bookings_decide_by").run()
        for field in ["decide_by", "decided_at", "requester_name", "requester_email", "decided_by", "decider_name"] {
            try await database.schema(BookingRecord.schema).deleteField(FieldKey(stringLiteral: field)).update()
        }
        for field in ["approver_name", "approver_id", "approval_required"] {
            try await database.schema(RoomRecord.schema).deleteField(FieldKey(stringLiteral: field)).update()
        }
    }
}
