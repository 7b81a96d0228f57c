/// The six services of the platform, with the ports and variables of docs/contract.md §1 and §10.
public enum ServiceName: String, CaseIterable, Sendable, Codable, Hashable, CustomStringConvertible {
    case gateway
    case users
    case booking
    case gpa
    case notification
    case maintenance

    /// Name used in logs, metrics, health answers and the OpenAPI title.
    public var displayName: String {
        switch self {
        case .gateway: "gateway"
        case .users: "user-management"
        case .booking: "booking"
        case .gpa: "gpa-calculator"
        case .notification: "notification"
        case .maintenance: "maintenance"
        }
    }

    public var description: String { displayName }

    public var defaultPort: Int {
        switch self {
        case .gateway: 5001
        case .booking: 8001
        case .users: 8002
        case .gpa: 8003
        case .notification: 8004
        case .maintenance: 8080
        }
    }

    /// The environment variable that moves this service's port.
    public var portVariable: String {
        switch self {
        case .gateway: "GATEWAY_PORT"
        case .booking: "BOOKING_PORT"
        case .users: "USER_MGMT_PORT"
        case .gpa: "GPA_PORT"
        case .notification: "NOTIFICATION_PORT"
        case .maintenance: "MAINTENANCE_PORT"
        }
    }

    /// The environment variable naming the host other services use to reach this one.
    public var hostVariable: String {
        switch self {
        case .gateway: "GATEWAY_HOST"
        case .booking: "BOOKING_HOST"
        case .users: "USER_MGMT_HOST"
        case .gpa: "GPA_HOST"
        case .notification: "NOTIFICATION_HOST"
        case .maintenance: "MAINTENANCE_HOST"
        }
    }

    /// The SQLite file of this service under `DATA_DIR`; `nil` for the stateless GPA calculator.
    public var databaseFileName: String? {
        switch self {
        case .gateway: "gateway.db"
        case .users: "users.db"
        case .booking: "bookings.db"
        case .gpa: nil
        case .notification: "notifications.db"
        case .maintenance: "maintenance.db"
        }
    }

    /// Accepts the short name, the display name and a few obvious aliases (`user-management`, `gpa-calculator`).
    public init?(argument: String) {
        let lowered = argument.lowercased()
        if let direct = ServiceName(rawValue: lowered) {
            self = direct
            return
        }
        switch lowered {
        case "user-management", "user_management", "user", "user-mgmt": self = .users
        case "gpa-calculator", "gpa_calculator": self = .gpa
        case "notifications": self = .notification
        case "bookings": self = .booking
        default: return nil
        }
    }
}
