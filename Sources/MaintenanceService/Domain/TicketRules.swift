import CampusKit
import Foundation

/// Validation of ticket input; every failure is a 422 naming the field.
public enum TicketRules {
    public static let categories = [
        "electrical", "plumbing", "hvac", "network", "av_equipment", "elevator",
        "fire_safety", "structural", "doors_windows", "furniture", "cleaning", "general",
    ]

    public static func text(_ raw: String, field: String, maximum: Int, required: Bool = true) throws -> String {
        let text = raw.trimmingCharacters(in: .whitespacesAndNewlines)
        if required && text.isEmpty { throw APIError.invalid(field, "must not be empty") }
        guard text.count <= maximum else { throw APIError.invalid(field, "must be at most \(maximum) characters") }
        return text
    }

    public static func category(_ raw: String) throws -> String {
        let category = raw.trimmingCharacters(in: .whitespaces).lowercased()
        guard categories.contains(category) else {
            throw APIError.invalid("category", "\"\(raw)\" is not one of \(categories.joined(separator: ", "))")
        }
        return category
    }

    public static func priority(_ raw: String) throws -> Priority {
        guard let priority = Priority(rawValue: raw.uppercased()) else {
            throw APIError.invalid("priority", "\"\(raw)\" is not one of P0, P1, P2, P3, P4")
        }
        return priority
    }

    public static func status(_ raw: String, field: String = "status") throws -> TicketStatus {
        guard let status = TicketStatus(rawValue: raw.lowercased()) else {
            throw APIError.invalid(field, "\"\(raw)\" is not one of \(TicketStatus.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        return status
    }

    /// P0 is the most urgent; the order of `Priority.allCases`.
    public static func urgency(_ priority: Priority) -> Int {
        Priority.allCases.firstIndex(of: priority) ?? Priority.allCases.count
    }

    /// A refused move names the moves that are allowed.
    public static func transition(from current: TicketStatus, to next: TicketStatus) throws {
        guard current != next else { return }
        guard current.canMove(to: next) else {
            let allowed = current.allowedNext.map(\.rawValue)
            throw APIError.invalid(
                "status", "a ticket that is \(current.rawValue) cannot become \(next.rawValue); "
                    + (allowed.isEmpty ? "it is final" : "allowed: \(allowed.joined(separator: ", "))"),
                code: "invalid_transition"
            )
        }
    }
}
