import FluentKit
import Logging
import NIOConcurrencyHelpers
import NIOCore
import SQLKit
import Tracing

/// How this process uses its database pool, as its callers see it: connections leased now, and
/// calls waiting for one (`campus_db_pool_*` on `/metrics`). Counted by ``InstrumentedDatabase``,
/// through which every query of a ``DatabaseProvider`` goes.
public final class DatabasePoolUsage: Sendable {
    public struct Snapshot: Sendable, Equatable {
        public var inUse: Int
        public var waiting: Int
        public init(inUse: Int, waiting: Int) {
            self.inUse = inUse
            self.waiting = waiting
        }
    }

    /// The most connections the pool opens (`DB_POOL_MAX`, rounded up to whole event loops; 1 for SQLite).
    public let capacity: Int
    private let counts = NIOLockedValueBox(Snapshot(inUse: 0, waiting: 0))

    init(capacity: Int) { self.capacity = capacity }

    public var snapshot: Snapshot { counts.withLockedValue { $0 } }

    /// One call for a connection: waiting until ``Lease/acquired()``, in use until ``Lease/ended()``.
    final class Lease: Sendable {
        private let usage: DatabasePoolUsage
        private let holding = NIOLockedValueBox(false)

        init(_ usage: DatabasePoolUsage) {
            self.usage = usage
            usage.counts.withLockedValue { $0.waiting += 1 }
        }

        func acquired() {
            holding.withLockedValue { $0 = true }
            usage.counts.withLockedValue {
                $0.waiting -= 1
                $0.inUse += 1
            }
        }

        /// The call finished: its connection went back, or it never got one (a pool time-out).
        func ended() {
            let held = holding.withLockedValue { held in
                defer { held = false }
                return held
            }
            usage.counts.withLockedValue { counts in
                if held { counts.inUse -= 1 } else { counts.waiting -= 1 }
            }
        }
    }
}

/// A service's database as every repository receives it: the driver's database, with each call
/// that needs a connection counted in ``DatabasePoolUsage`` and, when tracing is on, each SQL
/// statement a client span (`db.system.name`, `db.namespace`, `db.query.text` without bound values).
/// Fluent's own queries already open `fluent.query` spans; SQLKit's raw statements do not, hence this.
/// Handles from `transaction` and `withConnection` hold their connection: what runs on them is not counted again.
struct InstrumentedDatabase: Database, SQLDatabase {
    let base: any Database
    private let sqlBase: any SQLDatabase
    let usage: DatabasePoolUsage
    let tracing: DatabaseTracing?
    /// True for a handle bound to one leased connection (inside `transaction` or `withConnection`).
    let holdsConnection: Bool

    init(base: any Database, usage: DatabasePoolUsage, tracing: DatabaseTracing?, holdsConnection: Bool = false) {
        self.base = base
        self.sqlBase = base.sql
        self.usage = usage
        self.tracing = tracing
        self.holdsConnection = holdsConnection
    }

    private func bound(to connection: any Database) -> InstrumentedDatabase {
        InstrumentedDatabase(base: connection, usage: usage, tracing: tracing, holdsConnection: true)
    }

    /// Runs `body` on a leased connection, counting the wait and the use.
    private func leased<T>(_ body: @escaping @Sendable (any Database) -> EventLoopFuture<T>) -> EventLoopFuture<T> {
        if holdsConnection { return body(base) }
        let lease = DatabasePoolUsage.Lease(usage)
        return base.withConnection { connection in
            lease.acquired()
            return body(connection)
        }.always { _ in lease.ended() }
    }

    // MARK: Database

    var context: DatabaseContext { base.context }
    var inTransaction: Bool { base.inTransaction }

    func execute(query: DatabaseQuery, onOutput: @escaping @Sendable (any DatabaseOutput) -> Void) -> EventLoopFuture<Void> {
        leased { $0.execute(query: query, onOutput: onOutput) }
    }

    func execute(schema: DatabaseSchema) -> EventLoopFuture<Void> {
        leased { $0.execute(schema: schema) }
    }

    func execute(enum: DatabaseEnum) -> EventLoopFuture<Void> {
        leased { $0.execute(enum: `enum`) }
    }

    func transaction<T>(_ closure: @escaping @Sendable (any Database) -> EventLoopFuture<T>) -> EventLoopFuture<T> {
        let caller = ServiceContext.current
        if holdsConnection { return base.transaction { connection in continuing(caller) { closure(bound(to: connection)) } } }
        let lease = DatabasePoolUsage.Lease(usage)
        return base.transaction { connection in
            lease.acquired()
            return continuing(caller) { closure(bound(to: connection)) }
        }.always { _ in lease.ended() }
    }

    func withConnection<T>(_ closure: @escaping @Sendable (any Database) -> EventLoopFuture<T>) -> EventLoopFuture<T> {
        let caller = ServiceContext.current
        return leased { connection in continuing(caller) { closure(bound(to: connection)) } }
    }

    /// Runs `body` (called back on an event loop once a connection is free) in the caller's trace:
    /// Fluent's async `transaction` starts its task there, and a task inherits only what is bound where it starts.
    private func continuing<T>(_ context: ServiceContext?, _ body: () -> T) -> T {
        guard tracing != nil, let context else { return body() }
        return ServiceContext.withValue(context, operation: body)
    }

    // MARK: SQLDatabase

    var logger: Logger { base.logger }
    var eventLoop: any EventLoop { base.eventLoop }
    var version: (any SQLDatabaseReportedVersion)? { sqlBase.version }
    var dialect: any SQLDialect { sqlBase.dialect }
    var queryLogLevel: Logger.Level? { sqlBase.queryLogLevel }

    func execute(sql query: any SQLExpression, _ onRow: @escaping @Sendable (any SQLRow) -> Void) -> EventLoopFuture<Void> {
        let span = tracing?.start(query, on: sqlBase)
        let done = leased { $0.sql.execute(sql: query, onRow) }
        guard let span else { return done }
        return done.always { result in
            if case .failure(let error) = result { span.recordError(error) }
            span.end()
        }
    }

    func execute(sql query: any SQLExpression, _ onRow: @escaping @Sendable (any SQLRow) -> Void) async throws {
        try await execute(sql: query, onRow).get()
    }

    func withSession<R>(_ closure: @escaping @Sendable (any SQLDatabase) async throws -> R) async throws -> R {
        if holdsConnection { return try await closure(self) }
        return try await withConnection { connection in
            connection.eventLoop.makeFutureWithTask { try await closure(connection.sql) }
        }.get()
    }
}

/// What a database span says about where it ran.
struct DatabaseTracing: Sendable {
    /// `postgresql` or `sqlite` (OpenTelemetry's `db.system.name`).
    let system: String
    /// The service's schema, or its SQLite file.
    let namespace: String

    /// A client span for one SQL statement, a child of the task's current span; named by its first keyword.
    func start(_ query: any SQLExpression, on database: any SQLDatabase) -> any Span {
        let text = database.serialize(query).sql
        let operation = text.prefix { !$0.isWhitespace }.uppercased()
        let span = InstrumentationSystem.tracer.startAnySpan(
            operation.isEmpty ? "SQL" : "\(operation) \(namespace)", context: ServiceContext.current ?? .topLevel, ofKind: .client)
        span.updateAttributes { attributes in
            attributes["db.system.name"] = system
            attributes["db.namespace"] = namespace
            attributes["db.operation.name"] = operation
            attributes["db.query.text"] = String(text.prefix(2000))
        }
        return span
    }
}
