import ArgumentParser
import CampusKit
import Foundation
import Logging

/// `campus db-setup`: one PostgreSQL role per service, owning only its schema.
struct DBSetup: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "db-setup",
        abstract: "Create (or update) one PostgreSQL role per service, each owning only its own schema.",
        discussion: """
            Run once, as a database administrator, before the services' first start (and again to change \
            their passwords; it is idempotent). It connects to DB_HOST, DB_PORT and DB_NAME with DB_TLS as the \
            services do, but as --admin-user with the password from --admin-password-file or PGPASSWORD. For \
            each of gateway, users, booking, notification and maintenance it creates the login role \
            <prefix><service> (no superuser, no CREATEDB/CREATEROLE) with the password in the file \
            --password-files names ({service} replaced by the service's name), and makes it the owner of the \
            schema <service> (existing tables are handed over). The services then run with DB_USER=<prefix><service> and that password: each can \
            read and change its own schema only.

            Example:
              PGPASSWORD=… campus db-setup --admin-user postgres --password-files '/run/secrets/db_password_{service}'
            """
    )

    @Option(help: "The administrator role to connect as (creates roles and schemas).")
    var adminUser = "postgres"

    @Option(help: ArgumentHelp("A file holding the administrator's password (else PGPASSWORD).", valueName: "file"))
    var adminPasswordFile: String?

    @Option(
        help: ArgumentHelp(
            "Where each role's password is: a file path with {service} in it (gateway, users, booking, notification, maintenance).",
            valueName: "pattern"))
    var passwordFiles: String

    func validate() throws {
        guard passwordFiles.contains("{service}") else {
            throw ValidationError("--password-files must contain {service}, e.g. /run/secrets/db_password_{service}.")
        }
    }

    @Option(help: "The roles' name prefix.")
    var rolePrefix = "campus_"

    func run() async throws {
        var settings = try loadSettings(signsTokens: false)
        CampusLogging.bootstrap(level: .warning, format: settings.logFormat)
        settings.postgres.user = adminUser
        settings.postgres.password =
            try adminPasswordFile.map { try SecretInput.file($0, option: "--admin-password-file") } ?? SecretInput.environment("PGPASSWORD") ?? ""
        let accounts = try DatabaseRoles.services.map { service in
            DatabaseRoles.Account(
                service: service, role: DatabaseRoles.roleName(for: service, prefix: rolePrefix),
                password: try SecretInput.file(passwordFiles.replacingOccurrences(of: "{service}", with: service.rawValue), option: "--password-files"))
        }
        var logger = Logger(label: "campus.db-setup")
        logger.logLevel = .warning
        let roles = DatabaseRoles(administrator: try settings.postgres.connectionConfiguration(), database: settings.postgres.database, logger: logger)
        for line in try await roles.apply(accounts) { print(line) }
        print("Done: run each service with DB_USER=\(rolePrefix)<service> and its password (DB_PASSWORD_FILE).")
    }
}
