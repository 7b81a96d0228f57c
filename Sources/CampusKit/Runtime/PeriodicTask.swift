import Logging
import ServiceLifecycle

/// Runs `work` once the service's tables exist, then every `interval` until shutdown; a failed
/// run is logged and the next one goes ahead.
public struct PeriodicTask: Service {
    let name: String
    let interval: Duration
    let database: DatabaseProvider
    let logger: Logger
    let work: @Sendable () async throws -> Void

    public init(name: String, every interval: Duration, after database: DatabaseProvider, logger: Logger, work: @escaping @Sendable () async throws -> Void) {
        self.name = name
        self.interval = interval
        self.database = database
        self.logger = logger
        self.work = work
    }

    public func run() async throws {
        guard await database.waitUntilMigrated() else { return }
        let interval = self.interval
        while !Task.isShuttingDownGracefully && !Task.isCancelled {
            do {
                try await work()
            } catch {
                logger.warning("Periodic task failed", metadata: ["task": "\(name)", "error": "\(error)"])
            }
            guard (try? await cancelWhenGracefulShutdown({ try await Task.sleep(for: interval) })) != nil else { return }
        }
    }
}
