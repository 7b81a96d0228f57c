import ArgumentParser
import CampusKit
import DatabaseCopy
import Foundation
import Logging

/// `campus copy-db --from ./data --to postgres://…`: moves a SQLite installation onto PostgreSQL.
struct CopyDB: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "copy-db",
        abstract: "Copy every service's data from its SQLite file into PostgreSQL (one schema per service).",
        discussion: """
            Both sides are first migrated with the services' own migrations. Each table is then copied in one \
            PostgreSQL transaction: the target table is emptied, rows are inserted in batches, id sequences are \
            moved past the largest id, and the counts on both sides must match or the table is rolled back. \
            Running it again gives the same result. It replaces what the target schemas hold, so stop the \
            services (on both sides) before copying.

            The PostgreSQL password comes from PGPASSWORD or --password-file, never from the URL, which would \
            land in shell history.
            """
    )

    @Option(name: .customLong("from"), help: ArgumentHelp("The SQLite data folder (DATA_DIR) to copy from.", valueName: "dir"))
    var from: String

    @Option(name: .customLong("to"), help: ArgumentHelp("The PostgreSQL database: postgres://user@host[:port]/database", valueName: "url"))
    var to: String

    @Option(help: ArgumentHelp("A file holding the PostgreSQL password (else PGPASSWORD).", valueName: "file"))
    var passwordFile: String?

    @Option(help: "Rows per INSERT statement.")
    var batchSize: Int = 500

    @OptionGroup var selection: ServiceSelection

    func validate() throws {
        guard (1...5000).contains(batchSize) else { throw ValidationError("--batch-size must be between 1 and 5000.") }
        _ = try Self.postgres(from: to)
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: from, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw ValidationError("--from \(from) is not a folder.")
        }
    }

    func run() async throws {
        var settings = try loadSettings()
        CampusLogging.bootstrap(level: settings.logLevel, format: settings.logFormat)
        settings.dataDir = from
        settings.databaseType = .sqlite
        var target = settings
        target.databaseType = .postgresql
        target.postgres = try Self.postgres(from: to)
        target.postgres.password = try passwordFile.map { try SecretInput.file($0, option: "--password-file") } ?? SecretInput.environment("PGPASSWORD") ?? ""
        target.dbPoolMin = 1
        var copyLogger = Logger(label: "campus.copy-db")
        copyLogger.logLevel = settings.logLevel
        let copier = DatabaseCopier(batchSize: batchSize, logger: copyLogger)

        var failed = false
        print("service        table                   sqlite  postgresql")
        for name in try selection.resolve() {
            guard let module = ServiceCatalog.module(name), let file = name.databaseFileName, !module.migrations.isEmpty else { continue }
            let path = URL(fileURLWithPath: from).appendingPathComponent(file).path
            guard FileManager.default.fileExists(atPath: path) else {
                print("\(pad(name.rawValue, 14)) (no \(file) in \(from): skipped)")
                continue
            }
            let logger = CampusLogging.logger(for: name, level: settings.logLevel)
            let source = try DatabaseProvider.make(for: name, settings: settings)
            let destination = try DatabaseProvider.make(for: name, settings: target)
            do {
                try await source.migrate(module.migrations, logger: logger)
                try await destination.migrate(module.migrations, logger: logger)
                for report in try await copier.copy(from: source, to: destination, schema: name.rawValue) {
                    print(
                        "\(pad(name.rawValue, 14)) \(pad(report.table, 22)) \(lpad(report.sourceRows, 7)) \(lpad(report.targetRows, 11))\(report.matches ? "" : "  MISMATCH")"
                    )
                    failed = failed || !report.matches
                }
            } catch {
                print("\(pad(name.rawValue, 14)) failed: \(String(describing: error))")
                failed = true
            }
            await source.shutdown()
            await destination.shutdown()
        }
        if failed { throw ExitCode.failure }
        print("Every table copied; counts match on both sides.")
    }

    /// Reads `postgres://user@host:port/database` (also `postgresql://`); a password in it is refused.
    static func postgres(from url: String) throws -> Settings.PostgreSQL {
        guard let components = URLComponents(string: url), ["postgres", "postgresql"].contains(components.scheme?.lowercased() ?? ""),
            let host = components.host, !host.isEmpty
        else {
            throw ValidationError("--to must look like postgres://user@host:5432/database.")
        }
        guard components.percentEncodedPassword == nil else {
            throw ValidationError("--to holds a password, which would stay in shell history: put it in PGPASSWORD or a file for --password-file.")
        }
        let database = String(components.path.drop(while: { $0 == "/" }))
        guard !database.isEmpty else { throw ValidationError("--to names no database (postgres://…/database).") }
        return Settings.PostgreSQL(
            host: host, port: components.port ?? 5432, database: database,
            user: components.percentEncodedUser?.removingPercentEncoding ?? "postgres",
            password: ""
        )
    }

    private func pad(_ text: String, _ width: Int) -> String { text.padding(toLength: max(width, text.count), withPad: " ", startingAt: 0) }
    private func lpad(_ value: Int, _ width: Int) -> String { String(repeating: " ", count: max(0, width - String(value).count)) + String(value) }
}
