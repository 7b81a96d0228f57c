import CampusKit

/// docs/contract.md §3: the GPA calculator is for students and faculty.
public enum GPACapability: String, Hashable, Sendable, CustomStringConvertible {
    case useCalculator = "use the GPA calculator"
    public var description: String { rawValue }
}

public enum GPAPolicy {
    public static let table = AccessPolicy<GPACapability>([
        .useCalculator: [.faculty, .student]
    ])
}
