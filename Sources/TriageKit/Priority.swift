import Foundation

/// A ticket's urgency, docs/contract.md §9: P0 is the most urgent. `Comparable` orders by urgency, so
/// `P0 > P1` and `max` picks the more urgent of two priorities.
public enum Priority: String, Codable, Sendable, CaseIterable, Comparable {
    case p0 = "P0"
    case p1 = "P1"
    case p2 = "P2"
    case p3 = "P3"
    case p4 = "P4"

    /// 0 for P0 … 4 for P4: the position in the rubric, used by tables and the classifier.
    public var level: Int {
        switch self {
        case .p0: 0
        case .p1: 1
        case .p2: 2
        case .p3: 3
        case .p4: 4
        }
    }

    public init?(level: Int) {
        guard let priority = Priority.allCases.first(where: { $0.level == level }) else { return nil }
        self = priority
    }

    /// How people read it: "P1 · High".
    public var label: String {
        switch self {
        case .p0: "P0 · Critical"
        case .p1: "P1 · High"
        case .p2: "P2 · Medium"
        case .p3: "P3 · Low"
        case .p4: "P4 · Cosmetic"
        }
    }

    /// Hours from creation to the SLA deadline (docs/contract.md §9).
    public var slaHours: Int {
        switch self {
        case .p0: 1
        case .p1: 4
        case .p2: 24
        case .p3: 72
        case .p4: 168
        }
    }

    /// The SLA as people say it: "1 hour", "24 hours", "3 days", "7 days" (not "168 hours").
    public var slaText: String {
        switch slaHours {
        case 1: "1 hour"
        case let hours where hours > 24 && hours % 24 == 0: "\(hours / 24) days"
        case let hours: "\(hours) hours"
        }
    }

    /// `levels` steps more urgent, never beyond P0.
    public func raised(by levels: Int = 1) -> Priority {
        Priority(level: max(0, level - max(0, levels))) ?? .p0
    }

    /// `levels` steps less urgent, never beyond P4.
    public func lowered(by levels: Int = 1) -> Priority {
        Priority(level: min(4, level + max(0, levels))) ?? .p4
    }

    /// More urgent compares greater: `.p0 > .p4`.
    public static func < (lhs: Priority, rhs: Priority) -> Bool {
        lhs.level > rhs.level
    }
}
