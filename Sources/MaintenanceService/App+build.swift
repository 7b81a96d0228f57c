import CampusKit
import FluentKit
import Foundation
import Hummingbird
import Logging
import ServiceLifecycle

/// Maintenance (port 8080): tickets triaged on arrival, their SLA, history and comments.
public enum MaintenanceServiceModule: CampusServiceModule {
    public static let name = ServiceName.maintenance
    public static let migrations: [any Migration] = [
        CreateTickets(), CreateOutboxEvents(), AddPeopleNames(), AddOutboxTraceParent(), AddResolutions(), AddSLAPauses(), AddRoomLinks(),
        CreateTicketPhotos(),
    ]

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
    let hub = TicketEventHub(repository: repository, logger: logger)
    let (events, listener) = PostgresLiveEventBus.make(topic: "ticket_events", receiver: hub, database: database, logger: logger)
    let services: [any Service] = [database] + (listener.map { [$0] } ?? [])
    let auth = AuthMiddleware(tokens: runtime.tokens)
    let directory = CampusDirectory(client: runtime.serviceClient(for: .maintenance))
    let photos = FluentTicketPhotoRepository(provider: database, logger: logger)
    let router = try buildRouter(
        runtime: runtime, repository: repository, photos: photos, events: events, auth: auth, directory: directory, now: now
    ) {
        try await database.checkReady(logger: logger)
    }

    runtime.watchOperations(of: .maintenance, database: database, outbox: true, logger: logger)
    let metrics = MaintenanceMetrics(runtime.metrics(for: .maintenance), hub: hub)
    var app = Application(
        router: router,
        server: LiveWebSocket.serverBuilder(hub: hub.clients, auth: auth, timeouts: settings.connectionTimeouts),
        configuration: runtime.configuration(for: .maintenance),
        services: services + [
            OutboxDeliverer(database: database, client: runtime.serviceClient(for: .maintenance), logger: logger),
            PeriodicTask(name: "sla-check", every: .seconds(settings.slaCheckSeconds), after: database, logger: logger) {
                let breached = try await repository.markBreached(now: now())
                metrics.slaBreaches.increment(by: Int64(breached.count))
                for ticket in breached { await events.publish(TicketEvent(kind: .slaBreached, ticketID: ticket.id)) }
                if !breached.isEmpty { logger.notice("Tickets past their SLA", metadata: ["ids": "\(breached.map(\.id))"]) }
            },
            // Booking refuses rooms out of order as maintenance last stated them: restated now and
            // then, so that a statement lost while booking was down is made good. Every replica
            // states the same rows, so two of them agree.
            PeriodicTask(name: "room-faults", every: .seconds(settings.slaCheckSeconds), after: database, logger: logger) {
                await directory.restateOutOfOrder(from: repository, requestID: nil, logger: logger)
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
    runtime: ServiceRuntime, repository: any TicketRepository, photos: any TicketPhotoRepository, events: any LiveEventBus, auth: AuthMiddleware,
    directory: CampusDirectory, now: @escaping @Sendable () -> Date, databaseCheck: @escaping @Sendable () async throws -> Void
) throws -> Router<CampusRequestContext> {
    let router = CampusRouter.make(
        .init(
            runtime: runtime, service: .maintenance,
            openAPISpec: MaintenanceOpenAPI.document, healthChecks: ["database": databaseCheck]
        ))
    TicketsController(
        repository: repository,
        triage: TimedTriage(
            engine: try TriageEngine.bundled(), duration: MaintenanceMetrics.triageDuration(runtime.metrics(for: .maintenance))),
        events: events,
        directory: directory, timeZone: runtime.settings.campusTimeZone,
        slaClock: SLAClock(workingHours: runtime.settings.slaWorkingHours, zone: runtime.settings.campusTimeZone), now: now
    ).addRoutes(to: router.group(context: AuthenticatedContext.self))
    TicketPhotosController(tickets: repository, photos: photos, events: events, now: now)
        .addRoutes(to: router.group(context: AuthenticatedContext.self))
    LiveWebSocket.addUpgradeRequiredRoute(to: router, path: "/ws", auth: auth)
    return router
}
