import Foundation

/// What a person typed into the ticket form.
public struct TriageInput: Sendable {
    public var title: String
    public var description: String
    public var location: String

    public init(title: String, description: String, location: String) {
        self.title = title
        self.description = description
        self.location = location
    }
}

/// The triage decision (docs/contract.md §9 `POST /triage`), with its reasons.
public struct TriageResult: Codable, Sendable, Equatable {
    public let priority: Priority
    /// One of ``TriageCategories/all``.
    public let category: String
    public let slaHours: Int
    public let impact: Impact
    /// How sure the engine is of `priority`, 0…1: the model's probability for the level it
    /// chose, or 0.9 when a life-safety rule decided the priority.
    public let confidence: Double
    /// Why: the rules that fired (`rule: life-safety 'smoke' → at least P0`), then the model's
    /// leading classes (`model: P1 0.72, P2 0.18`) and category (`category: electrical 0.81`).
    public let signals: [String]

    public init(priority: Priority, category: String, slaHours: Int, impact: Impact, confidence: Double, signals: [String]) {
        self.priority = priority
        self.category = category
        self.slaHours = slaHours
        self.impact = impact
        self.confidence = confidence
        self.signals = signals
    }
}

/// The ticket categories, exactly as the data set and the API spell them.
public enum TriageCategories {
    public static let all = [
        "electrical", "plumbing", "hvac", "network", "av_equipment", "elevator", "fire_safety", "structural",
        "doors_windows", "furniture", "cleaning", "general",
    ]

    /// How people read a category: "HVAC", "AV equipment", "doors and windows".
    public static func label(_ category: String) -> String {
        switch category {
        case "hvac": "HVAC"
        case "av_equipment": "AV equipment"
        case "fire_safety": "fire safety"
        case "doors_windows": "doors and windows"
        default: category.replacingOccurrences(of: "_", with: " ")
        }
    }
}
