import CampusKit

/// The accounts docs/contract.md §3 seeds on first start when `SEED_DEFAULT_USERS` is true.
public enum DefaultUsers {
    public struct Account: Sendable {
        public let email: String
        public let name: String
        public let password: String
        public let role: Role
    }

    public static let accounts: [Account] = [
        Account(email: "admin@example.com", name: "Campus Admin", password: "admin123", role: .admin),
        Account(email: "faculty@example.com", name: "Dr. Fiona Faculty", password: "faculty123", role: .faculty),
        Account(email: "student@example.com", name: "Sam Student", password: "student123", role: .student),
        Account(email: "tech@example.com", name: "Terry Technician", password: "tech123", role: .technician),
    ]
}
