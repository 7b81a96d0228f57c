import CampusKit

/// CONTRACT §4: which service owns each `/api/...` prefix and what path it sees there.
public struct GatewayRoute: Sendable, Equatable {
    public let prefix: String
    public let service: ServiceName
    /// What replaces `prefix` in the service's path.
    public let servicePrefix: String

    /// The route for a gateway path, and the path the service sees.
    public static func resolve(_ path: String) -> (route: GatewayRoute, servicePath: String)? {
        for route in table where path == route.prefix || path.hasPrefix(route.prefix + "/") {
            let rest = path.dropFirst(route.prefix.count)
            let servicePath = route.servicePrefix + rest
            return (route, servicePath.isEmpty ? "/" : servicePath)
        }
        return nil
    }

    public static let table: [GatewayRoute] = [
        GatewayRoute(prefix: "/api/users", service: .users, servicePrefix: "/users"),
        GatewayRoute(prefix: "/api/rooms", service: .booking, servicePrefix: "/rooms"),
        GatewayRoute(prefix: "/api/bookings", service: .booking, servicePrefix: "/bookings"),
        GatewayRoute(prefix: "/api/gpa", service: .gpa, servicePrefix: ""),
        GatewayRoute(prefix: "/api/notifications", service: .notification, servicePrefix: "/notifications"),
        GatewayRoute(prefix: "/api/tickets", service: .maintenance, servicePrefix: "/tickets"),
        GatewayRoute(prefix: "/api/triage", service: .maintenance, servicePrefix: "/triage"),
        GatewayRoute(prefix: "/api/ws", service: .maintenance, servicePrefix: "/ws"),
    ]
}
