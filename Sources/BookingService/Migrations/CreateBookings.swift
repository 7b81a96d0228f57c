import FluentKit
import SQLKit

/// The bookings table and the database's own guard against double booking: however many
/// requests race, two confirmed bookings of one room can never overlap.
struct CreateBookings: AsyncMigration {
    /// Named in the refusals both databases raise, so the repository can tell them apart.
    static let overlapGuard = "bookings_no_overlap"

    func prepare(on database: any Database) async throws {
        try await database.schema(BookingRecord.schema)
            .field("id", .int, .identifier(auto: true))
            .field("room_id", .int, .required)
            .field("user_id", .string, .required)
            .field("date", .string, .required)
            .field("start_time", .string, .required)
            .field("end_time", .string, .required)
            .field("starts_at", .datetime, .required)
            .field("ends_at", .datetime, .required)
            .field("purpose", .string, .required)
            .field("status", .string, .required)
            .field("series_id", .string)
            .field("created_at", .datetime, .required)
            .field("cancelled_at", .datetime)
            .create()
        let sql = database.sql
        try await sql.create(index: "bookings_room_time").on(BookingRecord.schema).column("room_id").column("starts_at").run()
        try await sql.create(index: "bookings_user_time").on(BookingRecord.schema).column("user_id").column("starts_at").run()
        try await sql.create(index: "bookings_series").on(BookingRecord.schema).column("series_id").run()
        if sql.dialect.name == "postgresql" {
            try await Self.addExclusionConstraint(sql)
        } else {
            try await Self.addOverlapTriggers(sql)
        }
    }

    func revert(on database: any Database) async throws {
        try await database.schema(BookingRecord.schema).delete()
    }

    /// PostgreSQL: an exclusion constraint over (room, time range) for confirmed rows. A racing
    /// insert waits for the other transaction and then fails with SQLSTATE 23P01.
    static func addExclusionConstraint(_ sql: any SQLDatabase) async throws {
        // btree_gist gives GiST an `=` on integers. It is installed once per database, in
        // `public` (on every service's search path); the lock keeps services or test schemas
        // migrating at the same moment from installing it twice.
        let lockKey: Int64 = 0x62_6f_6f_6b_67_69_73_74  // "bookgist"
        try await sql.raw("SELECT pg_advisory_lock(\(bind: lockKey))").run()
        do {
            try await sql.raw("CREATE EXTENSION IF NOT EXISTS btree_gist SCHEMA public").run()
        } catch {
            try? await sql.raw("SELECT pg_advisory_unlock(\(bind: lockKey))").run()
            throw error
        }
        try await sql.raw("SELECT pg_advisory_unlock(\(bind: lockKey))").run()
        try await addExclusion(sql, holding: [BookingStatus.confirmed.rawValue])
        try await sql.raw("ALTER TABLE bookings ADD CONSTRAINT bookings_ends_after_start CHECK (ends_at > starts_at)").run()
    }

    /// Replaces the guard so that bookings of `holding` statuses never overlap (``AddApprovals``
    /// widens it from confirmed bookings to pending requests as well).
    static func replaceOverlapGuard(_ sql: any SQLDatabase, holding: [String]) async throws {
        if sql.dialect.name == "postgresql" {
            try await sql.raw("ALTER TABLE bookings DROP CONSTRAINT IF EXISTS \(unsafeRaw: overlapGuard)").run()
            try await addExclusion(sql, holding: holding)
        } else {
            try await sql.raw("DROP TRIGGER IF EXISTS bookings_no_overlap_insert").run()
            try await sql.raw("DROP TRIGGER IF EXISTS bookings_no_overlap_update").run()
            try await addOverlapTriggers(sql, holding: holding)
        }
    }

    /// `holding`: the statuses as an SQL list of literals (fixed names of ``BookingStatus``, never input).
    private static func statusList(_ holding: [String]) -> String {
        holding.map { "'\($0)'" }.joined(separator: ", ")
    }

    private static func addExclusion(_ sql: any SQLDatabase, holding: [String]) async throws {
        try await sql.raw(
            """
            ALTER TABLE bookings ADD CONSTRAINT \(unsafeRaw: overlapGuard)
            EXCLUDE USING gist (room_id WITH =, tstzrange(starts_at, ends_at) WITH &&) WHERE (status IN (\(unsafeRaw: statusList(holding))))
            """
        ).run()
    }

    /// SQLite: triggers that abort an insert or update making two confirmed bookings overlap.
    /// Writes are serialised by SQLite itself, so the check cannot race with another write.
    static func addOverlapTriggers(_ sql: any SQLDatabase, holding: [String] = [BookingStatus.confirmed.rawValue]) async throws {
        let statuses = statusList(holding)
        let overlapping = """
            SELECT RAISE(ABORT, '\(overlapGuard)') WHERE EXISTS (
              SELECT 1 FROM bookings AS other
              WHERE other.room_id = NEW.room_id AND other.status IN (\(statuses)) AND other.id IS NOT NEW.id
                AND other.starts_at < NEW.ends_at AND other.ends_at > NEW.starts_at
            );
            """
        try await sql.raw(
            """
            CREATE TRIGGER bookings_no_overlap_insert BEFORE INSERT ON bookings
            WHEN NEW.status IN (\(unsafeRaw: statuses)) BEGIN \(unsafeRaw: overlapping) END
            """
        ).run()
        try await sql.raw(
            """
            CREATE TRIGGER bookings_no_overlap_update BEFORE UPDATE OF room_id, starts_at, ends_at, status ON bookings
            WHEN NEW.status IN (\(unsafeRaw: statuses)) BEGIN \(unsafeRaw: overlapping) END
            """
        ).run()
    }
}
