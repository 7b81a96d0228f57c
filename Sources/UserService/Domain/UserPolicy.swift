import CampusKit

/// What each role may do in user management: docs/contract.md §3's table, the rows that concern users.
public enum UserCapability: String, Hashable, Sendable, CustomStringConvertible {
    case manageUsers = "manage users"
    case ownProfile = "read or update their own profile"
    case verifyCredentials = "verify credentials"
    case lookUpUsers = "look up any user"
    case saveCourses = "save their courses for the GPA calculator"

    public var description: String { rawValue }
}

public enum UserPolicy {
    public static let table = AccessPolicy<UserCapability>([
        .manageUsers: [.admin],
        .ownProfile: [.admin, .faculty, .student, .technician],
        .verifyCredentials: [.service],
        // Services check ids they are given (an assignee must be a technician).
        .lookUpUsers: [.admin, .service],
        // Those who may use the GPA calculator (GPAPolicy); the list is seen by its owner alone.
        .saveCourses: [.faculty, .student],
    ])
}
