import Logging
import NIOConcurrencyHelpers

public enum CampusLogging {
    private static let bootstrapped = NIOLockedValueBox(false)

    /// Bootstraps swift-log once per process (standard error, `LOG_LEVEL`).
    public static func bootstrap(level: Logger.Level) {
        let first = bootstrapped.withLockedValue { done in
            defer { done = true }
            return !done
        }
        guard first else { return }
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = level
            return handler
        }
    }

    public static func logger(for service: ServiceName, level: Logger.Level) -> Logger {
        var logger = Logger(label: "campus.\(service.rawValue)")
        logger.logLevel = level
        logger[metadataKey: "service"] = .string(service.displayName)
        return logger
    }
}
