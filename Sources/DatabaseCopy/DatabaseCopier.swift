import CampusKit
import FluentKit
import Foundation
import Logging
import SQLKit

/// Copies one service's tables from its SQLite file into its PostgreSQL schema (`campus copy-db`).
///
/// Both sides are first brought to the same schema by the service's own migrations. Then every
/// table of the SQLite file (in creation order, so parents come before children) is copied in
/// one PostgreSQL transaction: the target table is emptied, the rows are inserted in batches,
/// identity sequences are moved past the largest id, and the row counts are compared inside the
/// transaction — a mismatch rolls the table back. Running it again gives the same result.
public struct DatabaseCopier: Sendable {
    public struct TableReport: Sendable, Equatable {
        public let table: String
        public let sourceRows: Int
        public let targetRows: Int
        public var matches: Bool { sourceRows == targetRows }
    }

    public struct CopyError: Error, CustomStringConvertible {
        public let description: String
    }

    public let batchSize: Int
    let logger: Logger

    public init(batchSize: Int = 500, logger: Logger) {
        self.batchSize = batchSize
        self.logger = logger
    }

    /// Copies every table of `source` (SQLite) into `target` (PostgreSQL, the service's schema).
    public func copy(from source: DatabaseProvider, to target: DatabaseProvider, schema: String) async throws -> [TableReport] {
        guard !source.isPostgreSQL, target.isPostgreSQL else {
            throw CopyError(description: "copy-db copies from SQLite into PostgreSQL")
        }
        let from = try source.sql(logger: logger)
        let tables = try await from.raw(
            """
            SELECT name FROM sqlite_master WHERE type = 'table'
            AND name NOT LIKE 'sqlite_%' AND name <> '_fluent_migrations' ORDER BY rowid
            """
        ).all().map { try $0.decode(column: "name", as: String.self) }
        // Empty every table first in one statement, so foreign keys between them never get in the way.
        let targetTables = try await targetColumns(target, schema: schema)
        let known = tables.filter { targetTables[$0] != nil }
        if !known.isEmpty {
            let list = known.map { "\(quoted(schema)).\(quoted($0))" }.joined(separator: ", ")
            try await target.sql(logger: logger).raw("TRUNCATE \(unsafeRaw: list)").run()
        }
        var reports: [TableReport] = []
        for table in tables {
            guard let columns = targetTables[table] else {
                throw CopyError(description: "table \(table) exists in the SQLite file but not in PostgreSQL schema \(schema)")
            }
            reports.append(try await copyTable(table, columns: columns, from: from, to: target, schema: schema))
        }
        return reports
    }

    /// A target column and its PostgreSQL type as `format_type` spells it.
    struct Column: Sendable {
        let name: String
        let type: String
        let hasSequence: Bool
    }

    private func targetColumns(_ target: DatabaseProvider, schema: String) async throws -> [String: [Column]] {
        let rows = try await target.sql(logger: logger).raw(
            """
            SELECT c.relname AS table_name, a.attname AS column_name, format_type(a.atttypid, a.atttypmod) AS column_type,
                   pg_get_serial_sequence(quote_ident(n.nspname) || '.' || quote_ident(c.relname), a.attname) IS NOT NULL AS has_sequence
            FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace
            WHERE n.nspname = \(bind: schema) AND c.relkind = 'r' AND a.attnum > 0 AND NOT a.attisdropped AND a.attgenerated = ''
            ORDER BY c.relname, a.attnum
            """
        ).all()
        var tables: [String: [Column]] = [:]
        for row in rows {
            let table = try row.decode(column: "table_name", as: String.self)
            tables[table, default: []].append(
                Column(
                    name: try row.decode(column: "column_name", as: String.self),
                    type: try row.decode(column: "column_type", as: String.self),
                    hasSequence: try row.decode(column: "has_sequence", as: Bool.self)
                ))
        }
        return tables
    }

