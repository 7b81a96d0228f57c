import CampusKit
import FluentKit
import Foundation
import Hummingbird
import Logging

/// Maintenance (port 8080): tickets triaged on arrival, their SLA, history and comments.
public enum MaintenanceServiceModule: CampusServiceModule {
    public static let name = ServiceName.maintenance
    public static let migrations: [any Migration] = [CreateTickets(), CreateOutboxEvents()]

    public static func makeApplication(runtime: ServiceRuntime) async throws -> any ApplicationProtocol {
        try await buildApplication(runtime: runtime)
    }
}

/// Builds the maintenance service; tests pass their own database and clock.
public func buildApplication(
    runtime: ServiceRuntime, database: DatabaseProvider? = nil, now: @escaping @Sendable () -> Date = Date.init
) async throws -> some ApplicationProtocol {
    let settings = runtime.settings
    let logger = runtime.logger(for: .maintenance)
    let database = try database ?? DatabaseProvider.make(for: .maintenance, settings: settings)
    let repository = FluentTicketRepository(provider: database, logger: logger, now: now)
    let router = try buildRouter(runtime: runtime, repository: repository, now: now) { try await database.ping(logger: logger) }

    var app = Application(
        router: router,
        configuration: runtime.configuration(for: .maintenance),
        services: [
            database,
            OutboxDeliverer(database: database, client: runtime.serviceClient(for: .maintenance), logger: logger),
            PeriodicTask(name: "sla-check", every: .seconds(settings.slaCheckSeconds), after: database, logger: logger) {
                let breached = try await repository.markBreached(now: now(), outbox: TicketNotices.breached)
                if !breached.isEmpty { logger.notice("Tickets past their SLA", metadata: ["ids": "\(breached.map(\.id))"]) }
            },
        ],
        logger: logger
    )
    app.beforeServerStarts {
        try await database.migrate(MaintenanceServiceModule.migrations, logger: logger)
    }
    return app
}

/// The middleware stack and every route of the maintenance service.
func buildRouter(
    runtime: ServiceRuntime, repository: any TicketRepository, now: @escaping @Sendable () -> Date,
    databaseCheck: @escaping @Sendable () async throws -> Void
) throws -> Router<CampusRequestContext> {
    let router = CampusRouter.make(.init(
        service: .maintenance, tokens: runtime.tokens, corsOrigins: runtime.settings.corsOrigins,
        openAPISpec: MaintenanceOpenAPI.document, healthChecks: ["database": databaseCheck]
    ))
    TicketsController(
        repository: repository, triage: try TriageEngine.bundled(),
        directory: CampusDirectory(client: runtime.serviceClient(for: .maintenance)), now: now
    ).addRoutes(to: router.group(context: AuthenticatedContext.self))
    return router
}
