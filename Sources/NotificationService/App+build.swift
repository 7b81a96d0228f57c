import CampusKit
import FluentKit
import Foundation
import Hummingbird
import Logging

/// The notification service (port 8004): notifications, per-user read state, retention.
public enum NotificationServiceModule: CampusServiceModule {
    public static let name = ServiceName.notification
    public static let migrations: [any Migration] = [CreateNotifications(), CreateProcessedEvents(), AddNoticeLinks(), CreateMail()]

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
    let repository = SQLNotificationRepository(provider: database, logger: logger, now: now, mailing: settings.smtp != nil)
    let hub = NoticeHub(repository: repository, logger: logger)
    let (events, listener) = PostgresLiveEventBus.make(topic: "notification_events", receiver: hub, database: database, logger: logger)
    let mailStore = SQLMailStore(provider: database, notices: repository, logger: logger, now: now)
    let router = buildRouter(runtime: runtime, repository: repository, events: events, mail: mailStore) {
        try await database.checkReady(logger: logger)
    }
    let mail = try settings.smtp.map { smtp in
        MailDeliverer(
            store: mailStore, directory: UserManagementDirectory(client: runtime.serviceClient(for: .notification), logger: logger),
            smtp: try SMTPClient(settings: smtp), publicURL: settings.publicURL, database: database, logger: logger, now: now)
    }
    let retention = TimeInterval(settings.notificationRetentionDays) * 86_400

    runtime.watchOperations(of: .notification, database: database, logger: logger)
    runtime.metrics(for: .notification).watchWebSocketClients(hub.clients)
    runtime.metrics(for: .notification).watchMail(mailStore, logger: logger, now: now)
    var app = Application(
        router: router,
        server: LiveWebSocket.serverBuilder(hub: hub.clients, auth: AuthMiddleware(tokens: runtime.tokens), timeouts: settings.connectionTimeouts),
        configuration: runtime.configuration(for: .notification),
        services: [database] + (listener.map { [$0] } ?? []) + (mail.map { [$0] } ?? []) + [
            PeriodicTask(name: "notification-retention", every: .seconds(3600), after: database, logger: logger) {
                let purged = try await repository.purge(createdBefore: now().addingTimeInterval(-retention), batchSize: 500)
                if purged > 0 { logger.info("Purged old notifications", metadata: ["count": "\(purged)"]) }
            }
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
    runtime: ServiceRuntime, repository: any NotificationRepository, events: any LiveEventBus, mail: SQLMailStore,
    databaseCheck: @escaping @Sendable () async throws -> Void
) -> Router<CampusRequestContext> {
    let router = CampusRouter.make(
        .init(
            runtime: runtime, service: .notification,
            openAPISpec: NotificationOpenAPI.document, healthChecks: ["database": databaseCheck]
        ))
    let notifications = router.group("/notifications", context: AuthenticatedContext.self)
    let preferences = MailPreferencesController(store: mail, emailAvailable: runtime.settings.smtp != nil, publicURL: runtime.settings.publicURL)
    preferences.addRoutes(to: notifications)
    NotificationsController(repository: repository, users: runtime.serviceClient(for: .notification), events: events).addRoutes(to: notifications)
    preferences.addUnsubscribeRoutes(to: router)
    LiveWebSocket.addUpgradeRequiredRoute(to: router, path: "/ws", auth: AuthMiddleware(tokens: runtime.tokens))
    return router
}
