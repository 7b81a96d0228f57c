import Logging
import ServiceLifecycle

/// Runs `work` every `interval` until shutdown; a failed run is logged and the next one goes ahead.
public struct PeriodicTask: Service {
    let name: String
    let interval: Duration
    let logger: Logger
    let work: @Sendable () async throws -> Void

    public init(name: String, interval: Duration, logger: Logger, work: @escaping @Sendable () async throws -> Void) {
        self.name = name
        self.interval = interval
        self.logger = logger
        self.work = work
    }

    public func run() async throws {
        while !Task.isShuttingDownGracefully && !Task.isCancelled {
            let interval = self.interval
            guard (try? await cancelOnGracefulShutdown({ try await Task.sleep(for: interval) })) != nil else { return }
            do {
                try await work()
            } catch {
                logger.warning("Periodic task failed", metadata: ["task": "\(name)", "error": "\(error)"])
            }
        }
    }
}
