import Foundation
import Hummingbird

/// `GET /health`: 200 with each check `ok`, or 503 naming what failed.
public enum HealthRoutes {
    public struct Report: Codable, Sendable, Equatable {
        public let status: String
        public let service: String
        public let checks: [String: String]
    }

    public static func add(to router: Router<CampusRequestContext>, service: ServiceName, checks: [String: @Sendable () async throws -> Void]) {
        router.get("/health") { _, context -> Response in
            var results: [String: String] = [:]
            for (name, check) in checks {
                do {
                    try await check()
                    results[name] = "ok"
                } catch {
                    context.logger.error("Health check failed", metadata: ["check": "\(name)", "error": "\(error)"])
                    results[name] = "failing"
                }
            }
            let healthy = results.values.allSatisfy { $0 == "ok" }
            let report = Report(status: healthy ? "healthy" : "unhealthy", service: service.displayName, checks: results)
            return try Response.json(report, status: healthy ? .ok : .serviceUnavailable)
        }
    }
}
