import Foundation

/// The one spelling of an email address that the product compares, stores and counts by.
public enum EmailAddress {
    /// Trimmed of surrounding whitespace and line breaks, lower-cased. The gateway's failure
    /// counter and lock, and user management's lookup and uniqueness, all key on this, so every
    /// spelling that reaches an account (`" T5@example.com\n"`) shares that account's counter.
    public static func normalized(_ raw: String) -> String {
        raw.trimmingCharacters(in: .whitespacesAndNewlines).lowercased()
    }
}
