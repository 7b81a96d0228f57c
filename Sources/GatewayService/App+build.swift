import CampusKit
import FluentKit
import Foundation
import Hummingbird
import Logging
import ServiceLifecycle

/// The gateway (port 5001): login, token revocation, lockout, audit, routing, the web page.
public enum GatewayServiceModule: CampusServiceModule {
    public static let name = ServiceName.gateway

    public static let migrations: [any Migration] = [CreateLoginAudit(), CreateLoginFailures(), CreateAccountLocks(), CreateRevokedTokens()]

    public static func makeApplication(runtime: ServiceRuntime) async throws -> any ApplicationProtocol {
        try await buildApplication(runtime: runtime)
    }
}

/// Builds the gateway. `publicDirectory` holds the web page (default: where ``WebPageFolder`` finds it).
public func buildApplication(
    runtime: ServiceRuntime, database: DatabaseProvider? = nil, publicDirectory: String? = nil,
    now: @escaping @Sendable () -> Date = Date.init
) async throws -> some ApplicationProtocol {
    let settings = runtime.settings
    let logger = runtime.logger(for: .gateway)
    let database = try database ?? DatabaseProvider.make(for: .gateway, settings: settings)
    let store = FluentGatewayStore(provider: database, logger: logger)
    let lockout = LoginLockoutPolicy()
    let accounts = AccountCutoffs(client: runtime.serviceClient(for: .gateway), logger: logger)
    let acceptance = GatewayTokenAcceptance(store: store, accounts: accounts)
    let folder = try publicDirectory ?? WebPageFolder.locate(setting: settings.publicDir)
    let router = buildRouter(
        runtime: runtime, store: store, acceptance: acceptance, lockout: lockout, publicDirectory: folder, now: now
    ) {
        try await database.checkReady(logger: logger)
    }

    let auth = AuthMiddleware(tokens: runtime.tokens, acceptance: acceptance)
    runtime.watchOperations(of: .gateway, database: database, logger: logger)
    var app = Application(
        router: router,
        server: WebSocketProxy.serverBuilder(runtime: runtime, auth: auth),
        configuration: runtime.configuration(for: .gateway),
        services: [
            database,
            PeriodicTask(name: "gateway-housekeeping", every: .seconds(600), after: database, logger: logger) {
                try await store.purge(now: now(), policy: lockout)
            },
        ],
        logger: logger
    )
    app.beforeServerStarts {
        try await database.migrate(GatewayServiceModule.migrations, logger: logger)
    }
    return app
}

/// The middleware stack and every route of the gateway.
func buildRouter(
    runtime: ServiceRuntime, store: any GatewayStore, acceptance: GatewayTokenAcceptance, lockout: LoginLockoutPolicy, publicDirectory: String,
    now: @escaping @Sendable () -> Date, databaseCheck: @escaping @Sendable () async throws -> Void
) -> Router<CampusRequestContext> {
    let settings = runtime.settings
    let client = runtime.serviceClient(for: .gateway)
    let router = CampusRouter.make(
        .init(
            runtime: runtime, service: .gateway, openAPISpec: GatewayOpenAPI.document,
            acceptance: acceptance,
            healthChecks: ["database": databaseCheck], contentSecurityPolicy: PagePolicy.contentSecurityPolicy
        ))
    AuthController(
        pageConfig: .init(settings: settings), store: store, users: client, tokens: runtime.tokens,
        rateLimiter: LoginRateLimiter(limit: settings.loginRatePerMinute), lockout: lockout,
        metrics: SignInMetrics(runtime.metrics(for: .gateway)), now: now
    ).addRoutes(to: router)
    StatusController(store: store, http: runtime.http, client: client, settings: settings, now: now)
        .addRoutes(to: router)
    // A WebSocket handshake to /api/ws that was not upgraded: say why. (/api/notifications/ws is
    // answered by the proxy's catch-all: a route beside /api/notifications/{…} would hide them.)
    let webSocketAuth = AuthMiddleware(tokens: runtime.tokens, acceptance: acceptance)
    LiveWebSocket.addUpgradeRequiredRoute(to: router, path: "/api/ws", auth: webSocketAuth)
    ProxyController(
        client: client, accounts: acceptance.accounts, docs: PublicDocsController(client: client, now: now), webSocketAuth: webSocketAuth
    ).addRoutes(to: router)
    WebPage.addRoutes(to: router, directory: publicDirectory, logger: runtime.logger(for: .gateway))
    return router
}
