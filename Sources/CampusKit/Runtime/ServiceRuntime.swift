import AsyncHTTPClient
import FluentKit
import Foundation
import Hummingbird
import HummingbirdCore
import Logging

/// What every service of one process shares: settings, the token service, the HTTP client.
public struct ServiceRuntime: Sendable {
    public let settings: Settings
    public let tokens: TokenService
    public let http: HTTPClient
    /// One client per calling service, so each service has one circuit breaker per downstream
    /// (which `/metrics` reports), however many of its parts make calls.
    private let clients: [ServiceName: ServiceClient]
    /// One registry per service: `/metrics` of one service never shows another's, even in one process.
    private let registries: [ServiceName: HTTPMetrics]

    public init(settings: Settings, tokens: TokenService, http: HTTPClient) {
        self.settings = settings
        self.tokens = tokens
        self.http = http
        self.clients = Dictionary(
            uniqueKeysWithValues: ServiceName.allCases.map {
                ($0, ServiceClient(http: http, caller: $0, tokens: tokens, endpoints: settings.endpoints, policy: .init(settings: settings)))
            })
        self.registries = Dictionary(uniqueKeysWithValues: ServiceName.allCases.map { ($0, HTTPMetrics(service: $0)) })
    }

    /// Builds the shared pieces from settings.
    public static func make(settings: Settings) async -> ServiceRuntime {
        ServiceRuntime(
            settings: settings,
            tokens: await TokenService(secret: settings.jwtSecret, lifetime: TimeInterval(settings.jwtExpiresIn)),
            http: ServiceClient.makeHTTPClient(timeout: settings.requestTimeout)
        )
    }

    public func logger(for service: ServiceName) -> Logger {
        CampusLogging.logger(for: service, level: settings.logLevel)
    }

    /// The client for `caller`'s calls to other services.
    public func serviceClient(for caller: ServiceName) -> ServiceClient {
        clients[caller] ?? ServiceClient(http: http, caller: caller, tokens: tokens, endpoints: settings.endpoints, policy: .init(settings: settings))
    }

    /// Puts `service`'s circuit breakers, its database pool and, when it has one, its outbox backlog on its `/metrics`.
    public func watchOperations(of service: ServiceName, database: DatabaseProvider?, outbox: Bool = false, logger: Logger) {
        let metrics = metrics(for: service)
        metrics.watchBreakers(of: serviceClient(for: service), caller: service)
        guard let database else { return }
        metrics.watchDatabasePool(database.poolUsage)
        if outbox { metrics.watchOutbox(database: database, logger: logger) }
    }

    /// `service`'s metrics registry (what its `/metrics` shows).
    public func metrics(for service: ServiceName) -> HTTPMetrics {
        registries[service] ?? HTTPMetrics(service: service)
    }

    /// HTTP/1.1 with `HEADER_TIMEOUT` and `IDLE_TIMEOUT`: how every service without a WebSocket serves.
    public var httpServer: HTTPServerBuilder { .campusHTTP1(timeouts: settings.connectionTimeouts) }

    /// Where `service` listens.
    public func configuration(for service: ServiceName) -> ApplicationConfiguration {
        ApplicationConfiguration(
            address: .hostname(settings.bindAddress, port: settings.endpoint(service).port),
            serverName: "campus-\(service.rawValue)"
        )
    }
}

/// A service that plugs into `campus serve`: one line in the CLI's list adds it.
public protocol CampusServiceModule: Sendable {
    static var name: ServiceName { get }
    /// The service's application, with its database, migrations and background tasks inside.
    static func makeApplication(runtime: ServiceRuntime) async throws -> any ApplicationProtocol
    /// The service's migrations, in order; empty for a stateless service.
    static var migrations: [any Migration] { get }
}

extension CampusServiceModule {
    public static var migrations: [any Migration] { [] }

    /// Runs the service's migrations against the database the settings choose (`campus migrate`).
    public static func migrate(runtime: ServiceRuntime) async throws {
        guard !migrations.isEmpty else { return }
        let database = try DatabaseProvider.make(for: name, settings: runtime.settings)
        do {
            try await database.migrate(migrations, logger: runtime.logger(for: name))
        } catch {
            await database.shutdown()
            throw error
        }
        await database.shutdown()
    }
}
