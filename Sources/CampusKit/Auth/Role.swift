/// The roles of docs/contract.md §3, plus `service` for service-to-service calls.
public enum Role: String, Codable, Sendable, CaseIterable, Hashable {
    case admin
    case faculty
    case student
    case technician
    /// Carried only by short-lived service tokens that one service mints for another.
    case service

    /// The roles a person can hold (everything but `service`).
    public static let personRoles: [Role] = [.admin, .faculty, .student, .technician]
}
