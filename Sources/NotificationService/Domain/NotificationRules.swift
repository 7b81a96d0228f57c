import CampusKit
import Foundation

/// Validation of what is sent; every failure is a 422 naming the field.
public enum NotificationRules {
    public static let maximumTitleLength = 200
    public static let maximumMessageLength = 4000

    public static func text(_ raw: String, field: String, maximum: Int) throws -> String {
        let text = raw.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !text.isEmpty else { throw APIError.invalid(field, "must not be empty") }
        guard text.count <= maximum else { throw APIError.invalid(field, "must be at most \(maximum) characters") }
        return text
    }

    public static func level(_ raw: String?) throws -> Level {
        guard let raw else { return .info }
        guard let level = Level(rawValue: raw.lowercased()) else {
            throw APIError.invalid("level", "\"\(raw)\" is not one of info, success, warning, critical")
        }
        return level
    }
}
