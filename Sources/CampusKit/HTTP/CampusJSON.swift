import Foundation
import Hummingbird
import NIOCore

/// JSON as the contract writes it: `snake_case` keys, ISO 8601 UTC timestamps, 1 MiB body limit.
public enum CampusJSON {
    public static let maxBodyBytes = 1024 * 1024

    /// One shared encoder: building one per response cost more than encoding a small body.
    /// Its settings are never changed after this, so sharing it across threads is safe.
    public static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.keyEncodingStrategy = .convertToSnakeCase
        encoder.dateEncodingStrategy = .custom { date, encoder in
            var container = encoder.singleValueContainer()
            try container.encode(timestamp(date))
        }
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }()

    /// One shared decoder, for the same reason as ``encoder``.
    public static let decoder: JSONDecoder = {
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        decoder.dateDecodingStrategy = .custom { decoder in
            let container = try decoder.singleValueContainer()
            let text = try container.decode(String.self)
            if let date = (try? Date(text, strategy: .iso8601)) ?? (try? Date(text, strategy: Date.ISO8601FormatStyle(includingFractionalSeconds: true))) {
                return date
            }
            // Thrown from the container so the error carries the field's path.
            throw DecodingError.dataCorruptedError(in: container, debugDescription: "expected an ISO 8601 timestamp such as 2026-11-27T09:00:00Z")
        }
        return decoder
    }()

    /// `2026-11-27T09:00:00Z`: whole seconds (rounded down), UTC. Plain arithmetic on days
    /// (``CalendarDate``): several times cheaper than a format style per date.
    /// `milliseconds`: `…T09:00:00.123Z`, as log lines are stamped.
    public static func timestamp(_ date: Date, milliseconds: Bool = false) -> String {
        let thousandths = Int((date.timeIntervalSince1970 * 1000).rounded(.down))
        let (seconds, millisecond) = thousandths.quotientAndRemainder(dividingBy: 1000)
        let (wholeSeconds, fraction) = millisecond < 0 ? (seconds - 1, millisecond + 1000) : (seconds, millisecond)
        let (days, secondOfDay) = wholeSeconds.quotientAndRemainder(dividingBy: 86_400)
        let (day, second) = secondOfDay < 0 ? (days - 1, secondOfDay + 86_400) : (days, secondOfDay)
        let time = WallClockTime(minutesSinceMidnight: second / 60)
        let stamp = "\(CalendarDate(daysSinceEpoch: day))T\(time):\(String(second % 60).leftPadded(to: 2))"
        return milliseconds ? "\(stamp).\(String(fraction).leftPadded(to: 3))Z" : stamp + "Z"
    }

    /// Decodes a body, turning every failure into the contract's status: 400 unreadable, 413 too large, 422 wrong values.
    public static func decode<T: Decodable>(_ type: T.Type, from data: Data) throws -> T {
        guard !data.isEmpty else { throw APIError.malformedJSON("The request body is empty; send a JSON object.") }
        do {
            try StrictJSON.check(data)
        } catch {
            throw APIError(strictJSON: error)
        }
        do {
            return try decoder.decode(T.self, from: data)
        } catch let error as DecodingError {
            // Foundation reports a number too large for its target (`1e300` for a Decimal) as "not
            // valid JSON" without a path; the body is well-formed, so it is a 422, not a 400.
            if case .dataCorrupted(let context) = error, context.codingPath.isEmpty,
                (try? JSONSerialization.jsonObject(with: data, options: .fragmentsAllowed)) != nil
            {
                throw APIError.invalid("body", "a number is out of range")
            }
            throw APIError(decodingError: error)
        }
    }
}

extension APIError {
    /// 400 for a body that is not JSON (RFC 8259), 422 naming the field for text holding U+0000.
    init(strictJSON problem: StrictJSON.Problem) {
        switch problem {
        case .malformed(let detail): self = .malformedJSON(detail)
        case .duplicateKey(let key): self = .malformedJSON("The request body names \"\(key)\" twice in one object.")
        case .nulCharacter(let field): self = .invalid(field, "must not contain the NUL character (U+0000)")
        }
    }

    /// Names the field in `detail`, in the wire's snake_case (`courses[2].grade: expected a string`).
    init(decodingError error: DecodingError) {
        func path(_ codingPath: [any CodingKey], _ last: (any CodingKey)? = nil) -> String {
            let keys = codingPath + (last.map { [$0] } ?? [])
            var text = ""
            for key in keys {
                if let index = key.intValue {
                    text += "[\(index)]"
                } else {
                    text += (text.isEmpty ? "" : ".") + snakeCase(key.stringValue)
                }
            }
            return text.isEmpty ? "body" : text
        }
        switch error {
        case .dataCorrupted(let context) where context.codingPath.isEmpty:
            self = .malformedJSON()
        case .dataCorrupted(let context):
            self = .invalid(path(context.codingPath), context.debugDescription.hasPrefix("expected") ? context.debugDescription : "has an invalid value")
        case .keyNotFound(let key, let context):
            self = .invalid(path(context.codingPath, key), "is required")
        case .valueNotFound(_, let context):
            self = .invalid(path(context.codingPath), "must not be null")
        case .typeMismatch(let expected, let context):
            if context.codingPath.isEmpty {
                self = .invalid("body", "expected \(jsonTypeName(expected))")
            } else {
                self = .invalid(path(context.codingPath), "expected \(jsonTypeName(expected))")
            }
        @unknown default:
            self = .malformedJSON()
        }
    }
}

private func jsonTypeName(_ type: Any.Type) -> String {
    switch type {
    case is String.Type: "a string"
    case is Bool.Type: "true or false"
    case is Int.Type, is Int64.Type, is Int32.Type: "a whole number"
    case is Double.Type, is Float.Type, is Decimal.Type: "a number"
    default:
        String(describing: type).hasPrefix("Array") ? "an array" : (String(describing: type).hasPrefix("Dictionary") ? "an object" : "a value of another type")
    }
}

/// `currentPassword` → `current_password`, matching `convertToSnakeCase`.
func snakeCase(_ key: String) -> String {
    var result = ""
    for character in key {
        if character.isUppercase {
            if !result.isEmpty { result += "_" }
            result += character.lowercased()
        } else {
            result.append(character)
        }
    }
    return result
}

/// Decodes request bodies with ``CampusJSON``'s rules and limit.
public struct CampusRequestDecoder: RequestDecoder {
    public init() {}
    public func decode<T: Decodable>(_ type: T.Type, from request: Request, context: some RequestContext) async throws -> T {
        let buffer = try await request.collectBody(upTo: CampusJSON.maxBodyBytes)
        return try CampusJSON.decode(T.self, from: Data(buffer.readableBytesView))
    }
}

/// Encodes response bodies with ``CampusJSON``'s rules.
public struct CampusResponseEncoder: ResponseEncoder {
    public init() {}
    public func encode(_ value: some Encodable, from request: Request, context: some RequestContext) throws -> Response {
        try .json(value)
    }
}

extension Request {
    /// The whole body, at most `limit` bytes: past it, 413 problem+json naming the limit.
    public func collectBody(upTo limit: Int) async throws -> ByteBuffer {
        do {
            return try await body.collect(upTo: limit)
        } catch is NIOTooManyBytesError {
            throw APIError.contentTooLarge(limit: limit)
        }
    }
}
