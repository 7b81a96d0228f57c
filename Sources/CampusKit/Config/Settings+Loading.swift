import Foundation
import Logging

#if canImport(Glibc)
    import Glibc
#endif

/// Start-up stops with this error; its message names the variable and says what is wrong.
public struct SettingsError: Error, CustomStringConvertible, Equatable {
    public let variable: String
    public let problem: String
    public var description: String { "Invalid setting \(variable): \(problem)" }

    public init(variable: String, problem: String) {
        self.variable = variable
        self.problem = problem
    }
}

extension Settings {
    /// Secrets that ship in examples and must never sign production tokens.
    static let knownDefaultSecrets: Set<String> = [
        "secret", "changeme", "change-me", "your-secret-key", "your-secret-key-here",
        "your-secret-key-change-in-production", "dev-secret-key", "development-secret-key",
        "jwt-secret", "campus-services-hub-secret", "please-change-me",
    ]

    /// Reads the process environment over an optional `.env` file (the environment wins).
    /// `signsTokens: false` is for commands that only use the database (`campus create-admin`):
    /// they need no JWT secret, even in production, and none is created for them.
    public static func fromProcessEnvironment(dotEnvPath: String? = ".env", signsTokens: Bool = true) throws -> Settings {
        let env = reader(environment: ProcessInfo.processInfo.environment, dotEnvPath: dotEnvPath)
        env.signsTokens = signsTokens
        return try load(env)
    }

    public static func load(environment: [String: String], dotEnvPath: String?) throws -> Settings {
        try load(reader(environment: environment, dotEnvPath: dotEnvPath))
    }

    /// Where each setting's value comes from, for `campus config`: read as start-up reads them
    /// (an invalid value throws the same error), but no development secret is created, and
    /// secrets are reported as set, never shown.
    public static func sources(environment: [String: String], dotEnvPath: String?) throws -> [SettingReading] {
        let env = reader(environment: environment, dotEnvPath: dotEnvPath)
        env.inspecting = true
        _ = try load(env)
        return env.consulted.map { env.reading(of: $0) }
    }

    private static func reader(environment: [String: String], dotEnvPath: String?) -> EnvironmentReader {
        let fromFile = dotEnvPath.map(DotEnv.load(path:)) ?? [:]
        var merged = fromFile
        var origins = fromFile.mapValues { _ in SettingReading.Source.dotEnv(dotEnvPath ?? ".env") }
        for (name, value) in environment {
            merged[name] = value
            origins[name] = .environment
        }
        return EnvironmentReader(values: merged, origins: origins)
    }

    /// Every variable the settings are read from (docs/contract.md §10), in reading order.
    public static var variableNames: [String] {
        // A given secret keeps this free of side effects (no development secret file is written).
        let reader = EnvironmentReader(values: ["JWT_SECRET_KEY": String(repeating: "x", count: 32)])
        _ = try? load(reader)
        return reader.consulted
    }

