import FluentKit
import FluentPostgresDriver
import FluentSQLiteDriver
import Foundation
import Logging
import NIOConcurrencyHelpers
import NIOCore
import NIOPosix
import SQLKit
import ServiceLifecycle

/// One service's database: a SQLite file under `DATA_DIR` (WAL, one writer) or PostgreSQL with
/// the service's own schema, so services sharing one PostgreSQL database never share a table.
/// Runs as a `Service` so the ServiceGroup closes it on shutdown.
public final class DatabaseProvider: Service, Sendable {
    public enum Backend: Sendable, Equatable {
        case sqlite(path: String)
        case postgresql(Settings.PostgreSQL, schema: String, poolMin: Int, poolMax: Int)
    }

    public let backend: Backend
    private let databases: Databases
    private let threadPool: NIOThreadPool
    private let eventLoopGroup: any EventLoopGroup
    /// SQLite's own loop: one loop with one connection makes every write go through a single writer.
    private let ownedGroup: MultiThreadedEventLoopGroup?
    private let migrated = NIOLockedValueBox(false)
    /// Connections leased and calls waiting, counted by ``InstrumentedDatabase`` (`campus_db_pool_*`).
    public let poolUsage: DatabasePoolUsage
    /// Set when tracing is on (`OTEL_EXPORTER_OTLP_ENDPOINT`): SQL statements become spans.
    private let tracing: DatabaseTracing?

    /// True once ``migrate(_:logger:)`` has succeeded in this process.
    public var isMigrated: Bool { migrated.withLockedValue { $0 } }

    /// Waits until the tables exist, so background tasks never run before the migrations.
    /// Returns false if the task was cancelled or the service shut down first.
    public func waitUntilMigrated() async -> Bool {
        while !isMigrated {
            do {
                try await Task.sleep(for: .milliseconds(20))
            } catch {
                return false
            }
            if Task.isShuttingDownGracefully { return false }
        }
        return true
    }

    public init(backend: Backend) throws {
        self.backend = backend
        let threadPool = NIOThreadPool(numberOfThreads: 2)
        threadPool.start()
        self.threadPool = threadPool
        switch backend {
        case .sqlite(let path):
            let directory = URL(fileURLWithPath: path).deletingLastPathComponent().path
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            try Self.ownerOnly(path)
            let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
            ownedGroup = group
            eventLoopGroup = group
            databases = Databases(threadPool: threadPool, on: group)
            databases.use(.sqlite(.file(path), maxConnectionsPerEventLoop: 1, connectionPoolTimeout: .seconds(30)), as: .sqlite)
            poolUsage = DatabasePoolUsage(capacity: 1)
            tracing = CampusTracing.isEnabled ? DatabaseTracing(system: "sqlite", namespace: URL(fileURLWithPath: path).lastPathComponent) : nil
        case .postgresql(let server, let schema, _, let poolMax):
            ownedGroup = nil
            eventLoopGroup = MultiThreadedEventLoopGroup.singleton
            databases = Databases(threadPool: threadPool, on: eventLoopGroup)
            let loops = max(1, System.coreCount)
            let perLoop = max(1, (poolMax + loops - 1) / loops)
            let core = try server.connectionConfiguration()
            // `public` stays on the path for extensions installed once per database (btree_gist and the like).
            let configuration = SQLPostgresConfiguration(coreConfiguration: core, searchPath: [schema, "public"])
            databases.use(
                .postgres(configuration: configuration, maxConnectionsPerEventLoop: perLoop, connectionPoolTimeout: .seconds(10)),
                as: .psql
            )
            poolUsage = DatabasePoolUsage(capacity: perLoop * loops)
            tracing = CampusTracing.isEnabled ? DatabaseTracing(system: "postgresql", namespace: schema) : nil
        }
    }

    /// SQLite files are the owner's alone (0600): `users.db` holds password hashes. A new file is
    /// created so; one left readable by an older version is tightened, with its WAL and shared-memory
    /// files (SQLite gives those the database file's mode when it creates them).
    static func ownerOnly(_ path: String) throws {
        let files = FileManager.default
        if !files.fileExists(atPath: path) {
            guard files.createFile(atPath: path, contents: nil, attributes: [.posixPermissions: 0o600]) else {
                throw CocoaError(.fileWriteNoPermission, userInfo: [NSFilePathErrorKey: path])
            }
        }
        for file in [path, path + "-wal", path + "-shm"] where files.fileExists(atPath: file) {
            try files.setAttributes([.posixPermissions: 0o600], ofItemAtPath: file)
        }
    }

    /// The database of `service` as the settings choose it.
    public static func make(for service: ServiceName, settings: Settings) throws -> DatabaseProvider {
        switch settings.databaseType {
        case .sqlite:
            let file = service.databaseFileName ?? "\(service.rawValue).db"
            return try DatabaseProvider(backend: .sqlite(path: URL(fileURLWithPath: settings.dataDir).appendingPathComponent(file).path))
        case .postgresql:
            return try DatabaseProvider(
                backend: .postgresql(
                    settings.postgres, schema: service.rawValue, poolMin: settings.dbPoolMin, poolMax: settings.dbPoolMax
                ))
        }
    }

