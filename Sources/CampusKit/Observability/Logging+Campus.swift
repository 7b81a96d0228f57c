import Foundation
import Logging
import NIOConcurrencyHelpers

#if canImport(Glibc)
    import Glibc
#endif

public enum CampusLogging {
    private static let bootstrapped = NIOLockedValueBox(false)

    /// Bootstraps swift-log once per process (standard error, `LOG_LEVEL`, `LOG_FORMAT`).
    /// `tracing`: lines written inside a span carry its `trace_id` and `span_id`.
    public static func bootstrap(level: Logger.Level, format: LogFormat = .text, tracing: Bool = false) {
        let first = bootstrapped.withLockedValue { done in
            defer { done = true }
            return !done
        }
        guard first else { return }
        let provider = tracing ? CampusTracing.loggingMetadataProvider : nil
        LoggingSystem.bootstrap(
            { label, provider in
                var handler = CampusLogHandler(label: label, logLevel: level, format: format)
                handler.metadataProvider = provider
                return handler
            }, metadataProvider: provider)
    }

    public static func logger(for service: ServiceName, level: Logger.Level) -> Logger {
        var logger = Logger(label: "campus.\(service.rawValue)")
        logger.logLevel = level
        logger[metadataKey: "service"] = .string(service.displayName)
        return logger
    }
}

/// `LOG_FORMAT`: lines for people, or one JSON object per line for a log pipeline.
public enum LogFormat: String, Sendable {
    case text, json
}

/// Writes `2026-11-27T09:00:00.123Z info campus.booking: request_id=… service=booking [Source] message`
/// lines to standard error, or with `LOG_FORMAT=json` one object per line
/// (`{"timestamp":…,"level":…,"logger":…,"message":…,"source":…, metadata…}`). Unlike swift-log's
/// StreamLogHandler it formats metadata only when a line is written: every request sets
/// `request_id` and `user_id`, and re-rendering the metadata on each set cost about 5 % of a small request.
public struct CampusLogHandler: LogHandler {
    public let label: String
    public var logLevel: Logger.Level
    public var metadata: Logger.Metadata = [:]
    public var metadataProvider: Logger.MetadataProvider?
    public let format: LogFormat

    public init(label: String, logLevel: Logger.Level, format: LogFormat = .text) {
        self.label = label
        self.logLevel = logLevel
        self.format = format
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        var merged = metadata
        if let provided = metadataProvider?.get() { merged.merge(provided) { _, new in new } }
        if let explicit = event.metadata { merged.merge(explicit) { _, new in new } }
        let line =
            format == .json
            ? Self.json(level: event.level, label: label, metadata: merged, source: event.source, message: event.message.description, at: Date())
            : Self.format(level: event.level, label: label, metadata: merged, source: event.source, message: event.message.description, at: Date())
        var bytes = Array(line.utf8)
        bytes.withUnsafeMutableBytes { buffer in
            var offset = 0
            while offset < buffer.count {  // one write(2) per line: lines from many threads never interleave
                let written = write(2, buffer.baseAddress! + offset, buffer.count - offset)
                if written <= 0 { break }
                offset += written
            }
        }
    }

    static func format(level: Logger.Level, label: String, metadata: Logger.Metadata, source: String, message: String, at date: Date) -> String {
        var line = "\(CampusJSON.timestamp(date, milliseconds: true)) \(level) \(label):"
        for (key, value) in metadata.sorted(by: { $0.key < $1.key }) {
            line += " \(key)=\(value)"
        }
        line += " [\(source)] \(message)\n"
        return line
    }

    static func json(level: Logger.Level, label: String, metadata: Logger.Metadata, source: String, message: String, at date: Date) -> String {
        var object: [String: Any] = [
            "timestamp": CampusJSON.timestamp(date, milliseconds: true), "level": level.rawValue, "logger": label,
            "message": message, "source": source,
        ]
        for (key, value) in metadata where object[key] == nil { object[key] = jsonValue(value) }
        guard let data = try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes]) else {
            return "{\"level\":\"error\",\"message\":\"unencodable log line\"}\n"
        }
        return String(decoding: data, as: UTF8.self) + "\n"
    }

    private static func jsonValue(_ value: Logger.Metadata.Value) -> Any {
        switch value {
        case .string(let text): text
        case .stringConvertible(let convertible as Int): convertible
        case .stringConvertible(let convertible as UInt): convertible
        case .stringConvertible(let convertible as Double): convertible
        case .stringConvertible(let convertible): convertible.description
        case .array(let values): values.map(jsonValue)
        case .dictionary(let values): values.mapValues(jsonValue)
        }
    }
}