    private static func load(_ env: EnvironmentReader) throws -> Settings {

        let appEnv: Environment = try env.choice("APP_ENV", default: .development)
        let isProduction = appEnv == .production
        let dataDir = env.string("DATA_DIR", default: "./data")
        var endpoints: [ServiceName: Endpoint] = [:]
        for service in ServiceName.allCases {
            endpoints[service] = Endpoint(
                host: env.string(service.hostVariable, default: "127.0.0.1"),
                port: try env.integer(service.portVariable, default: service.defaultPort, in: 0...65535)
            )
        }
        let poolMin = try env.integer("DB_POOL_MIN", default: 2, in: 0...1000)
        let poolMax = try env.integer("DB_POOL_MAX", default: 20, in: 1...1000)
        guard poolMin <= poolMax else {
            throw SettingsError(variable: "DB_POOL_MIN", problem: "\(poolMin) is larger than DB_POOL_MAX (\(poolMax))")
        }
        let open = try env.wallClock("BOOKING_OPEN", default: "08:00")
        let close = try env.wallClock("BOOKING_CLOSE", default: "18:00")
        guard open < close else {
            throw SettingsError(variable: "BOOKING_CLOSE", problem: "\(close) is not after BOOKING_OPEN (\(open))")
        }
        let slot = try env.integer("BOOKING_SLOT_MINUTES", default: 60, in: 5...1440)
        guard (close.minutesSinceMidnight - open.minutesSinceMidnight) % slot == 0 else {
            throw SettingsError(variable: "BOOKING_SLOT_MINUTES", problem: "\(slot) does not divide the opening hours \(open)–\(close) into whole slots")
        }

        return Settings(
            appEnv: appEnv,
            jwtSecret: try jwtSecret(env, isProduction: isProduction, dataDir: dataDir),
            jwtExpiresIn: try env.integer("JWT_EXPIRES_IN", default: 86400, in: 60...31_536_000),
            databaseType: try env.choice("DATABASE_TYPE", default: .sqlite),
            dataDir: dataDir,
            postgres: PostgreSQL(
                host: env.string("DB_HOST", default: "localhost"),
                port: try env.integer("DB_PORT", default: 5432, in: 1...65535),
                database: env.string("DB_NAME", default: "campus_hub"),
                user: env.string("DB_USER", default: "postgres"),
                password: try env.secret("DB_PASSWORD") ?? "",
                tls: try databaseTLS(env)
            ),
            dbPoolMin: poolMin,
            dbPoolMax: poolMax,
            endpoints: endpoints,
            requestTimeout: try env.decimal("REQUEST_TIMEOUT", default: 10, in: 0.05...600),
            requestRetryAttempts: try env.integer("REQUEST_RETRY_ATTEMPTS", default: 3, in: 0...10),
            requestRetryBackoff: try env.decimal("REQUEST_RETRY_BACKOFF", default: 1.0, in: 0...60),
            circuitBreakerOpenSeconds: try env.decimal("CIRCUIT_BREAKER_OPEN_SECONDS", default: 60, in: 1...3600),
            corsOrigins: env.list("CORS_ORIGINS"),
            seedDefaultUsers: try env.boolean("SEED_DEFAULT_USERS", default: !isProduction),
            bcryptCost: try env.integer("BCRYPT_COST", default: 12, in: 4...31),
            logLevel: try env.logLevel("LOG_LEVEL", default: .info),
            campusTimeZone: try env.timeZone("CAMPUS_TIMEZONE", default: "UTC"),
            bookingOpen: open,
            bookingClose: close,
            bookingSlotMinutes: slot,
            loginRatePerMinute: try env.integer("LOGIN_RATE_PER_MINUTE", default: 60, in: 1...100_000),
            notificationRetentionDays: try env.integer("NOTIFICATION_RETENTION_DAYS", default: 180, in: 1...36500),
            slaCheckSeconds: try env.integer("SLA_CHECK_SECONDS", default: 60, in: 1...86400),
            reminderCheckSeconds: try env.integer("REMINDER_CHECK_SECONDS", default: 60, in: 1...3600),
            checkInMinutes: try env.integer("CHECK_IN_MINUTES", default: 15, in: 5...120),
            releaseCheckSeconds: try env.integer("RELEASE_CHECK_SECONDS", default: 30, in: 1...3600),
            approvalHours: try env.integer("APPROVAL_HOURS", default: 48, in: 1...720),
            slaWorkingHours: try slaWorkingHours(env),
            retakePolicy: try env.choice("GPA_RETAKE_POLICY", default: .replace),
            bindAddress: env.string("BIND_ADDRESS", default: isProduction ? "0.0.0.0" : "127.0.0.1"),
            publicDir: env.raw("PUBLIC_DIR"),
            connectionTimeouts: ConnectionTimeouts(
                headerSeconds: try env.integer("HEADER_TIMEOUT", default: 10, in: 1...300),
                idleSeconds: try env.integer("IDLE_TIMEOUT", default: 75, in: 1...3600)
            ),
            trustedProxies: try env.addressRanges("TRUSTED_PROXIES"),
            logFormat: try env.choice("LOG_FORMAT", default: .text),
            tracing: try tracing(env),
            smtp: try smtp(env, isProduction: isProduction),
            publicURL: try publicURL(env, gatewayPort: endpoints[.gateway]?.port ?? ServiceName.gateway.defaultPort)
        )
    }

