import AsyncHTTPClient
import CampusKit
import Foundation

/// Runtimes for tests: test settings, one process-wide HTTP client configured like production's.
public enum TestRuntime {
    /// Lives for the whole test process (a client must be shut down before it is released). Its
    /// read timeout caps any call's (``make(_:)``'s `requestTimeout`), so it is as long: at 5 s a
    /// wrong-password login answered 503 instead of 401 with the whole suite in parallel on two
    /// cores and a build beside it (a debug build's bcrypt checks at cost 12 queue behind each
    /// other), though the request timeout was already 30 s. A test of a timeout sets its own, shorter.
    public static let http = ServiceClient.makeHTTPClient(timeout: 30)

    public static func make(
        _ configure: (inout Settings) -> Void = { _ in }
    ) async -> ServiceRuntime {
        var settings = Settings.testing(dataDir: TestDatabase.temporaryDirectory().path)
        for service in ServiceName.allCases { settings.endpoints[service]?.port = 0 }
        // Well above what any call needs on an idle machine (see `http`). No test here waits for it.
        settings.requestTimeout = 30
        settings.requestRetryAttempts = 0
        settings.requestRetryBackoff = 0.01
        configure(&settings)
        return ServiceRuntime(
            settings: settings,
            tokens: await TokenService(secret: settings.jwtSecret, lifetime: TimeInterval(settings.jwtExpiresIn)),
            http: http
        )
    }

    /// A bearer token for a person with `role`.
    public static func token(_ runtime: ServiceRuntime, userID: String = "1", role: Role, email: String? = nil) async throws -> String {
        try await runtime.tokens.issue(userID: userID, email: email ?? "\(role.rawValue)@example.com", name: "Test \(role.rawValue)", role: role).token
    }

    /// A port where connections are refused for as long as the tests run: a socket is bound to it
    /// and kept, never listening, so no other test's server can take the port (as it can one that
    /// ``unusedPort()`` found free a moment ago) and every connection attempt is answered by a reset.
    public static func refusingPort() throws -> Int {
        // Deliberately never closed: the port stays taken, and refusing, until the test process ends.
        try boundLoopbackSocket().port
    }

    /// A port nothing listens on (bound, then released): free now, not necessarily a moment later.
    public static func unusedPort() throws -> Int {
        let (socket, port) = try boundLoopbackSocket()
        close(socket)
        return port
    }

    /// A TCP socket bound to 127.0.0.1 on a port the system chose, and that port.
    private static func boundLoopbackSocket() throws -> (socket: Int32, port: Int) {
        let socket = Foundation.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(socket, $0, length) == 0 && getsockname(socket, $0, &length) == 0 }
        }
        guard bound else {
            close(socket)
            throw TestSetupError("could not bind a loopback port")
        }
        return (socket, Int(UInt16(bigEndian: address.sin_port)))
    }
}
