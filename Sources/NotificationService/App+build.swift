import CampusKit
import FluentKit
import Foundation
import Hummingbird
import Logging

/// The notification service (port 8004): notifications, per-user read state, retention.
public enum NotificationServiceModule: CampusServiceModule {
    public static let name = ServiceName.notification
    public static let migrations: [any Migration] = [CreateNotifications(), CreateProcessedEvents(), AddNoticeLinks()]

    public static func makeApplication(runtime: ServiceRuntime) async throws -> any ApplicationProtocol {
        try await buildApplication(runtime: runtime)
    }
}

/// Builds the notification service; tests pass their own database and clock.
public func buildApplication(
    runtime: ServiceRuntime, database: DatabaseProvider? = nil, now: @escaping @Sendable () -> Date = Date.init
) async throws -> some ApplicationProtocol {
    let settings = runtime.settings
    let logger = runtime.logger(for: .notification)
    let database = try database ?? DatabaseProvider.make(for: .notification, settings: settings)
    let repository = SQLNotificationRepository(provider: database, logger: logger, now: now)
    let router = buildRouter(runtime: runtime, repository: repository) { try await database.checkReady(logger: logger) }
    let retention = TimeInterval(settings.notificationRetentionDays) * 86_400

    runtime.watchOperations(of: .notification, database: database, logger: logger)
    var app = Application(
        router: router,
        server: runtime.httpServer,
        configuration: runtime.configuration(for: .notification),
        services: [
            database,
            PeriodicTask(name: "notification-retention", every: .seconds(3600), after: database, logger: logger) {
                let purged = try await repository.purge(createdBefore: now().addingTimeInterval(-retention), batchSize: 500)
                if purged > 0 { logger.info("Purged old notifications", metadata: ["count": "\(purged)"]) }
            },
        ],
        logger: logger
    )
    app.beforeServerStarts {
        try await database.migrate(NotificationServiceModule.migrations, logger: logger)
    }
    return app
}

/// The middleware stack and every route of the notification service.
func buildRouter(
    runtime: ServiceRuntime, repository: any NotificationRepository, databaseCheck: @escaping @Sendable () async throws -> Void
) -> Router<CampusRequestContext> {
    let router = CampusRouter.make(
        .init(
            runtime: runtime, service: .notification,
            openAPISpec: NotificationOpenAPI.document, healthChecks: ["database": databaseCheck]
        ))
    NotificationsController(repository: repository, users: runtime.serviceClient(for: .notification))
        .addRoutes(to: router.group("/notifications", context: AuthenticatedContext.self))
    return router
}