    /// Around the clock (nil) unless `SLA_WORKING_HOURS` is set; `SLA_HOLIDAYS` are dates it skips.
    private static func slaWorkingHours(_ env: EnvironmentReader) throws -> WorkingHours? {
        var holidays: Set<CalendarDate> = []
        for text in env.list("SLA_HOLIDAYS") {
            guard let day = CalendarDate(text) else {
                throw SettingsError(variable: "SLA_HOLIDAYS", problem: "\"\(text)\" is not a date YYYY-MM-DD (give the holidays comma-separated)")
            }
            holidays.insert(day)
        }
        guard let text = env.raw("SLA_WORKING_HOURS") else {
            if !holidays.isEmpty {
                throw SettingsError(variable: "SLA_HOLIDAYS", problem: "holidays count only with SLA_WORKING_HOURS (around the clock, every day counts)")
            }
            return nil
        }
        guard let hours = WorkingHours(text, holidays: holidays) else {
            throw SettingsError(variable: "SLA_WORKING_HOURS", problem: "\"\(text)\" is not days and hours such as Mon-Fri 08:00-18:00")
        }
        return hours
    }

    /// Off unless `SMTP_HOST` is set. Credentials go together, and never in clear text to another machine.
    private static func smtp(_ env: EnvironmentReader, isProduction: Bool) throws -> SMTPSettings? {
        let security: SMTPSettings.Security = try env.choice("SMTP_TLS", default: .starttls)
        let username = env.raw("SMTP_USERNAME")
        let password = try env.secret("SMTP_PASSWORD")
        let caFile = env.raw("SMTP_TLS_CA_FILE")
        let fromGiven = env.raw("SMTP_FROM") != nil
        let fromText = env.string("SMTP_FROM", default: "Campus Services Hub <campus@localhost>")
        let port = try env.integer("SMTP_PORT", default: security.defaultPort, in: 1...65535)
        guard let host = env.raw("SMTP_HOST") else { return nil }
        if host.contains(":"), !(host.hasPrefix("[") && host.hasSuffix("]")), host.filter({ $0 == ":" }).count == 1 {
            throw SettingsError(variable: "SMTP_HOST", problem: "\"\(host)\" holds a port; give the host alone and the port in SMTP_PORT")
        }
        var credentials: SMTPSettings.Credentials?
        switch (username, password) {
        case (nil, nil): credentials = nil
        case (let username?, let password?): credentials = .init(username: username, password: password)
        case (nil, _):
            throw SettingsError(variable: "SMTP_USERNAME", problem: "is not set, but \(env.variableHolding("SMTP_PASSWORD")) is; set both or neither")
        case (_, nil): throw SettingsError(variable: "SMTP_PASSWORD", problem: "is not set (nor SMTP_PASSWORD_FILE), but SMTP_USERNAME is; set both or neither")
        }
        let loopback = ["localhost", "127.0.0.1", "::1", "[::1]"].contains(host.lowercased())
        if credentials != nil, security == .none, !loopback {
            throw SettingsError(
                variable: "SMTP_TLS", problem: "is none, which would send SMTP_PASSWORD in clear text to \(host); use starttls or tls")
        }
        if let caFile {
            guard security != .none else { throw SettingsError(variable: "SMTP_TLS_CA_FILE", problem: "is only used with SMTP_TLS=starttls or tls") }
            try env.requireReadable(caFile, variable: "SMTP_TLS_CA_FILE")
        }
        if isProduction, !fromGiven {
            throw SettingsError(
                variable: "SMTP_FROM", problem: "must be set in production when SMTP_HOST is, e.g. \"Campus Services Hub <campus@example.edu>\"")
        }
        // Every e-mail's links (the page, one-click unsubscribe) are built on it: localhost would reach no one.
        if isProduction, env.raw("PUBLIC_URL") == nil {
            throw SettingsError(
                variable: "PUBLIC_URL", problem: "must be set in production when SMTP_HOST is: the address people open, e.g. https://campus.example.edu")
        }
        guard let from = MailAddress(fromText) else {
            throw SettingsError(
                variable: "SMTP_FROM", problem: "\"\(fromText)\" is not an address such as campus@example.edu or \"Campus Services Hub <campus@example.edu>\"")
        }
        return SMTPSettings(host: host, port: port, security: security, caFile: caFile, credentials: credentials, from: from)
    }

