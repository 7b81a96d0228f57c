import CampusKit
import Foundation

/// Validation of account fields; every failure is a `FieldRefusal` naming the field.
public enum UserRules {
    public static let minimumPasswordLength = 8
    /// bcrypt reads at most 72 bytes; a longer password would be silently cut, so it is refused.
    public static let maximumPasswordBytes = 72
    public static let maximumNameLength = 100
    public static let maximumEmailLength = 254

    /// Lower-cased and trimmed: emails compare case-insensitively.
    public static func normalizedEmail(_ raw: String, field: String = "email") throws(FieldRefusal) -> String {
        let email = EmailAddress.normalized(raw)
        try TextRule.check(email, field: field, maximum: maximumEmailLength, controls: .allowed)
        let parts = email.split(separator: "@", omittingEmptySubsequences: false)
        guard parts.count == 2, !parts[0].isEmpty, parts[1].contains("."), !parts[1].hasPrefix("."), !parts[1].hasSuffix("."),
            !email.contains(where: { $0.isWhitespace || $0.isNewline }), !parts[1].contains("..")
        else {
            throw FieldRefusal(field, .notA(value: raw, kind: "a valid email address"))
        }
        return email
    }

    public static func name(_ raw: String) throws(FieldRefusal) -> String {
        let name = raw.trimmingCharacters(in: .whitespacesAndNewlines)
        try TextRule.check(name, field: "name", maximum: maximumNameLength)
        return name
    }

    public static func password(_ password: String, field: String = "password") throws(FieldRefusal) {
        guard password.count >= minimumPasswordLength else {
            throw FieldRefusal(field, .tooShort(min: minimumPasswordLength, unit: .characters))
        }
        guard password.utf8.count <= maximumPasswordBytes else {
            throw FieldRefusal(field, .tooLong(max: maximumPasswordBytes, unit: .bytes))
        }
    }

    /// A person's role; `service` is for machines only.
    public static func role(_ raw: String) throws(FieldRefusal) -> Role {
        guard let role = Role(rawValue: raw.lowercased()), role != .service else {
            throw FieldRefusal("role", .notOneOf(value: raw, allowed: Role.personRoles.map(\.rawValue)))
        }
        return role
    }
}
