import CampusKit

/// docs/contract.md §4: which service owns each `/api/...` prefix and what path it sees there.
public struct GatewayRoute: Sendable, Equatable {
    public let prefix: String
    public let service: ServiceName
    /// What replaces `prefix` in the service's path.
    public let servicePrefix: String
    /// For a prefix mapped to a service's root (`/api/gpa`): the only service paths it reaches, so
    /// `/api/gpa/metrics`, `/health`, `/docs` and `/openapi.json` stay off the public gateway.
    public let publicPaths: Set<String>?

    public init(prefix: String, service: ServiceName, servicePrefix: String, publicPaths: Set<String>? = nil) {
        self.prefix = prefix
        self.service = service
        self.servicePrefix = servicePrefix
        self.publicPaths = publicPaths
    }

    /// The route for a gateway path, and the path the service sees; `nil` (404) for anything that
    /// is not a service's public API. Dot segments and encoded dots, slashes or backslashes are
    /// refused outright, so no spelling of `/api/users/../metrics` reaches past the prefix.
    public static func resolve(_ path: String) -> (route: GatewayRoute, servicePath: String)? {
        guard !hasTraversal(path) else { return nil }
        for route in table where path == route.prefix || path.hasPrefix(route.prefix + "/") {
            let rest = path.dropFirst(route.prefix.count)
            let servicePath = route.servicePrefix + rest
            if let allowed = route.publicPaths, !allowed.contains(String(servicePath)) { return nil }
            return (route, servicePath.isEmpty ? "/" : servicePath)
        }
        return nil
    }

    static func hasTraversal(_ path: String) -> Bool {
        let lowered = path.lowercased()
        if lowered.contains("%2e") || lowered.contains("%2f") || lowered.contains("%5c") || lowered.contains("\\") { return true }
        return path.split(separator: "/", omittingEmptySubsequences: false).contains { $0 == "." || $0 == ".." }
    }

    public static let table: [GatewayRoute] = [
        GatewayRoute(prefix: "/api/users", service: .users, servicePrefix: "/users"),
        GatewayRoute(prefix: "/api/rooms", service: .booking, servicePrefix: "/rooms"),
        GatewayRoute(prefix: "/api/bookings", service: .booking, servicePrefix: "/bookings"),
        GatewayRoute(prefix: "/api/gpa", service: .gpa, servicePrefix: "", publicPaths: ["/calculate", "/plan", "/scale"]),
        GatewayRoute(prefix: "/api/notifications", service: .notification, servicePrefix: "/notifications"),
        GatewayRoute(prefix: "/api/tickets", service: .maintenance, servicePrefix: "/tickets"),
        GatewayRoute(prefix: "/api/triage", service: .maintenance, servicePrefix: "/triage"),
        GatewayRoute(prefix: "/api/ws", service: .maintenance, servicePrefix: "/ws"),
        // Subscribed calendars (no token: the secret in the path is the key); GET and HEAD only.
        GatewayRoute(prefix: "/calendar", service: .booking, servicePrefix: "/calendar"),
    ]
}
