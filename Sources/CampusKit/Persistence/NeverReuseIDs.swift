import FluentKit
import SQLKit

/// Makes SQLite never hand out an id twice for `table` (`INTEGER PRIMARY KEY AUTOINCREMENT`).
///
/// Without AUTOINCREMENT, SQLite gives a new row the largest id + 1, so deleting the newest user
/// or room and creating another brings its id back: the new account would inherit the old one's
/// bookings, tickets, notices and — worst — its tokens. PostgreSQL's sequences never go back.
/// SQLite cannot alter a primary key, so the table is rebuilt once, rows and indexes kept.
public struct NeverReuseIDs: AsyncMigration {
    public let table: String

    public init(table: String) { self.table = table }

    public var name: String { "NeverReuseIDs(\(table))" }

    public func prepare(on database: any Database) async throws {
        guard database.sql.dialect.name == "sqlite" else { return }
        let sql = database.sql
        let marker = #""id" INTEGER PRIMARY KEY"#
        guard
            let create = try await sql.raw("SELECT sql FROM sqlite_master WHERE type = 'table' AND name = \(bind: table)")
                .first(decoding: Statement.self)?.sql,
            create.contains(marker), !create.contains("AUTOINCREMENT")
        else { return }
        let indexes = try await sql.raw("SELECT sql FROM sqlite_master WHERE type = 'index' AND tbl_name = \(bind: table) AND sql IS NOT NULL")
            .all(decoding: Statement.self).map(\.sql)
        let rebuilt = "\(table)__rebuilt"
        let statement =
            create
            .replacingOccurrences(of: marker, with: marker + " AUTOINCREMENT")
            .replacingOccurrences(of: #"CREATE TABLE "\#(table)""#, with: #"CREATE TABLE "\#(rebuilt)""#)
        try await database.transaction { transaction in
            let tx = transaction.sql
            try await tx.raw(SQLQueryString(statement)).run()
            try await tx.raw(SQLQueryString(#"INSERT INTO "\#(rebuilt)" SELECT * FROM "\#(table)""#)).run()
            try await tx.raw(SQLQueryString(#"DROP TABLE "\#(table)""#)).run()
            try await tx.raw(SQLQueryString(#"ALTER TABLE "\#(rebuilt)" RENAME TO "\#(table)""#)).run()
            for index in indexes { try await tx.raw(SQLQueryString(index)).run() }
        }
    }

    public func revert(on database: any Database) async throws {}

    private struct Statement: Decodable { let sql: String }
}
