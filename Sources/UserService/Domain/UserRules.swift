import Foundation
import CampusKit

/// Validation of account fields; every failure is a 422 naming the field.
public enum UserRules {
    public static let minimumPasswordLength = 8
    /// bcrypt reads at most 72 bytes; a longer password would be silently cut, so it is refused.
    public static let maximumPasswordBytes = 72
    public static let maximumNameLength = 100
    public static let maximumEmailLength = 254

    /// Lower-cased and trimmed: emails compare case-insensitively.
    public static func normalizedEmail(_ raw: String, field: String = "email") throws -> String {
        let email = EmailAddress.normalized(raw)
        guard !email.isEmpty else { throw APIError.invalid(field, "must not be empty") }
        guard email.count <= maximumEmailLength else { throw APIError.invalid(field, "must be at most \(maximumEmailLength) characters") }
        let parts = email.split(separator: "@", omittingEmptySubsequences: false)
        guard parts.count == 2, !parts[0].isEmpty, parts[1].contains("."), !parts[1].hasPrefix("."), !parts[1].hasSuffix("."),
              !email.contains(where: { $0.isWhitespace || $0.isNewline }), !parts[1].contains("..") else {
            throw APIError.invalid(field, "\"\(raw)\" is not a valid email address")
        }
        return email
    }

    public static func name(_ raw: String) throws -> String {
        let name = raw.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !name.isEmpty else { throw APIError.invalid("name", "must not be empty") }
        guard name.count <= maximumNameLength else { throw APIError.invalid("name", "must be at most \(maximumNameLength) characters") }
        guard !name.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) else {
            throw APIError.invalid("name", "must not contain control characters")
        }
        return name
    }

    public static func password(_ password: String, field: String = "password") throws {
        guard password.count >= minimumPasswordLength else {
            throw APIError.invalid(field, "must be at least \(minimumPasswordLength) characters")
        }
        guard password.utf8.count <= maximumPasswordBytes else {
            throw APIError.invalid(field, "must be at most \(maximumPasswordBytes) bytes")
        }
    }

    /// A person's role; `service` is for machines only.
    public static func role(_ raw: String) throws -> Role {
        guard let role = Role(rawValue: raw.lowercased()), role != .service else {
            throw APIError.invalid("role", "\"\(raw)\" is not one of admin, faculty, student, technician")
        }
        return role
    }
}
