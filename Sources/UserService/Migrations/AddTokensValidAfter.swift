import FluentKit

/// `tokens_valid_after`: tokens issued before it are ended (a deleted, demoted or re-passworded
/// account). Null on accounts from before this column: nothing of theirs was ended yet.
struct AddTokensValidAfter: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(UserRecord.schema).field("tokens_valid_after", .datetime).update()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(UserRecord.schema).deleteField("tokens_valid_after").update()
    }
}
