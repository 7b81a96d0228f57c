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

    @Test func theCampusZoneIsNamedAsConfigured() throws {
        #expect(try load(["CAMPUS_TIMEZONE": "Europe/London"]).campusTimeZone.campusName == "Europe/London")
        #expect(try load(["CAMPUS_TIMEZONE": "UTC"]).campusTimeZone.campusName == "UTC")
    }

    @Test(arguments: [
        ("GATEWAY_PORT", "abc"), ("USER_MGMT_PORT", "70000"), ("REQUEST_TIMEOUT", "soon"), ("BCRYPT_COST", "2"),
        ("DATABASE_TYPE", "mysql"), ("APP_ENV", "staging"), ("SEED_DEFAULT_USERS", "maybe"), ("LOG_LEVEL", "loud"),
        ("CAMPUS_TIMEZONE", "Mars/Olympus"), ("BOOKING_OPEN", "8am"), ("BOOKING_SLOT_MINUTES", "7"), ("DB_POOL_MIN", "50"),
        ("LOGIN_RATE_PER_MINUTE", "0"), ("JWT_SECRET_KEY", "short"), ("BOOKING_CLOSE", "07:00"),
    ])
    func invalidValueStopsStartUpNamingTheVariable(variable: String, value: String) throws {
        let error = try #require(throws: SettingsError.self) { try load([variable: value]) }
        #expect(error.variable == variable)
        #expect(error.description.contains(variable))
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
}
