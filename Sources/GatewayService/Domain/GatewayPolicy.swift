import CampusKit

/// The gateway's row of docs/contract.md §3's table.
public enum GatewayCapability: String, Hashable, Sendable, CustomStringConvertible {
    case systemStatus = "see the system status page"
    public var description: String { rawValue }
}

public enum GatewayPolicy {
    public static let table = AccessPolicy<GatewayCapability>([
        .systemStatus: [.admin]
    ])
}
