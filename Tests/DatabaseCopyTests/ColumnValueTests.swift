import DatabaseCopy
import Testing

@Suite struct ColumnValueTests {
    @Test func sqliteSecondsBecomeUTCTimestampsWithMicroseconds() throws {
        #expect(try ColumnValue.postgresText(sqliteType: "integer", text: "0", postgresType: "timestamp with time zone") == "1970-01-01 00:00:00.000000+00")
        #expect(
            try ColumnValue.postgresText(sqliteType: "real", text: "1764258000.250000", postgresType: "timestamp with time zone")
                == "2025-11-27 15:40:00.250000+00")
        #expect(
            try ColumnValue.postgresText(sqliteType: "real", text: "-0.500000", postgresType: "timestamp without time zone")
                == "1969-12-31 23:59:59.500000+00")
        // Already text: passed on for PostgreSQL to parse.
        #expect(
            try ColumnValue.postgresText(sqliteType: "text", text: "2026-01-02T03:04:05Z", postgresType: "timestamp with time zone") == "2026-01-02T03:04:05Z")
    }

    @Test func blobsBecomeByteaOrText() throws {
        #expect(try ColumnValue.postgresText(sqliteType: "blob", text: "DEADBEEF", postgresType: "bytea") == "\\xdeadbeef")
        #expect(try ColumnValue.postgresText(sqliteType: "blob", text: "7B2261223A317D", postgresType: "jsonb") == #"{"a":1}"#)
        #expect(throws: DatabaseCopier.CopyError.self) {
            try ColumnValue.postgresText(sqliteType: "blob", text: "ABC", postgresType: "text")
        }
    }

    @Test func nullsStayNullAndOtherValuesPassThrough() throws {
        #expect(try ColumnValue.postgresText(sqliteType: "null", text: nil, postgresType: "text") == nil)
        #expect(try ColumnValue.postgresText(sqliteType: "integer", text: "1", postgresType: "boolean") == "1")
        #expect(try ColumnValue.postgresText(sqliteType: "text", text: "O'Brien", postgresType: "character varying(100)") == "O'Brien")
    }
}
