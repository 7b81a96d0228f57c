import CampusKit
import Foundation

/// Real databases for tests: a fresh SQLite file, or a fresh schema on the PostgreSQL server
/// named by `CAMPUS_TEST_POSTGRES_URL` (which `scripts/test` provisions).
public enum TestDatabase {
    public enum Backend: String, Sendable, CustomStringConvertible {
        case sqlite, postgresql
        public var description: String { rawValue }
    }

    public static var postgresURL: String? {
        ProcessInfo.processInfo.environment["CAMPUS_TEST_POSTGRES_URL"].flatMap { $0.isEmpty ? nil : $0 }
    }

    /// True when PostgreSQL-backed tests can run.
    public static var postgresAvailable: Bool { postgresURL != nil }

    /// `CAMPUS_TEST_REQUIRE_POSTGRES=1`: this run must include the PostgreSQL cases.
    public static var postgresRequired: Bool { ProcessInfo.processInfo.environment["CAMPUS_TEST_REQUIRE_POSTGRES"] == "1" }

    /// The arguments of a test over both databases, `@Test(arguments: TestDatabase.backends)`:
    /// SQLite always, PostgreSQL when `CAMPUS_TEST_POSTGRES_URL` is set. `scripts/test` sets it
    /// and `CAMPUS_TEST_REQUIRE_POSTGRES=1`, so a PostgreSQL case can never silently go missing there.
    public static var backends: [Backend] { postgresAvailable ? [.sqlite, .postgresql] : [.sqlite] }

    /// A fresh database; on PostgreSQL, `schema` lets two providers share one (two instances of a service).
    public static func make(_ backend: Backend, schema: String? = nil) throws -> DatabaseProvider {
        switch backend {
        case .sqlite:
            return try DatabaseProvider(backend: .sqlite(path: temporaryDirectory().appendingPathComponent("test.db").path))
        case .postgresql:
            guard let url = postgresURL, let server = parse(url) else {
                throw TestSetupError("CAMPUS_TEST_POSTGRES_URL is not set to postgres://user[:password]@host:port/database")
            }
            let schema = schema ?? newSchemaName()
            return try DatabaseProvider(backend: .postgresql(server, schema: schema, poolMin: 1, poolMax: 4))
        }
    }

    public static func newSchemaName() -> String {
        "test_" + String(UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "").prefix(16))
    }

    /// A new empty folder under the system's temporary directory.
    public static func temporaryDirectory() -> URL {
        let url = URL(fileURLWithPath: NSTemporaryDirectory()).appendingPathComponent("campus-tests-\(UUID().uuidString)")
        try? FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    static func parse(_ text: String) -> Settings.PostgreSQL? {
        guard let components = URLComponents(string: text), let host = components.host else { return nil }
        let database = components.path.hasPrefix("/") ? String(components.path.dropFirst()) : components.path
        return Settings.PostgreSQL(
            host: host, port: components.port ?? 5432, database: database.isEmpty ? "postgres" : database,
            user: components.user ?? "postgres", password: components.password ?? ""
        )
    }
}

public struct TestSetupError: Error, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}
