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
