import Foundation

/// Who and what a ticket touches (docs/contract.md §9 `impact`). Swift names are camelCase; the
/// project's encoder (`CampusJSON`) writes `safety_risk` and `people_affected_estimate`.
public struct Impact: Codable, Sendable, Equatable {
    /// How far a problem reaches, smallest first.
    public enum Scope: String, Codable, Sendable, CaseIterable, Comparable {
        case room, floor, building, campus

        private var rank: Int { Scope.allCases.firstIndex(of: self) ?? 0 }
        public static func < (lhs: Scope, rhs: Scope) -> Bool { lhs.rank < rhs.rank }
    }

    /// Building systems involved, such as `["electrical"]` or `["plumbing", "electrical"]`.
    public var systems: [String]
    public var safetyRisk: Bool
    public var scope: Scope
    public var peopleAffectedEstimate: Int

    public init(systems: [String], safetyRisk: Bool, scope: Scope, peopleAffectedEstimate: Int) {
        self.systems = systems
        self.safetyRisk = safetyRisk
        self.scope = scope
        self.peopleAffectedEstimate = peopleAffectedEstimate
    }
}
