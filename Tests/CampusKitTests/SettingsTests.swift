import Foundation
import Testing

@testable import CampusKit

@Suite struct SettingsTests {
    let secret = ["JWT_SECRET_KEY": "a-secret-that-is-long-enough-for-hs256-signing"]
    let tmp = NSTemporaryDirectory() + "campus-settings-\(UUID().uuidString)"

    func load(_ values: [String: String], dotEnv: String? = nil) throws -> Settings {
        var path: String?
        if let dotEnv {
            path = tmp + ".env"
            try dotEnv.write(toFile: path!, atomically: true, encoding: .utf8)
        }
        return try Settings.load(environment: secret.merging(["DATA_DIR": tmp]) { a, _ in a }.merging(values) { _, b in b }, dotEnvPath: path)
    }

    @Test func defaultsFollowTheContract() throws {
        let settings = try load([:])
        #expect(settings.appEnv == .development)
        #expect(settings.jwtExpiresIn == 86400)
        #expect(settings.databaseType == .sqlite)
        #expect(settings.endpoint(.gateway).port == 5001)
        #expect(settings.endpoint(.booking).port == 8001)
        #expect(settings.endpoint(.users).port == 8002)
        #expect(settings.endpoint(.gpa).port == 8003)
        #expect(settings.endpoint(.notification).port == 8004)
        #expect(settings.endpoint(.maintenance).port == 8080)
        #expect(settings.requestTimeout == 10)
        #expect(settings.requestRetryAttempts == 3)
        #expect(settings.requestRetryBackoff == 1.0)
        #expect(settings.circuitBreakerOpenSeconds == 60)
        #expect(ServiceClient.Policy(settings: settings).breakerOpenSeconds == 60)
        #expect(ServiceClient.Policy(settings: try load(["CIRCUIT_BREAKER_OPEN_SECONDS": "2.5"])).breakerOpenSeconds == 2.5)
        #expect(settings.dbPoolMin == 2 && settings.dbPoolMax == 20)
        #expect(settings.bcryptCost == 12)
        #expect(settings.loginRatePerMinute == 60)
        #expect(settings.notificationRetentionDays == 180)
        #expect(settings.slaCheckSeconds == 60)
        #expect(settings.seedDefaultUsers)
        #expect(settings.bindAddress == "127.0.0.1")
        #expect(settings.bookingOpen.description == "08:00" && settings.bookingClose.description == "18:00")
        #expect(settings.bookingSlotMinutes == 60)
        #expect(settings.campusTimeZone.campusName == "UTC")
    }

    @Test func tracingIsOffUnlessAnOTLPEndpointIsGiven() throws {
        #expect(try load([:]).tracing == nil)
        #expect(try load(["OTEL_EXPORTER_OTLP_ENDPOINT": ""]).tracing == nil)
        #expect(try load(["OTEL_EXPORTER_OTLP_ENDPOINT": "http://collector:4318", "OTEL_SDK_DISABLED": "true"]).tracing == nil)
    }

    @Test func theTracesURLFollowsTheOpenTelemetryRules() throws {
        // The shared endpoint is a base URL: the signal's path is added, with or without a slash.
        #expect(try load(["OTEL_EXPORTER_OTLP_ENDPOINT": "http://collector:4318"]).tracing?.tracesEndpoint == "http://collector:4318/v1/traces")
        #expect(try load(["OTEL_EXPORTER_OTLP_ENDPOINT": "https://otel.example.edu/"]).tracing?.tracesEndpoint == "https://otel.example.edu/v1/traces")
        // The traces endpoint is used as it is, and wins.
        let both = try load([
            "OTEL_EXPORTER_OTLP_ENDPOINT": "http://collector:4318", "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT": "http://traces:9999/in",
            "OTEL_SERVICE_NAME": "campus-eu", "OTEL_BSP_SCHEDULE_DELAY": "200", "OTEL_TRACES_SAMPLER": "",
        ])
        #expect(both.tracing?.tracesEndpoint == "http://traces:9999/in")
        #expect(both.tracing?.serviceName == "campus-eu")
        // Other OTEL_* variables reach swift-otel; empty ones (a copied .env.example) do not.
        #expect(both.tracing?.environment["OTEL_BSP_SCHEDULE_DELAY"] == "200")
        #expect(both.tracing?.environment["OTEL_TRACES_SAMPLER"] == nil)
    }

    @Test(arguments: [
        ("OTEL_EXPORTER_OTLP_ENDPOINT", "collector:4318", "OTEL_EXPORTER_OTLP_ENDPOINT"),
        ("OTEL_EXPORTER_OTLP_ENDPOINT", "ftp://collector", "OTEL_EXPORTER_OTLP_ENDPOINT"),
        ("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", "http://", "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT"),
        ("OTEL_EXPORTER_OTLP_PROTOCOL", "grpc", "OTEL_EXPORTER_OTLP_PROTOCOL"),
        ("OTEL_EXPORTER_OTLP_TRACES_PROTOCOL", "thrift", "OTEL_EXPORTER_OTLP_TRACES_PROTOCOL"),
        ("OTEL_SDK_DISABLED", "maybe", "OTEL_SDK_DISABLED"),
    ])
    func aTracingSettingThatCannotWorkStopsStartUpNamingIt(variable: String, value: String, named: String) throws {
        var values = ["OTEL_EXPORTER_OTLP_ENDPOINT": "http://collector:4318"]
        values[variable] = value
        let error = try #require(throws: SettingsError.self) { try load(values) }
        #expect(error.variable == named)
    }

