import CampusKit
import Foundation

extension Settings {
    /// Settings for tests: development defaults, a fixed strong secret, cheap bcrypt.
    public static func testing(dataDir: String = NSTemporaryDirectory()) -> Settings {
        var environment = ["JWT_SECRET_KEY": "test-secret-key-that-is-long-enough-for-hs256", "BCRYPT_COST": "4", "DATA_DIR": dataDir]
        environment["LOG_LEVEL"] = ProcessInfo.processInfo.environment["LOG_LEVEL"] ?? "error"
        // Settings built from a fixed dictionary cannot fail; a failure here is a bug in this function.
        guard let settings = try? Settings.load(environment: environment, dotEnvPath: nil) else {
            preconditionFailure("test settings are invalid")
        }
        return settings
    }
}
