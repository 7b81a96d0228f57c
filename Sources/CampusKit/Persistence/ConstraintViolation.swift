import Logging
import PostgresNIO
import SQLiteNIO

/// Reads which rule of the database refused a write, from either driver's error: the
/// PostgreSQL SQLSTATE and constraint name, or the SQLite message (where a trigger's
/// `RAISE(ABORT, 'name')` and `UNIQUE constraint failed: table.column` appear).
public enum ConstraintViolation {
    /// SQLSTATE 23P01: a row conflicts with an exclusion constraint.
    public static let exclusionViolation = "23P01"
    /// SQLSTATE 40001 / 40P01: the transaction lost a serialisation race or a deadlock; retry it.
    public static let serializationFailures: Set<String> = ["40001", "40P01"]

    /// True when the database refused a transaction only to break a race: nothing of it was
    /// stored, and the same work run again will see the winner's rows. PostgreSQL: a serialisation
    /// failure or a deadlock (``serializationFailures``). SQLite: `SQLITE_BUSY` after the busy
    /// handler, which waits for any lock, was not asked: a transaction that read, then wanted to
    /// write after another process (`campus create-admin` beside a running server) had written.
    public static func isSerializationFailure(_ error: any Error) -> Bool {
        if let sqlite = error as? SQLiteError { return sqlite.reason == .busy || sqlite.reason == .busyInSnapshot }
        return sqlState(of: error).map(serializationFailures.contains) ?? false
    }

    /// Runs `work` (one whole transaction) again when the database refused it to break a race
    /// (``isSerializationFailure(_:)``), up to `attempts` times in all, after a short random pause so the
    /// racers do not meet again in step. Racing writers of one row or one exclusion constraint
    /// (eight people moving their bookings into one free slot) deadlock in PostgreSQL's checks;
    /// the retry then reads the winner and refuses with a conflict, as a lone request would.
    public static func retryingSerializationFailures<T>(attempts: Int = 5, logger: Logger, _ work: () async throws -> T) async throws -> T {
        var attempt = 1
        while true {
            do {
                return try await work()
            } catch let error where isSerializationFailure(error) && attempt < attempts {
                logger.debug(
                    "Retrying a transaction after a serialisation failure", metadata: ["attempt": "\(attempt)", "sqlstate": "\(sqlState(of: error) ?? "")"])
                try await Task.sleep(for: .milliseconds(Int.random(in: 5...25) * attempt))
                attempt += 1
            }
        }
    }

    /// The SQLSTATE of a PostgreSQL error; nil for anything else.
    public static func sqlState(of error: any Error) -> String? {
        (error as? PSQLError)?.serverInfo?[.sqlState]
    }

    /// True when `error` is the database refusing a write because of the constraint, index or
    /// trigger message called `name`.
    public static func isViolation(of name: String, _ error: any Error) -> Bool {
        if let postgres = error as? PSQLError, let info = postgres.serverInfo {
            return info[.constraintName] == name || (info[.message]?.contains(name) ?? false)
        }
        if let sqlite = error as? SQLiteError, sqlite.reason == .constraint || String(describing: sqlite.reason).hasPrefix("constraint") {
            return sqlite.message.contains(name)
        }
        return false
    }
}
