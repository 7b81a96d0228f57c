import Foundation

/// Any key of a JSON object, to see the keys a request sent.
public struct AnyCodingKey: CodingKey, Sendable {
    public let stringValue: String
    public let intValue: Int?
    public init(stringValue: String) {
        self.stringValue = stringValue
        intValue = nil
    }
    public init?(intValue: Int) {
        stringValue = String(intValue)
        self.intValue = intValue
    }
}

extension Decoder {
    /// Refuses a key of the object that is none of `Key`'s (422 naming it and the fields there
    /// are), where a misspelt field would otherwise be ignored and the request half done
    /// (`{"start": "10:00"}` for `start_time` changing nothing but answering 200).
    public func refuseUnknownKeys<Key: CodingKey & CaseIterable>(besides known: Key.Type) throws {
        let names = Set(Key.allCases.map(\.stringValue))
        for key in try container(keyedBy: AnyCodingKey.self).allKeys where !names.contains(key.stringValue) {
            let fields = Key.allCases.map { Self.snakeCase($0.stringValue) }
            throw APIError.invalid(Self.snakeCase(key.stringValue), "is not a field of this request; it takes \(ListFormat.or(fields))")
        }
    }

    /// `startTime` → `start_time`: a key as the client wrote it (the decoder converts from snake case).
    static func snakeCase(_ key: String) -> String {
        var result = ""
        for character in key {
            if character.isUppercase {
                result += "_" + character.lowercased()
            } else {
                result.append(character)
            }
        }
        return result
    }
}
