import ArgumentParser
import CampusKit
import Foundation
import Hummingbird
import Logging
import NIOCore
import NIOPosix
import ServiceLifecycle

struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run services: all of them in one process, or the ones named.",
        discussion: """
            Each service is its own HTTP server on its own port; they talk to each other over HTTP \
            even in one process. Stop with Ctrl-C (SIGINT) or SIGTERM: requests in flight finish, \
            then databases close.

            Examples:
              campus serve                  every service
              campus serve gateway users    the gateway and user management only
              GATEWAY_PORT=6001 campus serve gateway
            """
    )

    @OptionGroup var selection: ServiceSelection

    func run() async throws {
        let names = try selection.resolve()
        let settings = try loadSettings()
        CampusLogging.bootstrap(level: settings.logLevel, format: settings.logFormat, tracing: settings.tracing != nil)
        var logger = Logger(label: "campus")
        logger.logLevel = settings.logLevel

        try await checkPortsAreFree(names, settings: settings)
        Self.raiseOpenFileLimit(logger: logger)

        // First in the group, so it stops last and sends the other services' final spans.
        var services: [any Service] = []
        if let tracing = settings.tracing {
            do {
                services.append(
                    try CampusTracing.bootstrap(tracing, serviceName: names.count == 1 ? "campus-\(names[0].rawValue)" : "campus", logger: logger))
            } catch {
                FileHandle.standardError.write(Data("campus: OpenTelemetry tracing cannot start: \(error)\n".utf8))
                throw ExitCode(78)
            }
            logger.info("Sending traces to \(tracing.tracesEndpoint)")
        }
        // After the tracer: the HTTP client takes the tracer when it is made.
        let runtime = await ServiceRuntime.make(settings: settings)
        do {
            for name in names {
                guard let module = ServiceCatalog.module(name) else { continue }
                services.append(try await module.makeApplication(runtime: runtime))
                logger.info("Starting \(name.displayName) on http://\(settings.bindAddress):\(settings.endpoint(name).port)")
            }
        } catch {
            // A setting only a service checks (PUBLIC_DIR, DB_TLS_CA_FILE's content) stops start-up
            // as the others do: one line naming it, exit 78, the shared client closed first.
            try? await runtime.http.shutdown()
            FileHandle.standardError.write(Data("campus: \(error)\n".utf8))
            throw ExitCode(error is SettingsError ? 78 : 1)
        }
        let group = ServiceGroup(configuration: .init(services: services, gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
        do {
            try await group.run()
        } catch {
            logger.error("Stopped with an error: \(error)")
            try? await runtime.http.shutdown()
            throw ExitCode.failure
        }
        try await runtime.http.shutdown()
        logger.info("Stopped")
    }

    /// A port in use stops start-up with a message naming the service, the port and its variable.
    private func checkPortsAreFree(_ names: [ServiceName], settings: Settings) async throws {
        var seen: [Int: ServiceName] = [:]
        for name in names {
            let port = settings.endpoint(name).port
            if let other = seen[port], port != 0 {
                fail("\(name.displayName) and \(other.displayName) are both set to port \(port). Set \(name.portVariable) to another port.")
            }
            seen[port] = name
            do {
                let channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
                    .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
                    .bind(host: settings.bindAddress, port: port).get()
                try await channel.close().get()
            } catch let error as IOError where error.errnoCode == EADDRINUSE {
                fail(
                    "Cannot start \(name.displayName): port \(port) on \(settings.bindAddress) is already in use. Stop what uses it or set \(name.portVariable) to another port."
                )
            } catch {
                fail(
                    "Cannot start \(name.displayName): cannot listen on \(settings.bindAddress):\(port) (\(error)). Check BIND_ADDRESS, or set \(name.portVariable) to another port."
                )
            }
        }
    }

    private func fail(_ message: String) -> Never {
        FileHandle.standardError.write(Data("campus: \(message)\n".utf8))
        Foundation.exit(1)
    }
}

struct Migrate: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Create or update the database tables of the named services (default: all), then exit.",
        discussion:
            "Uses DATABASE_TYPE: SQLite files under DATA_DIR, or PostgreSQL from DB_HOST, DB_PORT, DB_NAME, DB_USER, DB_PASSWORD (one schema per service)."
    )

    @OptionGroup var selection: ServiceSelection

    func run() async throws {
        let names = try selection.resolve()
        let settings = try loadSettings()
        CampusLogging.bootstrap(level: settings.logLevel, format: settings.logFormat)
        let runtime = await ServiceRuntime.make(settings: settings)

        do {
            for name in names {
                guard let module = ServiceCatalog.module(name) else { continue }
                try await module.migrate(runtime: runtime)
                print("Migrated \(name.displayName)")
            }
        } catch {
            try? await runtime.http.shutdown()
            FileHandle.standardError.write(Data("campus migrate: \(DatabaseFailure.explain(error))\n".utf8))
            throw ExitCode.failure
        }
        try await runtime.http.shutdown()
    }
}

extension Serve {
    /// Every connection is a file descriptor, and the services of one process share them: a soft
    /// limit of 1,024 (a common default) is spent by about a thousand WebSocket clients, after which
    /// no service accepts anything. The soft limit is raised to the hard one, which needs no privilege.
    static func raiseOpenFileLimit(logger: Logger) {
        var limit = rlimit()
        guard getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit) == 0, limit.rlim_cur < limit.rlim_max else { return }
        let before = limit.rlim_cur
        limit.rlim_cur = limit.rlim_max
        if setrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit) == 0 {
            logger.debug("Raised the open-file limit", metadata: ["from": "\(before)", "to": "\(limit.rlim_max)"])
        } else {
            logger.warning("Could not raise the open-file limit; about \(before) connections at once is the most", metadata: ["error": "\(errno)"])
        }
    }
}
