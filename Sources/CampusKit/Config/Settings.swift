import Foundation
import Logging

/// Every setting of docs/contract.md §10, typed and validated. Built once at start-up and passed by value.
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
        /// `DB_TLS` and `DB_TLS_CA_FILE`.
        public var tls: DatabaseTLS
        public init(host: String, port: Int, database: String, user: String, password: String, tls: DatabaseTLS = .disable) {
            self.host = host
            self.port = port
            self.database = database
            self.user = user
            self.password = password
            self.tls = tls
        }
    }

    /// How connections to PostgreSQL are encrypted (`DB_TLS`): not at all; encrypted without
    /// checking whom to (`require`, like libpq's sslmode=require); or encrypted to a server whose
    /// certificate chains to the CA file (or the system's roots) and names `DB_HOST` (`verify-full`).
    public enum DatabaseTLS: Sendable, Equatable {
        case disable
        case require
        case verifyFull(caFile: String?)
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
    /// Seconds a service's circuit breaker stays open after its failures (`CIRCUIT_BREAKER_OPEN_SECONDS`).
    public var circuitBreakerOpenSeconds: Double
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
    /// `REMINDER_CHECK_SECONDS`: how often the booking service looks for bookings to remind of.
    public var reminderCheckSeconds: Int = 60
    /// `CHECK_IN_MINUTES`: in a room that requires check-in, how long before and after the start its owner may check in.
    public var checkInMinutes: Int = 15
    /// `RELEASE_CHECK_SECONDS`: how often the booking service releases bookings nobody checked in to and serves the waitlist.
    public var releaseCheckSeconds: Int = 30
    /// `APPROVAL_HOURS`: how long an approver has to decide a request for a room that requires approval (less if it starts sooner).
    public var approvalHours: Int = 48
    /// `SLA_WORKING_HOURS` with `SLA_HOLIDAYS`: the hours the SLA clocks of P1–P4 tickets run; nil: around the clock.
    public var slaWorkingHours: WorkingHours? = nil
    /// `GPA_RETAKE_POLICY`: which attempts of a retaken course count toward the GPA.
    public var retakePolicy: RetakePolicy = .replace
    public var bindAddress: String
    /// `PUBLIC_DIR`: the web page's folder; nil to look in the usual places (the gateway's `WebPageFolder`).
    public var publicDir: String? = nil
    /// `HEADER_TIMEOUT`, `IDLE_TIMEOUT`: how long a connection may take over its headers, and sit idle.
    public var connectionTimeouts = ConnectionTimeouts(headerSeconds: 10, idleSeconds: 75)
    /// `TRUSTED_PROXIES`: the load balancers and proxies whose `X-Forwarded-For` names the client.
    public var trustedProxies: [AddressRange] = []
    /// `LOG_FORMAT`: `text` lines for people, `json` lines for a log pipeline.
    public var logFormat = LogFormat.text
    /// `OTEL_EXPORTER_OTLP_ENDPOINT`: where OpenTelemetry traces go; nil (the default) traces nothing.
    public var tracing: TracingSettings? = nil
    /// `SMTP_HOST` and the other `SMTP_*` settings: where e-mail goes; nil (the default) sends none.
    public var smtp: SMTPSettings? = nil
    /// `PUBLIC_URL`: the address people open the page at, for links in e-mail (no trailing slash).
    public var publicURL = "http://localhost:8000"

    public var isProduction: Bool { appEnv == .production }

    public func endpoint(_ service: ServiceName) -> Endpoint {
        endpoints[service] ?? Endpoint(host: "127.0.0.1", port: service.defaultPort)
    }
}