    @Test func theCampusZoneIsNamedAsConfigured() throws {
        #expect(try load(["CAMPUS_TIMEZONE": "Europe/London"]).campusTimeZone.campusName == "Europe/London")
        #expect(try load(["CAMPUS_TIMEZONE": "UTC"]).campusTimeZone.campusName == "UTC")
    }

    @Test(arguments: [
        ("GATEWAY_PORT", "abc"), ("USER_MGMT_PORT", "70000"), ("REQUEST_TIMEOUT", "soon"), ("BCRYPT_COST", "2"),
        ("DATABASE_TYPE", "mysql"), ("APP_ENV", "staging"), ("SEED_DEFAULT_USERS", "maybe"), ("LOG_LEVEL", "loud"),
        ("CAMPUS_TIMEZONE", "Mars/Olympus"), ("BOOKING_OPEN", "8am"), ("BOOKING_SLOT_MINUTES", "7"), ("DB_POOL_MIN", "50"),
        ("LOGIN_RATE_PER_MINUTE", "0"), ("JWT_SECRET_KEY", "short"), ("BOOKING_CLOSE", "07:00"),
        ("HEADER_TIMEOUT", "0"), ("IDLE_TIMEOUT", "3601"), ("TRUSTED_PROXIES", "10.0.0.0/99"), ("TRUSTED_PROXIES", "10.0.0.1, nginx"),
        ("GPA_RETAKE_POLICY", "best"), ("SLA_WORKING_HOURS", "weekdays 9-5"), ("SLA_WORKING_HOURS", "Mon-Fri 18:00-08:00"),
        ("SLA_HOLIDAYS", "2026-12-25"), ("CIRCUIT_BREAKER_OPEN_SECONDS", "0"), ("CIRCUIT_BREAKER_OPEN_SECONDS", "a minute"),
    ])
    func invalidValueStopsStartUpNamingTheVariable(variable: String, value: String) throws {
        let error = try #require(throws: SettingsError.self) { try load([variable: value]) }
        #expect(error.variable == variable)
        #expect(error.description.contains(variable))
    }

    @Test func slaWorkingHoursAndHolidaysAreReadTogether() throws {
        #expect(try load([:]).slaWorkingHours == nil)
        let settings = try load(["SLA_WORKING_HOURS": "Mon-Fri 08:00-18:00", "SLA_HOLIDAYS": "2026-12-25, 2027-01-01"])
        #expect(settings.slaWorkingHours?.weekdays == [1, 2, 3, 4, 5])
        #expect(settings.slaWorkingHours?.holidays == [CalendarDate("2026-12-25")!, CalendarDate("2027-01-01")!])
        let error = try #require(throws: SettingsError.self) { try load(["SLA_WORKING_HOURS": "Mon-Fri 08:00-18:00", "SLA_HOLIDAYS": "Christmas"]) }
        #expect(error.variable == "SLA_HOLIDAYS")
        #expect(try load(["GPA_RETAKE_POLICY": "replace_df"]).retakePolicy == .replaceDF)
    }

