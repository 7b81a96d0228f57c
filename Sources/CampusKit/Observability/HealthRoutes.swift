import Foundation
import Hummingbird

/// Health for people and load balancers.
/// - `GET /health` — liveness: 200 whenever the process serves requests; the body reports each check
///   (`ok` or `failing`) and the status `healthy` or `degraded`. A database outage must not make an
///   orchestrator restart healthy processes, so this never fails on a check.
/// - `GET /health/ready` — readiness: 200 `ready` only when every check passes (the database answers and
///   this process has finished its migrations); otherwise 503 `not_ready` naming what failed.
public enum HealthRoutes {
    public struct Report: Codable, Sendable, Equatable {
        public let status: String
        public let service: String
        public let checks: [String: String]
    }

    /// How long one check may take before it counts as failing.
    static let checkDeadline: Duration = .seconds(2)

    public static func add(to router: Router<CampusRequestContext>, service: ServiceName, checks: [String: @Sendable () async throws -> Void]) {
        router.get("/health") { _, context -> Response in
            let results = await run(checks, context: context)
            let healthy = results.values.allSatisfy { $0 == "ok" }
            return try Response.json(Report(status: healthy ? "healthy" : "degraded", service: service.displayName, checks: results))
        }
        router.get("/health/ready") { _, context -> Response in
            let results = await run(checks, context: context)
            let ready = results.values.allSatisfy { $0 == "ok" }
            let report = Report(status: ready ? "ready" : "not_ready", service: service.displayName, checks: results)
            return try Response.json(report, status: ready ? .ok : .serviceUnavailable)
        }
    }

    static func run(_ checks: [String: @Sendable () async throws -> Void], context: CampusRequestContext) async -> [String: String] {
        var results: [String: String] = [:]
        for (name, check) in checks {
            do {
                try await withDeadline(checkDeadline, check)
                results[name] = "ok"
            } catch {
                context.logger.error("Health check failed", metadata: ["check": "\(name)", "error": "\(error)"])
                results[name] = "failing"
            }
        }
        return results
    }

    struct DeadlineExceeded: Error {}

    static func withDeadline(_ deadline: Duration, _ work: @escaping @Sendable () async throws -> Void) async throws {
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await work() }
            group.addTask {
                try await Task.sleep(for: deadline)
                throw DeadlineExceeded()
            }
            defer { group.cancelAll() }
            try await group.next()
        }
    }
}