    public var isPostgreSQL: Bool {
        if case .postgresql = backend { return true }
        return false
    }

    /// A database handle for one request or task, counted in ``poolUsage`` and traced when tracing
    /// is on. Throws 503 once the provider has shut down.
    /// `traced: false` for background polling (the outbox's due query, metrics probes, migrations),
    /// which would otherwise start a trace of its own every second.
    public func database(logger: Logger, traced: Bool = true) throws -> any Database {
        let tracing = traced ? tracing : nil
        guard let database = databases.database(logger: logger, on: eventLoopGroup.any(), withTracing: tracing != nil) else {
            throw APIError.serviceUnavailable("The database is shutting down.", code: "database_unavailable")
        }
        return InstrumentedDatabase(base: database, usage: poolUsage, tracing: tracing)
    }

    /// SQLKit access for queries that are clearer or cheaper in SQL.
    public func sql(logger: Logger) throws -> any SQLDatabase {
        try database(logger: logger).sql
    }

    /// Creates the schema (PostgreSQL) and runs pending migrations. On PostgreSQL an advisory
    /// lock makes replicas starting together migrate one after another.
    public func migrate(_ migrations: [any Migration], logger: Logger) async throws {
        let list = Migrations()
        list.add(migrations)
        let database = try database(logger: logger, traced: false)
        if case .postgresql(let server, let schema, let poolMin, _) = backend {
            try await DatabaseTLSRefused.check(server, logger: logger)
            let lockKey = Int64(truncatingIfNeeded: schema.utf8.reduce(UInt64(5381)) { ($0 &* 33) &+ UInt64($1) })
            try await database.withConnection { connection in
                let sql = connection.sql
                try await sql.raw("SELECT pg_advisory_lock(\(bind: lockKey))").run()
                do {
                    // Created only when missing: a service's own role (`campus db-setup`) owns its
                    // schema but may not create schemas, and PostgreSQL checks that right even for
                    // CREATE SCHEMA IF NOT EXISTS.
                    let present = try await sql.raw("SELECT 1 AS present FROM pg_namespace WHERE nspname = \(bind: schema)").first()
                    if present == nil { try await sql.raw("CREATE SCHEMA \(ident: schema)").run() }
                    try await Self.runMigrations(list, on: connection)
                } catch {
                    try? await sql.raw("SELECT pg_advisory_unlock(\(bind: lockKey))").run()
                    throw error
                }
                try await sql.raw("SELECT pg_advisory_unlock(\(bind: lockKey))").run()
            }
            try await warmUp(connections: poolMin, logger: logger)
        } else {
            try await sql(logger: logger).raw("PRAGMA journal_mode=WAL").run()
            // Every commit is fsynced to the WAL before it returns (SQLite's default, stated here):
            // an acknowledged write survives `kill -9` and power loss. NORMAL would survive only
            // the first; group commit (``GroupCommit``) makes the fsync cheap instead.
            try await sql(logger: logger).raw("PRAGMA synchronous=FULL").run()
            try await Self.runMigrations(list, on: database)
        }
        migrated.withLockedValue { $0 = true }
    }

    private static func runMigrations(_ migrations: Migrations, on database: any Database) async throws {
        let migrator = Migrator(databaseFactory: { _ in database }, migrations: migrations, on: database.eventLoop)
        try await migrator.setupIfNeeded().get()
        try await migrator.prepareBatch().get()
    }

    /// Opens `DB_POOL_MIN` connections up front; the pool keeps them for later requests.
    private func warmUp(connections count: Int, logger: Logger) async throws {
        guard count > 0 else { return }
        try await withThrowingTaskGroup(of: Void.self) { group in
            for _ in 0..<count {
                group.addTask { try await self.sql(logger: logger).raw("SELECT 1").run() }
            }
            try await group.waitForAll()
        }
    }

    /// `SELECT 1`, for `/health`.
    public func ping(logger: Logger) async throws {
        try await sql(logger: logger).raw("SELECT 1").run()
    }

    public struct NotMigrated: Error, CustomStringConvertible {
        public var description: String { "the migrations of this process have not finished" }
    }

    /// The readiness check: this process has migrated its tables and the database answers.
    public func checkReady(logger: Logger) async throws {
        guard isMigrated else { throw NotMigrated() }
        try await ping(logger: logger)
    }

    public func run() async throws {
        try? await gracefulShutdown()
        await shutdown()
    }

    public func shutdown() async {
        await databases.shutdownAsync()
        try? await threadPool.shutdownGracefully()
        try? await ownedGroup?.shutdownGracefully()
    }
}
