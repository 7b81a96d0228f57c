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
            schema <service> (existing tables are handed over). On ECS, where secrets arrive as environment \
            variables, --passwords-from-environment reads CAMPUS_ROLE_PASSWORD_<SERVICE> instead. The services then run with DB_USER=<prefix><service> and that password: each can \
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
    var passwordFiles: String?

    @Flag(
        help: ArgumentHelp(
            "Take each role's password from the environment variable CAMPUS_ROLE_PASSWORD_<SERVICE> (e.g. CAMPUS_ROLE_PASSWORD_BOOKING), as ECS injects secrets."
        ))
    var passwordsFromEnvironment = false

    func validate() throws {
        switch (passwordFiles, passwordsFromEnvironment) {
        case (nil, false):
            throw ValidationError("Say where the roles' passwords are: --password-files '/run/secrets/db_password_{service}' or --passwords-from-environment.")
        case (.some, true): throw ValidationError("Use one of --password-files and --passwords-from-environment.")
        case (let pattern?, false) where !pattern.contains("{service}"):
            throw ValidationError("--password-files must contain {service}, e.g. /run/secrets/db_password_{service}.")
        default: break
        }
    }

    /// The password of `service`'s role, from its file or its environment variable.
    private func password(for service: ServiceName) throws -> String {
        if let passwordFiles {
            return try SecretInput.file(passwordFiles.replacingOccurrences(of: "{service}", with: service.rawValue), option: "--password-files")
        }
        let variable = "CAMPUS_ROLE_PASSWORD_\(service.rawValue.uppercased())"
        guard let password = SecretInput.environment(variable) else { throw ValidationError("\(variable) is not set.") }
        return password
    }

    @Option(help: "The roles' name prefix.")
    var rolePrefix = "campus_"

    func run() async throws {
        var settings = try loadSettings(signsTokens: false)
        CampusLogging.bootstrap(level: .warning, format: settings.logFormat)
        settings.postgres.user = adminUser
        guard
            let adminPassword = try adminPasswordFile.map({ try SecretInput.file($0, option: "--admin-password-file") })
                ?? SecretInput.environment("PGPASSWORD")
        else {
            throw ValidationError("No password for \(adminUser): set PGPASSWORD or pass --admin-password-file <file>.")
        }
        settings.postgres.password = adminPassword
        let accounts = try DatabaseRoles.services.map { service in
            DatabaseRoles.Account(
                service: service, role: DatabaseRoles.roleName(for: service, prefix: rolePrefix),
                password: try password(for: service))
        }
        var logger = Logger(label: "campus.db-setup")
        logger.logLevel = .warning
        let roles = DatabaseRoles(administrator: try settings.postgres.connectionConfiguration(), database: settings.postgres.database, logger: logger)
        let done: [String]
        do {
            done = try await roles.apply(accounts)
        } catch {
            FileHandle.standardError.write(Data("campus db-setup: \(DatabaseFailure.explain(error))\n".utf8))
            throw ExitCode.failure
        }
        for line in done { print(line) }
        print("Done: run each service with DB_USER=\(rolePrefix)<service> and its password (DB_PASSWORD_FILE).")
    }
}
