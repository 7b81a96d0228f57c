import CampusKit
import FluentKit
import Foundation
import Hummingbird
import Logging
import ServiceLifecycle

/// User management (port 8002): accounts, password hashes, roles.
public enum UserServiceModule: CampusServiceModule {
    public static let name = ServiceName.users

    public static let migrations: [any Migration] = [
        CreateUsers(), CreateOutboxEvents(), AddTokensValidAfter(), NeverReuseIDs(table: UserRecord.schema), AddOutboxTraceParent(),
        CreateSavedCourses(),
    ]

    public static func makeApplication(runtime: ServiceRuntime) async throws -> any ApplicationProtocol {
        try await buildApplication(runtime: runtime)
    }
}

/// Builds the user-management application. Tests pass their own `database` (a temporary SQLite
/// file or a PostgreSQL schema); otherwise the settings choose it.
public func buildApplication(runtime: ServiceRuntime, database: DatabaseProvider? = nil) async throws -> some ApplicationProtocol {
    let settings = runtime.settings
    let logger = runtime.logger(for: .users)
    let database = try database ?? DatabaseProvider.make(for: .users, settings: settings)
    let hasher = PasswordHasher(cost: settings.bcryptCost)
    let repository = FluentUserRepository(provider: database, logger: logger)
    let router = buildRouter(runtime: runtime, repository: repository, hasher: hasher) {
        try await database.checkReady(logger: logger)
    }

    runtime.watchOperations(of: .users, database: database, outbox: true, logger: logger)
    var app = Application(
        router: router,
        server: runtime.httpServer,
        configuration: runtime.configuration(for: .users),
        services: [
            database,
            OutboxDeliverer(database: database, client: runtime.serviceClient(for: .users), logger: logger),
            ShutdownAction { await hasher.shutdown() },
        ],
        logger: logger
    )
    app.beforeServerStarts {
        try await database.migrate(UserServiceModule.migrations, logger: logger)
        if settings.seedDefaultUsers {
            try await DefaultUserSeeder(repository: repository, hasher: hasher, logger: logger).seedIfEmpty()
        }
    }
    return app
}

/// The middleware stack and every route of user management.
func buildRouter(
    runtime: ServiceRuntime, repository: any UserRepository & SavedCoursesRepository, hasher: PasswordHasher,
    databaseCheck: @escaping @Sendable () async throws -> Void
) -> Router<CampusRequestContext> {
    let router = CampusRouter.make(
        .init(
            runtime: runtime, service: .users, openAPISpec: UserOpenAPI.document,
            healthChecks: ["database": databaseCheck]
        ))
    let users = router.group("/users", context: AuthenticatedContext.self)
    UsersController(repository: repository, hasher: hasher).addRoutes(to: users)
    SavedCoursesController(repository: repository).addRoutes(to: users)
    CredentialsController(repository: repository, hasher: hasher)
        .addRoutes(to: router.group("/internal", context: AuthenticatedContext.self))
    return router
}

/// Creates docs/contract.md §3's default accounts when the user table is empty (first start).
struct DefaultUserSeeder {
    let repository: any UserRepository
    let hasher: PasswordHasher
    let logger: Logger

    func seedIfEmpty() async throws {
        guard try await repository.count() == 0 else { return }
        // Hashing would be the slow part of a first start: the published hashes serve at the default
        // cost; another cost hashes the passwords side by side on the hasher's threads.
        let hashes = try await withThrowingTaskGroup(of: (String, String).self) { group in
            for account in DefaultUsers.accounts {
                group.addTask {
                    guard Int(hasher.cost) != DefaultUsers.publishedHashCost else { return (account.email, account.publishedHash) }
                    return (account.email, try await hasher.hash(account.password))
                }
            }
            return try await group.reduce(into: [String: String]()) { $0[$1.0] = $1.1 }
        }
        for account in DefaultUsers.accounts {
            guard let hash = hashes[account.email] else { continue }
            do {
                _ = try await repository.create(NewUser(email: account.email, name: account.name, role: account.role, passwordHash: hash), announce: false)
            } catch UserStoreError.emailTaken {
                // Another replica seeded it at the same moment.
            }
        }
        logger.info("Seeded the default users", metadata: ["emails": "\(DefaultUsers.accounts.map(\.email).joined(separator: ", "))"])
    }
}
