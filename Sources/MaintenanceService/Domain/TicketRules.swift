import CampusKit
import Foundation

/// Validation of ticket input; every failure is a `FieldRefusal` naming the field.
public enum TicketRules {
    /// The categories a ticket may have: the ones triage knows.
    public static var categories: [String] { TriageCategories.all }

    /// A list's `order`: the technicians' queue (priority, then deadline) or newest first.
    public enum ListOrder: String, CaseIterable, Sendable {
        case queue, newest
    }

    public static func listOrder(_ raw: String) throws(FieldRefusal) -> ListOrder {
        guard let order = ListOrder(rawValue: raw) else { throw FieldRefusal("order", .notOneOf(value: raw, allowed: ListOrder.allCases.map(\.rawValue))) }
        return order
    }

    public static func categoryLabel(_ category: String) -> String { TriageCategories.label(category) }

    public static func text(_ raw: String, field: String, maximum: Int, required: Bool = true) throws(FieldRefusal) -> String {
        let text = raw.trimmingCharacters(in: .whitespacesAndNewlines)
        try TextRule.check(text, field: field, maximum: maximum, required: required, controls: .allowed)
        return text
    }

    public static func category(_ raw: String) throws(FieldRefusal) -> String {
        let category = raw.trimmingCharacters(in: .whitespaces).lowercased()
        guard categories.contains(category) else {
            throw FieldRefusal("category", .notOneOf(value: raw, allowed: categories))
        }
        return category
    }

    public static func priority(_ raw: String) throws(FieldRefusal) -> Priority {
        guard let priority = Priority(rawValue: raw.uppercased()) else {
            throw FieldRefusal("priority", .notOneOf(value: raw, allowed: Priority.allCases.map(\.rawValue)))
        }
        return priority
    }

    public static func status(_ raw: String, field: String = "status") throws(FieldRefusal) -> TicketStatus {
        guard let status = TicketStatus(rawValue: raw.lowercased()) else {
            throw FieldRefusal(field, .notOneOf(value: raw, allowed: TicketStatus.allCases.map(\.rawValue)))
        }
        return status
    }

    /// A refused move names the moves that are allowed.
    public static func transition(from current: TicketStatus, to next: TicketStatus) throws(TicketRefusal) {
        guard current != next else { return }
        guard current.canMove(to: next) else {
            throw TicketRefusal.invalidTransition(from: current, to: next)
        }
    }
}

/// What the ticket workflow refuses beyond a field's format.
public enum TicketRefusal: Error, Sendable, Equatable {
    /// `from` cannot move to `to` (the allowed moves are `from.allowedNext`).
    case invalidTransition(from: TicketStatus, to: TicketStatus)
}
