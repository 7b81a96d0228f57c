import HummingbirdCore

/// A service-chosen numeric id (a user, room, booking, ticket, comment or notification) as the
/// wire carries it: always written as a JSON integer, read from an integer or its string form
/// (`228` and `"228"`), so a client can echo back whatever it was given (docs/contract.md §11).
/// Anything else — `"abc"`, `1.5`, `true`, `" 228"` — is a 422 naming the field.
public struct WireID: Hashable, Sendable, Codable, CustomStringConvertible, Comparable {
    public let value: Int

    public init(_ value: Int) { self.value = value }

    /// Only decimal digits (no sign, no spaces, no `+`), fitting an `Int`: the string form of an id.
    public init?(_ text: some StringProtocol) {
        guard !text.isEmpty, text.utf8.count <= 19, text.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }), let value = Int(text) else {
            return nil
        }
        self.value = value
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let number = try? container.decode(Int.self), number >= 0 {
            value = number
        } else if let text = try? container.decode(String.self), let id = WireID(text) {
            value = id.value
        } else if container.decodeNil() {
            throw DecodingError.valueNotFound(Int.self, .init(codingPath: decoder.codingPath, debugDescription: "must not be null"))
        } else {
            throw DecodingError.dataCorrupted(
                .init(
                    codingPath: decoder.codingPath, debugDescription: "expected an id: a whole number such as 228, or its string form \"228\""
                ))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(value)
    }

    /// The id as services store and compare it (`"228"`).
    public var description: String { String(value) }

    public static func < (lhs: WireID, rhs: WireID) -> Bool { lhs.value < rhs.value }
}

extension WireID {
    /// An id kept as text by its owner (a user id from a token's `sub`, a room id on a ticket)
    /// written as the integer it is. Stored ids are always digits — every input is checked on the
    /// way in — so text that is not is a damaged record, not a client's mistake.
    public init(stored text: String) throws {
        guard let id = WireID(text) else { throw CorruptRecord(detail: "the stored id \"\(text)\" is not a number") }
        self = id
    }

    /// An id filter in the query (`?assignee_id=228`): `nil` when absent; anything but the string
    /// form of an id is a 422 naming the parameter.
    public static func query(_ query: FlatDictionary<Substring, Substring>, _ name: String) throws -> WireID? {
        guard let raw = query[name[...]] else { return nil }
        guard let id = WireID(raw) else { throw APIError.invalid(name, "\"\(raw)\" is not an id (a whole number such as 228)") }
        return id
    }
}
