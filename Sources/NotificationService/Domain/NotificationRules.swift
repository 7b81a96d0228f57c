import CampusKit
import Foundation

/// Validation of what is sent; every failure is a `FieldRefusal` naming the field.
public enum NotificationRules {
    public static let maximumTitleLength = 200
    public static let maximumMessageLength = 4000

    public static func text(_ raw: String, field: String, maximum: Int) throws(FieldRefusal) -> String {
        let text = raw.trimmingCharacters(in: .whitespacesAndNewlines)
        try TextRule.check(text, field: field, maximum: maximum, controls: .allowed)
        return text
    }

    public static func level(_ raw: String?) throws(FieldRefusal) -> Level {
        guard let raw else { return .info }
        guard let level = Level(rawValue: raw.lowercased()) else {
            throw FieldRefusal("level", .notOneOf(value: raw, allowed: Level.allCases.map(\.rawValue)))
        }
        return level
    }
}
