import FluentKit
import Logging
import SQLKit

extension FluentKit.Database {
    /// The SQLKit view of a Fluent database (a transaction, a connection): both drivers are SQL drivers.
    public var sql: any SQLDatabase {
        guard let sql = self as? any SQLDatabase else { preconditionFailure("Both drivers are SQL drivers") }
        return sql
    }
}

/// A repository over one service's database: `db` hands out a database for each call, with the
/// repository's logger, so no repository writes that accessor itself.
public protocol DatabaseBacked: Sendable {
    var provider: DatabaseProvider { get }
    var logger: Logger { get }
}

extension DatabaseBacked {
    public var db: any Database {
        get throws { try provider.database(logger: logger) }
    }
}
