import Foundation
import Logging
import PostgresNIO
import SQLKit
import ServiceLifecycle

/// What a service does with one live event (`kind:id` text) on each of its instances: reads what
/// it is about and sends it to its own WebSocket clients.
public protocol LiveEventReceiver: Sendable {
    func deliver(wire: String) async
}

/// Carries live events to every instance of a service.
public protocol LiveEventBus: Sendable {
    func publish(wire: String) async
}

/// One instance (SQLite): events go straight to this instance's clients, before the request that
/// published one answers. The page relies on that order (its own change arrives live before its
/// answer, so the answer's focus handling has the last word); with 10,000 clients it makes that
/// request wait for the fan-out (docs/performance.md).
public struct LocalLiveEventBus: LiveEventBus {
    let receiver: any LiveEventReceiver
    public init(receiver: any LiveEventReceiver) { self.receiver = receiver }
    public func publish(wire: String) async { await receiver.deliver(wire: wire) }
}

/// Several instances on one PostgreSQL database: events travel by NOTIFY, and every instance
/// (the publisher included) LISTENs and delivers them to its own clients.
public struct PostgresLiveEventBus: LiveEventBus, Service {
    let receiver: any LiveEventReceiver
    let database: DatabaseProvider
    let server: Settings.PostgreSQL
    let channel: String
    let logger: Logger

    /// `topic` names the events (`ticket_events`); one channel per schema, so services (or test
    /// runs) sharing a database never cross.
    public init(
        topic: String, receiver: any LiveEventReceiver, database: DatabaseProvider, server: Settings.PostgreSQL, schema: String, logger: Logger
    ) {
        self.receiver = receiver
        self.database = database
        self.server = server
        self.channel = "\(topic)_\(schema)"
        self.logger = logger
    }

    /// The bus the database calls for: NOTIFY on PostgreSQL (also a service to run), direct on SQLite.
    public static func make(
        topic: String, receiver: any LiveEventReceiver, database: DatabaseProvider, logger: Logger
    ) -> (bus: any LiveEventBus, listener: (any Service)?) {
        if case .postgresql(let server, let schema, _, _) = database.backend {
            let bus = PostgresLiveEventBus(topic: topic, receiver: receiver, database: database, server: server, schema: schema, logger: logger)
            return (bus, bus)
        }
        return (LocalLiveEventBus(receiver: receiver), nil)
    }

    public func publish(wire: String) async {
        do {
            try await database.sql(logger: logger).raw("SELECT pg_notify(\(bind: channel), \(bind: wire))").run()
        } catch {
            logger.warning("Could not publish a live event", metadata: ["event": "\(wire)", "error": "\(error)"])
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
                        for try await notification in notifications { await receiver.deliver(wire: notification.payload) }
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
