import AsyncHTTPClient
import CampusKit
import Foundation
import Hummingbird

/// `GET /api/status` (admins): the health of every service, counts, and the recent login audit.
struct StatusController: Sendable {
    let store: any GatewayStore
    let http: HTTPClient
    let client: ServiceClient
    let settings: Settings
    let now: @Sendable () -> Date

    func addRoutes(to router: Router<CampusRequestContext>) {
        router.group("/api/status", context: AuthenticatedContext.self).get(use: status)
    }

    struct ServiceStatus: Codable, Sendable {
        let name: String
        let url: String
        /// `healthy`, `unhealthy`, or `unreachable`.
        let status: String
        let latencyMs: Int?
    }

    struct Counts: Codable, Sendable {
        let users: Int?
        let loginAttemptsLast24h: Int
        let failedLoginsLast24h: Int
        let lockedAccounts: Int
        let revokedTokens: Int
    }

    struct StatusReport: Codable, Sendable, ResponseEncodable {
        let status: String
        let checkedAt: Date
        let services: [ServiceStatus]
        let counts: Counts
        let recentLogins: [LoginAuditEntry]
    }

    @Sendable func status(_ request: Request, context: AuthenticatedContext) async throws -> StatusReport {
        try GatewayPolicy.table.require(.systemStatus, for: context.identity)
        let services = await withTaskGroup(of: ServiceStatus.self) { group in
            for service in ServiceName.allCases {
                group.addTask { await probe(service) }
            }
            var results: [ServiceStatus] = []
            for await result in group { results.append(result) }
            return ServiceName.allCases.compactMap { service in results.first { $0.name == service.displayName } }
        }
        let statistics = try await store.statistics(now: now())
        let userCount = try? await client.send(
            .users, method: .GET, path: "/users?limit=1", requestID: context.requestID,
            credentials: .bearer(context.bearerToken), logger: context.logger
        ).headers.first(name: "X-Total-Count").flatMap(Int.init)
        let allHealthy = services.allSatisfy { $0.status == "healthy" }
        return StatusReport(
            status: allHealthy ? "healthy" : "degraded", checkedAt: now(), services: services,
            counts: Counts(
                users: userCount, loginAttemptsLast24h: statistics.attemptsLast24h, failedLoginsLast24h: statistics.failuresLast24h,
                lockedAccounts: statistics.lockedAccounts, revokedTokens: statistics.revokedTokens
            ),
            recentLogins: try await store.recentLogins(limit: 20)
        )
    }

    /// One `/health/ready` call with a short deadline and no retries: the page must answer quickly
    /// even when a service is down.
    private func probe(_ service: ServiceName) async -> ServiceStatus {
        let url = settings.endpoint(service).baseURL
        let started = ContinuousClock.now
        do {
            let response = try await http.execute(HTTPClientRequest(url: url + "/health/ready"), timeout: .seconds(2))
            _ = try await response.body.collect(upTo: 64 * 1024)
            let elapsed = ContinuousClock.now - started
            let milliseconds = Int(elapsed.components.seconds * 1000 + elapsed.components.attoseconds / 1_000_000_000_000_000)
            return ServiceStatus(name: service.displayName, url: url, status: response.status == .ok ? "healthy" : "unhealthy", latencyMs: milliseconds)
        } catch {
            return ServiceStatus(name: service.displayName, url: url, status: "unreachable", latencyMs: nil)
        }
    }
}
