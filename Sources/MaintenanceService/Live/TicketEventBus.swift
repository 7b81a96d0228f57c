import CampusKit
import Foundation
import Logging
import PostgresNIO
import SQLKit
import ServiceLifecycle

/// Carries ticket events to every maintenance instance's WebSocket clients.
public protocol TicketEventBus: Sendable {
    func publish(_ event: TicketEvent) async
}

/// One instance (SQLite): events go straight to this instance's clients.
public struct LocalTicketEventBus: TicketEventBus {
    let hub: TicketEventHub
    public func publish(_ event: TicketEvent) async { await hub.deliver(event) }
}

/// Several instances on one PostgreSQL database: events travel by NOTIFY, and every instance
/// (the publisher included) LISTENs and delivers them to its own clients.
public struct PostgresTicketEventBus: TicketEventBus, Service {
    let hub: TicketEventHub
    let database: DatabaseProvider
    let server: Settings.PostgreSQL
    let channel: String
    let logger: Logger

    init(hub: TicketEventHub, database: DatabaseProvider, server: Settings.PostgreSQL, schema: String, logger: Logger) {
        self.hub = hub
        self.database = database
        self.server = server
        // One channel per schema, so services (or test runs) sharing a database never cross.
        self.channel = "ticket_events_\(schema)"
        self.logger = logger
    }

    public func publish(_ event: TicketEvent) async {
        do {
            try await database.sql(logger: logger).raw("SELECT pg_notify(\(bind: channel), \(bind: event.wire))").run()
        } catch {
            logger.warning("Could not publish a ticket event", metadata: ["event": "\(event.wire)", "error": "\(error)"])
        }
    }

    /// Listens until shutdown, reconnecting after a lost connection.
    public func run() async throws {
        let configuration = try server.connectionConfiguration()
        var attempt = 0
        while !Task.isShuttingDownGracefully && !Task.isCancelled {
            do {
                let connection = try await PostgresConnection.connect(configuration: configuration, id: 1, logger: logger)
                attempt = 0
                try await cancelWhenGracefulShutdown {
                    try await connection.listen(on: channel) { notifications in
                        for try await notification in notifications {
                            if let event = TicketEvent(wire: notification.payload) { await hub.deliver(event) }
                        }
                    }
                }
                try? await connection.close()
            } catch {
                attempt += 1
                logger.warning("LISTEN connection lost; reconnecting", metadata: ["error": "\(error)", "attempt": "\(attempt)"])
                let delay = Duration.milliseconds(min(5000, 100 * (1 << min(attempt, 6))))
                try? await cancelWhenGracefulShutdown { try await Task.sleep(for: delay) }
            }
        }
    }
}
