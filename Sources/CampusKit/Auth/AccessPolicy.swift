/// A service's access rules as a table: capability → roles allowed. Read it next to docs/contract.md §3.
///
/// ```swift
/// static let policy = AccessPolicy<UserCapability>([
///     .manageUsers: [.admin],
///     .ownProfile: [.admin, .faculty, .student, .technician],
/// ])
/// ```
public struct AccessPolicy<Capability: Hashable & Sendable & CustomStringConvertible>: Sendable {
    public let table: [Capability: Set<Role>]

    public init(_ table: [Capability: Set<Role>]) { self.table = table }

    public func allows(_ role: Role, _ capability: Capability) -> Bool {
        table[capability]?.contains(role) ?? false
    }

    /// Throws 403 `role_not_allowed` unless the role has the capability.
    public func require(_ capability: Capability, for identity: Identity) throws {
        guard allows(identity.role, capability) else {
            throw APIError.forbidden("Your role (\(identity.role.rawValue)) may not \(capability).")
        }
    }
}
