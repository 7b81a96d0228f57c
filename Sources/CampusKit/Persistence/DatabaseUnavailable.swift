import AsyncKit
import PostgresNIO
import SQLiteNIO

/// Recognises a database that cannot take the request right now — a full disk, an I/O error,
/// a busy file, a PostgreSQL server that is gone — so the answer is a clear 503 instead of a 500.
/// The failed transaction has rolled back: nothing was half-written.
public enum DatabaseUnavailable {
    public static func problem(for error: any Error) -> APIError? {
        // Every connection of the pool stayed busy for the pool's whole wait (10 s): `DB_POOL_MAX`
        // is too small for the load, or a statement holds its connection too long.
        if error is ConnectionPoolTimeoutError {
            return APIError.serviceUnavailable("The database is too busy to take this request; try again in a moment.", code: "database_unavailable")
        }
        if let sqlite = error as? SQLiteError {
            switch sqlite.reason {
            case .full:
                return storageFull
            case .ioError, .ioErrorFailedWrite, .ioErrorFailedSync, .ioErrorFailedDirSync, .ioErrorFailedTruncate,
                .ioErrorFailedRead, .ioErrorIncompleteRead, .ioErrorFailedSharedMemOpen, .ioErrorFailedSharedMemSize,
                .ioErrorFailedSharedMemMap, .ioErrorFailedMemoryMap, .cantOpen, .readOnly:
                // SQLite reports a full disk during WAL writes and syncs as an I/O error.
                return storageFull
            case .busy, .busyTimeout, .busyInSnapshot, .busyInRecovery, .locked:
                return APIError.serviceUnavailable("The database is busy; try again in a moment.", code: "database_busy")
            default:
                return nil
            }
        }
        if let postgres = error as? PSQLError {
            switch postgres.code {
            case .connectionError, .serverClosedConnection, .clientClosedConnection, .poolClosed, .uncleanShutdown:
                return unreachable
            case .server:
                // 53xxx insufficient resources (disk full, out of memory, too many connections); 57P0x shutdown.
                let state = postgres.serverInfo?[.sqlState] ?? ""
                if state.hasPrefix("53") || state.hasPrefix("57P") { return unreachable }
                // A race PostgreSQL broke by aborting this transaction, still lost after the
                // retries a repository gives it: nothing was stored, and asking again will do.
                if ConstraintViolation.serializationFailures.contains(state) {
                    return APIError.serviceUnavailable(
                        "The request collided with others changing the same data and nothing was changed; try again in a moment.",
                        code: "database_busy")
                }
                return nil
            default:
                return nil
            }
        }
        return nil
    }

    static let storageFull = APIError.serviceUnavailable(
        "The service cannot save data right now (its storage is full or failing). Nothing was changed; try again later.",
        code: "storage_unavailable"
    )

    static let unreachable = APIError.serviceUnavailable(
        "The service cannot reach its database right now. Nothing was changed; try again shortly.",
        code: "database_unavailable"
    )
}
