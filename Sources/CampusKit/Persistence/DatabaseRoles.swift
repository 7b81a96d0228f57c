import Logging
import PostgresNIO

/// Least privilege on PostgreSQL (`campus db-setup`): each service gets its own login role that
/// owns its own schema and nothing else, so a compromised booking service cannot read password
/// hashes in `users`. Run once with an administrator's connection; running it again changes
/// nothing but the passwords it is given. An existing installation (schemas and tables created
/// by one shared user) is handed over: each schema and its tables pass to the service's role.
public struct DatabaseRoles: Sendable {
    public struct Account: Sendable, Equatable {
        public let service: ServiceName
        public let role: String
        public let password: String

        public init(service: ServiceName, role: String, password: String) {
            self.service = service
            self.role = role
            self.password = password
        }
    }

    /// The services that keep data: one role and one schema each.
    public static var services: [ServiceName] { ServiceName.allCases.filter { $0.databaseFileName != nil } }

    /// `campus_booking` for the booking service with the default prefix.
    public static func roleName(for service: ServiceName, prefix: String) -> String { prefix + service.rawValue }

    let administrator: PostgresConnection.Configuration
    let database: String
    let logger: Logger

    public init(administrator: PostgresConnection.Configuration, database: String, logger: Logger) {
        self.administrator = administrator
        self.database = database
        self.logger = logger
    }

    /// What changed, one line each, for the operator.
    public func apply(_ accounts: [Account]) async throws -> [String] {
        let connection = try await PostgresConnection.connect(configuration: administrator, id: 0, logger: logger)
        do {
            var done: [String] = []
            // Passwords follow in statements: keep them out of the server's statement log where
            // this administrator may (a superuser may; RDS's master user may not, and goes on).
            _ = try? await connection.query("SET log_statement = 'none'", logger: logger)
            let superuser = try await exists("SELECT 1 FROM pg_roles WHERE rolname = current_user AND rolsuper", on: connection)
            // Once per database, as the administrator: the booking service's exclusion constraint
            // needs btree_gist, which its role may not install; and nobody but owners creates in `public`.
            try await run("CREATE EXTENSION IF NOT EXISTS btree_gist SCHEMA public", on: connection)
            try await run("REVOKE CREATE ON SCHEMA public FROM PUBLIC", on: connection)
            for account in accounts {
                done += try await setUp(account, superuser: superuser, on: connection)
            }
            try await connection.close()
            return done
        } catch {
            try? await connection.close()
            throw error
        }
    }

    private func setUp(_ account: Account, superuser: Bool, on connection: PostgresConnection) async throws -> [String] {
        let schema = account.service.rawValue
        var done: [String] = []
        if try await exists("SELECT 1 FROM pg_roles WHERE rolname = \(account.role)", on: connection) {
            // Only a superuser may even name the SUPERUSER attribute; a role this command made never has it.
            try await formatted("ALTER ROLE %I WITH LOGIN NOCREATEDB NOCREATEROLE PASSWORD %L", account.role, account.password, on: connection)
            done.append("role \(account.role): password set")
        } else {
            try await formatted("CREATE ROLE %I WITH LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE PASSWORD %L", account.role, account.password, on: connection)
            done.append("role \(account.role): created")
        }
        // A non-superuser administrator (RDS's master user) may give a schema or a table to a role
        // only as a member of it.
        if !superuser { try await formatted("GRANT %I TO CURRENT_USER", account.role, on: connection) }
        try await formatted("GRANT CONNECT ON DATABASE %I TO %I", database, account.role, on: connection)
        if try await exists("SELECT 1 FROM pg_namespace WHERE nspname = \(schema)", on: connection) {
            try await formatted("ALTER SCHEMA %I OWNER TO %I", schema, account.role, on: connection)
            // Tables pass to the role with their indexes and their own (serial) sequences.
            let tables = try await connection.query(
                "SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = \(schema) AND c.relkind IN ('r', 'p')",
                logger: logger)
            var handedOver = 0
            for try await (table) in tables.decode(String.self) {
                try await formatted("ALTER TABLE %I.%I OWNER TO %I", schema, table, account.role, on: connection)
                handedOver += 1
            }
            done.append("schema \(schema): owned by \(account.role) with its \(handedOver) tables")
        } else {
            try await formatted("CREATE SCHEMA %I AUTHORIZATION %I", schema, account.role, on: connection)
            done.append("schema \(schema): created, owned by \(account.role)")
        }
        try await formatted("REVOKE ALL ON SCHEMA %I FROM PUBLIC", schema, on: connection)
        return done
    }

    private func exists(_ query: PostgresQuery, on connection: PostgresConnection) async throws -> Bool {
        for try await _ in try await connection.query(query, logger: logger) { return true }
        return false
    }

    private func run(_ statement: String, on connection: PostgresConnection) async throws {
        _ = try await connection.query(PostgresQuery(unsafeSQL: statement), logger: logger)
    }

    /// A utility statement takes no bind parameters: PostgreSQL's own `format()` quotes the
    /// identifiers (%I) and the password (%L), and the result is run.
    private func formatted(_ template: String, _ arguments: String..., on connection: PostgresConnection) async throws {
        var bindings = PostgresBindings()
        bindings.append(template)
        var placeholders = ["$1"]
        for (index, argument) in arguments.enumerated() {
            bindings.append(argument)
            placeholders.append("$\(index + 2)")
        }
        let statement = PostgresQuery(unsafeSQL: "SELECT format(\(placeholders.joined(separator: ", ")))", binds: bindings)
        var text: String?
        for try await (row) in try await connection.query(statement, logger: logger).decode(String.self) { text = row }
        guard let text else { return }
        try await run(text, on: connection)
    }
}