    private static func publicURL(_ env: EnvironmentReader, gatewayPort: Int) throws -> String {
        let text = env.string("PUBLIC_URL", default: "http://localhost:\(gatewayPort)")
        guard let url = URL(string: text), ["http", "https"].contains(url.scheme?.lowercased() ?? ""), let host = url.host, !host.isEmpty,
            url.query == nil, url.fragment == nil
        else {
            throw SettingsError(variable: "PUBLIC_URL", problem: "\"\(text)\" is not an http:// or https:// address such as https://campus.example.edu")
        }
        return text.hasSuffix("/") ? String(text.dropLast()) : text
    }

    /// OpenTelemetry's own variables: `OTEL_EXPORTER_OTLP_TRACES_ENDPOINT` is the traces URL as it
    /// is; `OTEL_EXPORTER_OTLP_ENDPOINT` is the collector's base URL, to which `/v1/traces` is added.
    private static func tracing(_ env: EnvironmentReader) throws -> TracingSettings? {
        let disabled = try env.boolean("OTEL_SDK_DISABLED", default: false)
        let serviceName = env.raw("OTEL_SERVICE_NAME")
        for variable in ["OTEL_EXPORTER_OTLP_PROTOCOL", "OTEL_EXPORTER_OTLP_TRACES_PROTOCOL"] {
            if let given = env.raw(variable), !["http/protobuf", "http/json"].contains(given.lowercased()) {
                throw SettingsError(
                    variable: variable, problem: "\"\(given)\" is not supported: this build sends OTLP over HTTP (http/protobuf or http/json, port 4318)")
            }
        }
        let endpoints = [
            ("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", env.raw("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT")),
            ("OTEL_EXPORTER_OTLP_ENDPOINT", env.raw("OTEL_EXPORTER_OTLP_ENDPOINT").map { $0.hasSuffix("/") ? $0 + "v1/traces" : $0 + "/v1/traces" }),
        ]
        guard !disabled, let (variable, endpoint) = endpoints.first(where: { $0.1 != nil }).map({ ($0.0, $0.1!) }) else { return nil }
        guard let url = URL(string: endpoint), ["http", "https"].contains(url.scheme?.lowercased() ?? ""), let host = url.host, !host.isEmpty else {
            throw SettingsError(
                variable: variable, problem: "\"\(env.raw(variable) ?? "")\" is not an http:// or https:// URL such as http://otel-collector:4318")
        }
        return TracingSettings(
            tracesEndpoint: endpoint, serviceName: serviceName,
            environment: env.values.filter { $0.key.hasPrefix("OTEL_") && !$0.value.trimmingCharacters(in: .whitespaces).isEmpty })
    }

    private static func databaseTLS(_ env: EnvironmentReader) throws -> DatabaseTLS {
        enum Mode: String {
            case disable, require
            case verifyFull = "verify-full"
        }
        let mode: Mode = try env.choice("DB_TLS", default: .disable)
        let caFile = env.raw("DB_TLS_CA_FILE")
        if let caFile {
            guard mode == .verifyFull else {
                throw SettingsError(variable: "DB_TLS_CA_FILE", problem: "is only used with DB_TLS=verify-full (DB_TLS is \(mode.rawValue))")
            }
            try env.requireReadable(caFile, variable: "DB_TLS_CA_FILE")
        }
        switch mode {
        case .disable: return .disable
        case .require: return .require
        case .verifyFull: return .verifyFull(caFile: caFile)
        }
    }

    /// Production demands a real secret. Development without one uses a random secret kept in
    /// `DATA_DIR/.jwt-secret`, so services started as separate processes still trust each other.
    private static func jwtSecret(_ env: EnvironmentReader, isProduction: Bool, dataDir: String) throws -> String {
        let given = try env.secret("JWT_SECRET_KEY") ?? ""
        if given.isEmpty, !env.signsTokens { return "" }
        if given.isEmpty {
            if isProduction {
                throw SettingsError(variable: "JWT_SECRET_KEY", problem: "must be set in production (APP_ENV=production), or JWT_SECRET_KEY_FILE")
            }
            return env.inspecting ? "" : developmentSecret(dataDir: dataDir)
        }
        if isProduction && knownDefaultSecrets.contains(given.lowercased()) {
            throw SettingsError(variable: env.variableHolding("JWT_SECRET_KEY"), problem: "is a published default; production needs a secret of its own")
        }
        guard given.utf8.count >= 32 else {
            throw SettingsError(
                variable: env.variableHolding("JWT_SECRET_KEY"), problem: "must be at least 32 characters for HS256 (got \(given.utf8.count))")
        }
        return given
    }

