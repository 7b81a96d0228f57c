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

    /// The role in a sentence about one person: "was added as a student", "as an administrator".
    public var withArticle: String {
        switch self {
        case .admin: "an administrator"
        case .faculty: "a faculty member"
        case .student: "a student"
        case .technician: "a technician"
        case .service: "a service"
        }
    }
}
