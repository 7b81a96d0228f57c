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

    /// One pass over the bytes (this runs on every forwarded request): a backslash, `%2e`, `%2f`
    /// or `%5c` in any case, or a segment that is `.` or `..`.
    static func hasTraversal(_ path: String) -> Bool {
        let bytes = Array(path.utf8)
        var segmentStart = 0
        for index in 0...bytes.count {
            guard index < bytes.count, bytes[index] != UInt8(ascii: "/") else {
                let segment = bytes[segmentStart..<index]
                if !segment.isEmpty, segment.count <= 2, segment.allSatisfy({ $0 == UInt8(ascii: ".") }) { return true }
                segmentStart = index + 1
                continue
            }
            switch bytes[index] {
            case UInt8(ascii: "\\"): return true
            case UInt8(ascii: "%") where index + 2 < bytes.count:
                let high = bytes[index + 1]
                let low = bytes[index + 2] | 0x20  // ASCII lower case
                if (high == UInt8(ascii: "2") && (low == UInt8(ascii: "e") || low == UInt8(ascii: "f")))
                    || (high == UInt8(ascii: "5") && low == UInt8(ascii: "c"))
                {
                    return true
                }
            default: break
            }
        }
        return false
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
