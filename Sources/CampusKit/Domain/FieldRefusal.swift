/// A value that breaks one of the domain's rules for a field: the shared vocabulary every
/// service's domain code uses for its inputs. It knows nothing of HTTP; the HTTP layer answers it
/// as a 422 `validation_error` whose detail is `field: sentence`.
public struct FieldRefusal: Error, Sendable, Equatable, CustomStringConvertible {
    /// The field as the client spelled it (`purpose`, `courses[2].grade`, `audience.role`).
    public let field: String
    public let reason: Reason

    public enum Unit: String, Sendable, Equatable {
        case characters, bytes
    }

    public enum Reason: Sendable, Equatable {
        case empty
        case tooLong(max: Int, unit: Unit)
        case tooShort(min: Int, unit: Unit)
        case controlCharacters
        /// `value` is not one of `allowed` (named in this order).
        case notOneOf(value: String, allowed: [String])
        /// `value` is not a `kind` ("a date YYYY-MM-DD", "a valid email address").
        case notA(value: String, kind: String)
        /// The object must hold exactly one of these shapes.
        case exactlyOneOf([String])
    }

    public init(_ field: String, _ reason: Reason) {
        self.field = field
        self.reason = reason
    }

    /// What is wrong, as a person reads it after the field's name.
    public var sentence: String {
        switch reason {
        case .empty: "must not be empty"
        case .tooLong(let max, let unit): "must be at most \(max) \(unit.rawValue)"
        case .tooShort(let min, let unit): "must be at least \(min) \(unit.rawValue)"
        case .controlCharacters: "must not contain control characters"
        case .notOneOf(let value, let allowed): "\"\(value)\" is not one of \(allowed.joined(separator: ", "))"
        case .notA(let value, let kind): "\"\(value)\" is not \(kind)"
        case .exactlyOneOf(let shapes): "must be exactly one of " + ListFormat.or(shapes)
        }
    }

    public var description: String { "\(field): \(sentence)" }
}

/// The one rule for a person's text: trimmed by the caller, not empty (when required), at most
/// `maximum` characters, and control characters as the field allows.
public enum TextRule {
    public enum ControlCharacters: Sendable {
        /// Free text (ticket reports, notices): anything that is a character.
        case allowed
        /// Names: one line, no control characters at all.
        case refused
        /// Multi-line text (a booking's purpose): line breaks and tabs, nothing else.
        case onlyLineBreaksAndTabs
    }

    public static func check(
        _ text: String, field: String, maximum: Int, required: Bool = true, controls: ControlCharacters = .refused
    ) throws(FieldRefusal) {
        if required && text.isEmpty { throw FieldRefusal(field, .empty) }
        guard text.count <= maximum else { throw FieldRefusal(field, .tooLong(max: maximum, unit: .characters)) }
        let kept: Set<Unicode.Scalar>
        switch controls {
        case .allowed: return
        case .refused: kept = []
        case .onlyLineBreaksAndTabs: kept = ["\n", "\t"]
        }
        guard !text.unicodeScalars.contains(where: { $0.properties.generalCategory == .control && !kept.contains($0) }) else {
            throw FieldRefusal(field, .controlCharacters)
        }
    }
}

/// Lists as a sentence says them: `a, b or c`.
public enum ListFormat {
    public static func or(_ items: [String]) -> String {
        guard let last = items.last else { return "" }
        return items.count == 1 ? last : items.dropLast().joined(separator: ", ") + " or " + last
    }
}