    @Test func productionRefusesAMissingOrDefaultSecret() throws {
        let missing = try #require(throws: SettingsError.self) {
            try Settings.load(environment: ["APP_ENV": "production", "DATA_DIR": tmp], dotEnvPath: nil)
        }
        #expect(missing.variable == "JWT_SECRET_KEY")
        let published = try #require(throws: SettingsError.self) {
            try Settings.load(environment: ["APP_ENV": "production", "JWT_SECRET_KEY": "your-secret-key-change-in-production"], dotEnvPath: nil)
        }
        #expect(published.variable == "JWT_SECRET_KEY")
        let good = try load(["APP_ENV": "production"])
        #expect(good.isProduction && !good.seedDefaultUsers && good.bindAddress == "0.0.0.0")
    }

    @Test func developmentWithoutSecretSharesOneGeneratedSecretPerDataDirectory() throws {
        let first = try Settings.load(environment: ["DATA_DIR": tmp], dotEnvPath: nil)
        let second = try Settings.load(environment: ["DATA_DIR": tmp], dotEnvPath: nil)
        #expect(first.jwtSecret.utf8.count >= 32)
        #expect(first.jwtSecret == second.jwtSecret)
    }

    @Test func dotEnvIsReadAndTheEnvironmentWins() throws {
        let settings = try load(
            ["GATEWAY_PORT": "6001"],
            dotEnv: """
                # comment
                export GATEWAY_PORT=7001
                USER_MGMT_PORT="7002"
                CORS_ORIGINS=http://a.example, http://b.example  # two
                """)
        #expect(settings.endpoint(.gateway).port == 6001)
        #expect(settings.endpoint(.users).port == 7002)
        #expect(settings.corsOrigins == ["http://a.example", "http://b.example"])
    }

    @Test func connectionTimeoutsAndTrustedProxiesAreRead() throws {
        let defaults = try load([:])
        #expect(defaults.connectionTimeouts == ConnectionTimeouts(headerSeconds: 10, idleSeconds: 75))
        #expect(defaults.trustedProxies.isEmpty)
        let set = try load(["HEADER_TIMEOUT": "3", "IDLE_TIMEOUT": "30", "TRUSTED_PROXIES": "10.0.0.0/8, 127.0.0.1 ,fd00::/8"])
        #expect(set.connectionTimeouts == ConnectionTimeouts(headerSeconds: 3, idleSeconds: 30))
        #expect(set.trustedProxies.map(\.description) == ["10.0.0.0/8", "127.0.0.1/32", "fd00::/8"])
    }

    @Test func secretsComeFromFilesNamedByTheirFileVariable() throws {
        try FileManager.default.createDirectory(atPath: tmp, withIntermediateDirectories: true)
        let jwtFile = tmp + "/jwt"
        let passwordFile = tmp + "/db"
        try "a-file-secret-that-is-long-enough-for-hs256\n".write(toFile: jwtFile, atomically: true, encoding: .utf8)
        try "  pg pass word \n".write(toFile: passwordFile, atomically: true, encoding: .utf8)
        let settings = try Settings.load(
            environment: ["DATA_DIR": tmp, "JWT_SECRET_KEY_FILE": jwtFile, "DB_PASSWORD_FILE": passwordFile], dotEnvPath: nil)
        #expect(settings.jwtSecret == "a-file-secret-that-is-long-enough-for-hs256")
        #expect(settings.postgres.password == "pg pass word")

        let both = try #require(throws: SettingsError.self) {
            try Settings.load(
                environment: ["DATA_DIR": tmp, "JWT_SECRET_KEY_FILE": jwtFile, "JWT_SECRET_KEY": String(repeating: "k", count: 40)], dotEnvPath: nil)
        }
        #expect(both.variable == "JWT_SECRET_KEY_FILE" && both.problem.contains("JWT_SECRET_KEY"))
        let missing = try #require(throws: SettingsError.self) {
            try load(["DB_PASSWORD_FILE": tmp + "/nothing-here"])
        }
        #expect(missing.variable == "DB_PASSWORD_FILE" && missing.problem.contains("nothing-here"))
        // A file secret is checked like any other: too short for HS256 is refused, naming the variable that was set.
        try "short\n".write(toFile: jwtFile, atomically: true, encoding: .utf8)
        let short = try #require(throws: SettingsError.self) {
            try Settings.load(environment: ["DATA_DIR": tmp, "JWT_SECRET_KEY_FILE": jwtFile], dotEnvPath: nil)
        }
        #expect(short.variable == "JWT_SECRET_KEY_FILE")
    }

    @Test func sourcesSayWhereEachValueCameFromAndHideSecrets() throws {
        try FileManager.default.createDirectory(atPath: tmp, withIntermediateDirectories: true)
        let jwtFile = tmp + "/jwt"
        try "a-file-secret-that-is-long-enough-for-hs256\n".write(toFile: jwtFile, atomically: true, encoding: .utf8)
        let dotEnv = tmp + ".env"
        try "GATEWAY_PORT=7001\n".write(toFile: dotEnv, atomically: true, encoding: .utf8)
        let readings = try Settings.sources(
            environment: ["DATA_DIR": tmp, "JWT_SECRET_KEY_FILE": jwtFile, "DB_PASSWORD": "s3cretvalue"], dotEnvPath: dotEnv)
        let byName = Dictionary(uniqueKeysWithValues: readings.map { ($0.variable, $0) })
        #expect(byName["JWT_SECRET_KEY"]?.source == .file(jwtFile))
        #expect(byName["JWT_SECRET_KEY"]?.value == nil)
        #expect(byName["DB_PASSWORD"]?.source == .environment)
        #expect(byName["DB_PASSWORD"]?.value == nil && byName["DB_PASSWORD"]?.isSecret == true)
        #expect(byName["GATEWAY_PORT"]?.source == .dotEnv(dotEnv) && byName["GATEWAY_PORT"]?.value == "7001")
        #expect(byName["LOG_LEVEL"]?.source == .defaultValue && byName["LOG_LEVEL"]?.value == "info")
        #expect(byName["IDLE_TIMEOUT"]?.value == "75")
        #expect(!readings.contains { ($0.value ?? "").contains("s3cretvalue") || ($0.value ?? "").contains("a-file-secret") })
        #expect(Set(readings.map(\.variable)) == Set(Settings.variableNames))
        // Inspecting writes no development secret.
        #expect(!FileManager.default.fileExists(atPath: tmp + "/.jwt-secret"))
    }
}