    private static func developmentSecret(dataDir: String) -> String {
        let path = URL(fileURLWithPath: dataDir).appendingPathComponent(".jwt-secret").path
        if let stored = readSecret(path) { return stored }
        var generator = SystemRandomNumberGenerator()
        let secret = (0..<48).map { _ in String(format: "%02x", UInt8.random(in: 0...255, using: &generator)) }.joined()
        try? FileManager.default.createDirectory(atPath: dataDir, withIntermediateDirectories: true)
        // Written whole to a private temporary file, then linked into place: link() fails if the file
        // exists, so of processes starting together exactly one secret wins and all of them read it.
        let temporary = path + ".\(ProcessInfo.processInfo.processIdentifier).\(UInt32.random(in: 0...UInt32.max))"
        if FileManager.default.createFile(atPath: temporary, contents: Data(secret.utf8), attributes: [.posixPermissions: 0o600]) {
            _ = link(temporary, path)
            unlink(temporary)
        }
        return readSecret(path) ?? secret
    }

    private static func readSecret(_ path: String) -> String? {
        guard let stored = try? String(contentsOfFile: path, encoding: .utf8) else { return nil }
        let secret = stored.trimmingCharacters(in: .whitespacesAndNewlines)
        return secret.utf8.count >= 32 ? secret : nil
    }
}

/// Typed reads of string variables; every failure names the variable. Records every name it is
/// asked for, so `Settings.variableNames` is the list the code really reads (deploy files are checked against it).
final class EnvironmentReader {
    let values: [String: String]
    /// Where each of `values` came from (the environment or the `.env` file); absent: not given.
    let origins: [String: SettingReading.Source]
    private(set) var consulted: [String] = []
    /// Secrets read, and the file each was read from when it came through `NAME_FILE`.
    private var secrets: [String: String?] = [:]
    /// Set by `Settings.sources`: read without side effects (no development secret file).
    var inspecting = false
    /// False for commands that sign no tokens: no JWT secret is required or created.
    var signsTokens = true

    init(values: [String: String], origins: [String: SettingReading.Source] = [:]) {
        self.values = values
        self.origins = origins
    }