    private func copyTable(
        _ table: String, columns targetColumns: [Column], from: any SQLDatabase, to target: DatabaseProvider, schema: String
    ) async throws -> TableReport {
        let sourceColumnNames = Set(
            try await from.raw("SELECT name FROM pragma_table_info(\(bind: table))").all()
                .map { try $0.decode(column: "name", as: String.self) })
        let columns = targetColumns.filter { sourceColumnNames.contains($0.name) }
        let missing = sourceColumnNames.subtracting(columns.map(\.name))
        guard missing.isEmpty else {
            throw CopyError(description: "columns \(missing.sorted().joined(separator: ", ")) of \(table) have no place in PostgreSQL schema \(schema)")
        }
        let sourceRows = try await from.raw("SELECT COUNT(*) AS n FROM \(ident: table)").first()?.decode(column: "n", as: Int.self) ?? 0
        // Each value travels as text with its SQLite type beside it; blobs as hex, reals with microseconds.
        let selectList = columns.enumerated().map { index, column in
            let name = quoted(column.name)
            return "typeof(\(name)) AS t\(index), CASE typeof(\(name)) WHEN 'blob' THEN hex(\(name)) "
                + "WHEN 'real' THEN printf('%.6f', \(name)) ELSE CAST(\(name) AS TEXT) END AS v\(index)"
        }.joined(separator: ", ")
        let qualified = "\(quoted(schema)).\(quoted(table))"
        let columnList = columns.map { quoted($0.name) }.joined(separator: ", ")

        let targetRows: Int = try await target.database(logger: logger).transaction { transaction in
            let to = transaction.sql
            var offset = 0
            while true {
                let rows = try await from.raw(
                    """
                    SELECT \(unsafeRaw: selectList) FROM \(ident: table) ORDER BY rowid LIMIT \(bind: batchSize) OFFSET \(bind: offset)
                    """
                ).all()
                if rows.isEmpty { break }
                var statement = SQLQueryString("INSERT INTO \(unsafeRaw: qualified) (\(unsafeRaw: columnList)) VALUES ")
                for (rowIndex, row) in rows.enumerated() {
                    statement += rowIndex == 0 ? "(" : ", ("
                    for (index, column) in columns.enumerated() {
                        let value = try ColumnValue.postgresText(
                            sqliteType: row.decode(column: "t\(index)", as: String.self),
                            text: row.decodeNil(column: "v\(index)") ? nil : row.decode(column: "v\(index)", as: String.self),
                            postgresType: column.type
                        )
                        statement += index == 0 ? "" : ", "
                        statement += "CAST(\(bind: value) AS \(unsafeRaw: column.type))"
                    }
                    statement += ")"
                }
                try await to.raw(statement).run()
                offset += rows.count
            }
            for column in columns where column.hasSequence {
                try await to.raw(
                    """
                    SELECT setval(pg_get_serial_sequence(\(bind: qualified), \(bind: column.name)),
                                  COALESCE(MAX(\(ident: column.name)), 0) + 1, false) FROM \(unsafeRaw: qualified)
                    """
                ).run()
            }
            let copied = try await to.raw("SELECT COUNT(*) AS n FROM \(unsafeRaw: qualified)").first()?.decode(column: "n", as: Int.self) ?? -1
            guard copied == sourceRows else {
                throw CopyError(description: "\(table): \(sourceRows) rows in SQLite but \(copied) in PostgreSQL; the table was rolled back")
            }
            return copied
        }
        logger.info("Copied table", metadata: ["table": "\(schema).\(table)", "rows": "\(targetRows)"])
        return TableReport(table: table, sourceRows: sourceRows, targetRows: targetRows)
    }

    private func quoted(_ identifier: String) -> String {
        "\"" + identifier.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}

/// Turns one SQLite value (its `typeof` and its text form) into the text PostgreSQL casts to the column's type.
public enum ColumnValue {
    public static func postgresText(sqliteType: String, text: String?, postgresType: String) throws -> String? {
        guard let text, sqliteType != "null" else { return nil }
        let type = postgresType.lowercased()
        if type.hasPrefix("timestamp") || type == "date" {
            // Fluent's SQLite driver keeps dates as seconds since 1970; text dates are already ISO 8601.
            guard sqliteType == "integer" || sqliteType == "real" else { return text }
            guard let seconds = Double(text) else { throw DatabaseCopier.CopyError(description: "\"\(text)\" is not a time") }
            return iso8601(seconds)
        }
        if sqliteType == "blob" {
            if type == "bytea" { return "\\x" + text.lowercased() }
            if type == "uuid" { return text }
            guard let bytes = hexBytes(text) else { throw DatabaseCopier.CopyError(description: "a blob is not valid hex") }
            return String(decoding: bytes, as: UTF8.self)
        }
        return text
    }

    /// `2025-11-27 15:40:00.250000+00`: the date and time of day from the shared UTC formatter
    /// (`CampusJSON.timestamp`, whole seconds), then the microseconds.
    static func iso8601(_ seconds: Double) -> String {
        let totalMicros = Int64((seconds * 1_000_000).rounded())
        let (wholeSeconds, micros) = totalMicros.quotientAndRemainder(dividingBy: 1_000_000)
        let (second, micro) = micros < 0 ? (wholeSeconds - 1, micros + 1_000_000) : (wholeSeconds, micros)
        // `2025-11-27T15:40:00Z` → `2025-11-27 15:40:00`
        let stamp = CampusJSON.timestamp(Date(timeIntervalSince1970: TimeInterval(second)))
        let dateAndTime = stamp.dropLast().replacingOccurrences(of: "T", with: " ")
        let fraction = String(micro)
        return dateAndTime + "." + String(repeating: "0", count: max(0, 6 - fraction.count)) + fraction + "+00"
    }

    static func hexBytes(_ hex: String) -> [UInt8]? {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(hex.utf8.count / 2)
        var iterator = hex.makeIterator()
        while let high = iterator.next() {
            guard let low = iterator.next(), let byte = UInt8(String([high, low]), radix: 16) else { return nil }
            bytes.append(byte)
        }
        return bytes
    }
}
