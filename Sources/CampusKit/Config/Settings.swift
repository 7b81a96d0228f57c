import Foundation
import Logging

/// Every setting of CONTRACT §10, typed and validated. Built once at start-up and passed by value.
public struct Settings: Sendable {
    public enum Environment: String, Sendable { case development, production }
    public enum DatabaseType: String, Sendable { case sqlite, postgresql }

    /// Where a service listens and where the others reach it.
    public struct Endpoint: Sendable, Equatable {
        public var host: String
        public var port: Int
        public init(host: String, port: Int) {
            self.host = host
            self.port = port
        }
        public var baseURL: String { "http://\(host):\(port)" }
    }

    public struct PostgreSQL: Sendable, Equatable {
        public var host: String
        public var port: Int
        public var database: String
        public var user: String
        public var password: String
        public init(host: String, port: Int, database: String, user: String, password: String) {
            self.host = host
            self.port = port
            self.database = database
            self.user = user
            self.password = password
        }
    }

    public var appEnv: Environment
    public var jwtSecret: String
    public var jwtExpiresIn: Int
    public var databaseType: DatabaseType
    public var dataDir: String
    public var postgres: PostgreSQL
    public var dbPoolMin: Int
    public var dbPoolMax: Int
    public var endpoints: [ServiceName: Endpoint]
    public var requestTimeout: Double
    public var requestRetryAttempts: Int
    public var requestRetryBackoff: Double
    public var corsOrigins: [String]
    public var seedDefaultUsers: Bool
    public var bcryptCost: Int
    public var logLevel: Logger.Level
    public var campusTimeZone: TimeZone
    public var bookingOpen: WallClockTime
    public var bookingClose: WallClockTime
    public var bookingSlotMinutes: Int
    public var loginRatePerMinute: Int
    public var notificationRetentionDays: Int
    public var slaCheckSeconds: Int
    public var bindAddress: String

    public var isProduction: Bool { appEnv == .production }

    public func endpoint(_ service: ServiceName) -> Endpoint {
        endpoints[service] ?? Endpoint(host: "127.0.0.1", port: service.defaultPort)
    }
}

/// A wall-clock time `HH:MM` in the campus time zone.
public struct WallClockTime: Sendable, Hashable, Comparable, CustomStringConvertible {
    public let minutesSinceMidnight: Int

    public init?(_ text: String) {
        let parts = text.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 2, parts[0].count == 2, parts[1].count == 2,
              let hour = Int(parts[0]), let minute = Int(parts[1]),
              (0...23).contains(hour), (0...59).contains(minute) else { return nil }
        minutesSinceMidnight = hour * 60 + minute
    }

    public init(minutesSinceMidnight: Int) { self.minutesSinceMidnight = minutesSinceMidnight }

    public var description: String {
        let hour = minutesSinceMidnight / 60, minute = minutesSinceMidnight % 60
        return (hour < 10 ? "0" : "") + "\(hour):" + (minute < 10 ? "0" : "") + "\(minute)"
    }

    public static func < (lhs: Self, rhs: Self) -> Bool { lhs.minutesSinceMidnight < rhs.minutesSinceMidnight }
}