    /// A secret setting: from `NAME`, or (the Docker and Kubernetes secrets convention) from the
    /// file `NAME_FILE` names, surrounding whitespace removed. Both set, or a file that cannot be
    /// read or is empty, stops start-up.
    func secret(_ name: String) throws -> String? {
        let fileVariable = name + "_FILE"
        let direct = raw(name)
        let path = raw(fileVariable)
        if direct != nil, path != nil {
            throw SettingsError(variable: fileVariable, problem: "\(name) is set too; set one of \(name) and \(fileVariable)")
        }
        guard let path else {
            secrets[name] = .some(nil)
            return direct
        }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw SettingsError(variable: fileVariable, problem: "cannot read the file \(path)")
        }
        let value = String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        guard !value.isEmpty else { throw SettingsError(variable: fileVariable, problem: "the file \(path) is empty") }
        secrets[name] = .some(path)
        return value
    }

    /// The variable an operator set for secret `name`: `NAME_FILE` when it came from a file.
    func variableHolding(_ name: String) -> String {
        if case .some(.some) = secrets[name] { return name + "_FILE" }
        return name
    }

    /// Where `name`'s value came from, with the value itself unless it is a secret.
    func reading(of name: String) -> SettingReading {
        if let file = secrets[name] {
            if let file { return SettingReading(variable: name, source: .file(file), value: nil, isSecret: true) }
            return SettingReading(variable: name, source: raw(name) == nil ? .defaultValue : origins[name] ?? .environment, value: nil, isSecret: true)
        }
        guard let value = raw(name) else { return SettingReading(variable: name, source: .defaultValue, value: defaults[name], isSecret: false) }
        return SettingReading(variable: name, source: origins[name] ?? .environment, value: value, isSecret: false)
    }

    /// A file a setting names (a CA bundle) must be readable now, not at the first connection.
    func requireReadable(_ path: String, variable: String) throws {
        guard FileManager.default.isReadableFile(atPath: path) else {
            throw SettingsError(variable: variable, problem: "cannot read the file \(path)")
        }
    }

    func addressRanges(_ name: String) throws -> [AddressRange] {
        try list(name).map { entry in
            guard let range = AddressRange(entry) else {
                throw SettingsError(variable: name, problem: "\"\(entry)\" is not an IP address or a CIDR range such as 10.0.0.0/8")
            }
            return range
        }
    }

    func raw(_ name: String) -> String? {
        if !consulted.contains(name) { consulted.append(name) }
        guard let value = values[name]?.trimmingCharacters(in: .whitespaces), !value.isEmpty else { return nil }
        return value
    }

    /// The default of each setting read with one, as text (for `campus config`).
    private(set) var defaults: [String: String] = [:]

    func string(_ name: String, default fallback: String) -> String {
        defaults[name] = fallback
        return raw(name) ?? fallback
    }

    func list(_ name: String) -> [String] {
        (raw(name) ?? "").split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    }

    func integer(_ name: String, default fallback: Int, in range: ClosedRange<Int>) throws -> Int {
        defaults[name] = String(fallback)
        guard let text = raw(name) else { return fallback }
        guard let value = Int(text) else { throw SettingsError(variable: name, problem: "\"\(text)\" is not a whole number") }
        guard range.contains(value) else {
            throw SettingsError(variable: name, problem: "\(value) is outside \(range.lowerBound)...\(range.upperBound)")
        }
        return value
    }

    func decimal(_ name: String, default fallback: Double, in range: ClosedRange<Double>) throws -> Double {
        defaults[name] = String(fallback)
        guard let text = raw(name) else { return fallback }
        guard let value = Double(text), value.isFinite else { throw SettingsError(variable: name, problem: "\"\(text)\" is not a number") }
        guard range.contains(value) else {
            throw SettingsError(variable: name, problem: "\(value) is outside \(range.lowerBound)...\(range.upperBound)")
        }
        return value
    }

    func boolean(_ name: String, default fallback: Bool) throws -> Bool {
        defaults[name] = String(fallback)
        guard let text = raw(name)?.lowercased() else { return fallback }
        switch text {
        case "1", "true", "yes", "on": return true
        case "0", "false", "no", "off": return false
        default: throw SettingsError(variable: name, problem: "\"\(text)\" is not true or false")
        }
    }

    func choice<Value: RawRepresentable>(_ name: String, default fallback: Value) throws -> Value where Value.RawValue == String {
        try choice(name, default: fallback, allowed: nil)
    }

    /// A choice among all the cases of `Value`; a refusal names them.
    func choice<Value: RawRepresentable & CaseIterable>(_ name: String, default fallback: Value) throws -> Value where Value.RawValue == String {
        try choice(name, default: fallback, allowed: Value.allCases.map(\.rawValue))
    }

    private func choice<Value: RawRepresentable>(_ name: String, default fallback: Value, allowed: [String]?) throws -> Value
    where Value.RawValue == String {
        defaults[name] = fallback.rawValue
        guard let text = raw(name)?.lowercased() else { return fallback }
        let aliases = ["postgres": "postgresql", "dev": "development", "prod": "production"]
        guard let value = Value(rawValue: aliases[text] ?? text) else {
            throw SettingsError(variable: name, problem: "\"\(text)\" is not one of " + (allowed?.joined(separator: ", ") ?? "the allowed values"))
        }
        return value
    }

    func wallClock(_ name: String, default fallback: String) throws -> WallClockTime {
        defaults[name] = fallback
        let text = raw(name) ?? fallback
        guard let time = WallClockTime(text) else { throw SettingsError(variable: name, problem: "\"\(text)\" is not a time HH:MM") }
        return time
    }

    func timeZone(_ name: String, default fallback: String) throws -> TimeZone {
        defaults[name] = fallback
        let text = raw(name) ?? fallback
        guard let zone = TimeZone(identifier: text) else {
            throw SettingsError(variable: name, problem: "\"\(text)\" is not a time zone identifier such as Europe/London")
        }
        return zone
    }

    func logLevel(_ name: String, default fallback: Logger.Level) throws -> Logger.Level {
        defaults[name] = fallback.rawValue
        guard let text = raw(name)?.lowercased() else { return fallback }
        let aliases = ["warn": "warning", "fatal": "critical", "err": "error"]
        guard let level = Logger.Level(rawValue: aliases[text] ?? text) else {
            throw SettingsError(variable: name, problem: "\"\(text)\" is not one of trace, debug, info, notice, warning, error, critical")
        }
        return level
    }
}
