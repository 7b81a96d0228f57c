/// Checks a request body against RFC 8259 before anything decodes it.
///
/// Foundation's decoder is lenient where the contract is not: it reads `{"a": 1,}` and decodes
/// strings holding bytes that are not UTF-8 into something. This one pass refuses both (400), and
/// finds any string holding U+0000, which PostgreSQL `text` cannot store and SQLite's C API cuts
/// short: such text is refused with a 422 naming the field, the same on both databases, never
/// stored shortened.
public enum StrictJSON {
    /// Deeper nesting is refused; no request of the contract nests more than a few levels.
    public static let maximumDepth = 64

    public enum Problem: Error, Equatable, Sendable {
        /// Not JSON: the sentence says where and why.
        case malformed(String)
        /// Well-formed, but the string at `field` (wire path such as `courses[2].name`) holds U+0000.
        case nulCharacter(field: String)
        /// An object names the same key twice (RFC 8259 leaves the meaning open; we refuse it).
        case duplicateKey(String)
    }

    /// Throws ``Problem`` unless `bytes` is exactly one JSON value (surrounded by optional whitespace).
    public static func check(_ bytes: some Collection<UInt8>) throws(Problem) {
        let array = Array(bytes)
        var scanner = Scanner(bytes: array)
        scanner.skipWhitespace()
        try scanner.value(depth: 0)
        scanner.skipWhitespace()
        guard scanner.index == array.count else { throw scanner.malformed("unexpected text after the JSON value") }
        if let field = scanner.nulField { throw .nulCharacter(field: field) }
    }

    private enum PathItem {
        case key([UInt8])
        case index(Int)
    }

    private struct Scanner {
        let bytes: [UInt8]
        var index = 0
        var path: [PathItem] = []
        /// The first field found holding U+0000; reported only once the whole body is known to be JSON.
        var nulField: String?

        init(bytes: [UInt8]) { self.bytes = bytes }

        func malformed(_ reason: String) -> Problem {
            .malformed("The request body is not valid JSON: \(reason) at byte \(index).")
        }

        mutating func skipWhitespace() {
            while index < bytes.count, bytes[index] == 0x20 || bytes[index] == 0x0A || bytes[index] == 0x0D || bytes[index] == 0x09 {
                index += 1
            }
        }

        mutating func value(depth: Int) throws(Problem) {
            guard depth <= StrictJSON.maximumDepth else { throw malformed("nested more than \(StrictJSON.maximumDepth) levels deep") }
            guard index < bytes.count else { throw malformed("the body ends where a value was expected") }
            switch bytes[index] {
            case UInt8(ascii: "{"): try object(depth: depth)
            case UInt8(ascii: "["): try array(depth: depth)
            case UInt8(ascii: "\""):
                if try string(keepingBytes: false).hasNul, nulField == nil { nulField = pathText() }
            case UInt8(ascii: "t"): try literal("true")
            case UInt8(ascii: "f"): try literal("false")
            case UInt8(ascii: "n"): try literal("null")
            case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): try number()
            default: throw malformed("unexpected character")
            }
        }

        mutating func object(depth: Int) throws(Problem) {
            index += 1
            skipWhitespace()
            if index < bytes.count, bytes[index] == UInt8(ascii: "}") {
                index += 1
                return
            }
            var seen = Set<[UInt8]>()
            while true {
                if !seen.isEmpty, index < bytes.count, bytes[index] == UInt8(ascii: "}") { throw malformed("a trailing comma") }
                guard index < bytes.count, bytes[index] == UInt8(ascii: "\"") else { throw malformed("expected a quoted key") }
                let key = try string(keepingBytes: true).bytes
                guard seen.insert(key).inserted else {
                    throw .duplicateKey(String(decoding: key, as: UTF8.self))
                }
                skipWhitespace()
                guard index < bytes.count, bytes[index] == UInt8(ascii: ":") else { throw malformed("expected ':' after a key") }
                index += 1
                skipWhitespace()
                path.append(.key(key))
                try value(depth: depth + 1)
                path.removeLast()
                skipWhitespace()
                guard index < bytes.count else { throw malformed("the object is not closed") }
                if bytes[index] == UInt8(ascii: "}") {
                    index += 1
                    return
                }
                guard bytes[index] == UInt8(ascii: ",") else { throw malformed("expected ',' or '}'") }
                index += 1
                skipWhitespace()
            }
        }

        mutating func array(depth: Int) throws(Problem) {
            index += 1
            skipWhitespace()
            if index < bytes.count, bytes[index] == UInt8(ascii: "]") {
                index += 1
                return
            }
            var position = 0
            while true {
                path.append(.index(position))
                try value(depth: depth + 1)
                path.removeLast()
                skipWhitespace()
                guard index < bytes.count else { throw malformed("the array is not closed") }
                if bytes[index] == UInt8(ascii: "]") {
                    index += 1
                    return
                }
                guard bytes[index] == UInt8(ascii: ",") else { throw malformed("expected ',' or ']'") }
                index += 1
                skipWhitespace()
                guard index < bytes.count, bytes[index] != UInt8(ascii: "]") else { throw malformed("a trailing comma") }
                position += 1
            }
        }

        mutating func literal(_ word: StaticString) throws(Problem) {
            let count = word.utf8CodeUnitCount
            guard index + count <= bytes.count else { throw malformed("unexpected end of the body") }
            let expected = UnsafeBufferPointer(start: word.utf8Start, count: count)
            for offset in 0..<count where bytes[index + offset] != expected[offset] {
                throw malformed("unexpected character")
            }
            index += count
        }

        mutating func number() throws(Problem) {
            if bytes[index] == UInt8(ascii: "-") { index += 1 }
            guard index < bytes.count, isDigit(bytes[index]) else { throw malformed("a number needs digits") }
            if bytes[index] == UInt8(ascii: "0") {
                index += 1
                if index < bytes.count, isDigit(bytes[index]) { throw malformed("a number must not start with 0") }
            } else {
                while index < bytes.count, isDigit(bytes[index]) { index += 1 }
            }
            if index < bytes.count, bytes[index] == UInt8(ascii: ".") {
                index += 1
                guard index < bytes.count, isDigit(bytes[index]) else { throw malformed("a decimal point needs digits after it") }
                while index < bytes.count, isDigit(bytes[index]) { index += 1 }
            }
            if index < bytes.count, bytes[index] == UInt8(ascii: "e") || bytes[index] == UInt8(ascii: "E") {
                index += 1
                if index < bytes.count, bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-") { index += 1 }
                guard index < bytes.count, isDigit(bytes[index]) else { throw malformed("an exponent needs digits") }
                while index < bytes.count, isDigit(bytes[index]) { index += 1 }
            }
        }

        func isDigit(_ byte: UInt8) -> Bool { byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") }

        /// Reads a string; returns whether it holds U+0000 (escaped as `\u0000`; raw control bytes
        /// are malformed) and, when asked (object keys), its bytes as written.
        mutating func string(keepingBytes: Bool) throws(Problem) -> (hasNul: Bool, bytes: [UInt8]) {
            let start = index + 1
            index += 1
            var hasNul = false
            while true {
                guard index < bytes.count else { throw malformed("a string is not closed") }
                let byte = bytes[index]
                switch byte {
                case UInt8(ascii: "\""):
                    index += 1
                    return (hasNul, keepingBytes ? Array(bytes[start..<(index - 1)]) : [])
                case UInt8(ascii: "\\"):
                    index += 1
                    guard index < bytes.count else { throw malformed("a string is not closed") }
                    let escape = bytes[index]
                    switch escape {
                    case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"), UInt8(ascii: "b"), UInt8(ascii: "f"),
                        UInt8(ascii: "n"), UInt8(ascii: "r"), UInt8(ascii: "t"):
                        index += 1
                    case UInt8(ascii: "u"):
                        let unit = try hexQuad()
                        if unit == 0 { hasNul = true }
                        if (0xD800...0xDBFF).contains(unit) {
                            // A high surrogate must be followed by an escaped low surrogate.
                            guard index + 1 < bytes.count, bytes[index] == UInt8(ascii: "\\"), bytes[index + 1] == UInt8(ascii: "u") else {
                                throw malformed("an unpaired surrogate escape")
                            }
                            index += 1
                            let low = try hexQuad()
                            guard (0xDC00...0xDFFF).contains(low) else { throw malformed("an unpaired surrogate escape") }
                        } else if (0xDC00...0xDFFF).contains(unit) {
                            throw malformed("an unpaired surrogate escape")
                        }
                    default:
                        throw malformed("an unknown escape '\\\(Character(Unicode.Scalar(escape)))'")
                    }
                case 0x00..<0x20:
                    throw malformed("a control character inside a string (escape it)")
                case 0x20..<0x80:
                    index += 1
                default:
                    index += try utf8Sequence()
                }
            }
        }

        /// Reads `XXXX` after `\u` (index on the `u`), leaving index after the digits.
        mutating func hexQuad() throws(Problem) -> UInt32 {
            index += 1
            guard index + 4 <= bytes.count else { throw malformed("a \\u escape needs four hex digits") }
            var value: UInt32 = 0
            for _ in 0..<4 {
                let byte = bytes[index]
                let digit: UInt8
                switch byte {
                case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = byte - UInt8(ascii: "0")
                case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = byte - UInt8(ascii: "a") + 10
                case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = byte - UInt8(ascii: "A") + 10
                default: throw malformed("a \\u escape needs four hex digits")
                }
                value = value << 4 | UInt32(digit)
                index += 1
            }
            return value
        }

        /// The length of the well-formed UTF-8 sequence at `index` (RFC 3629: no overlongs, no surrogates, ≤ U+10FFFF).
        func utf8Sequence() throws(Problem) -> Int {
            let lead = bytes[index]
            let length: Int
            var lower: UInt8 = 0x80
            var upper: UInt8 = 0xBF
            switch lead {
            case 0xC2...0xDF: length = 2
            case 0xE0:
                length = 3
                lower = 0xA0
            case 0xE1...0xEC, 0xEE...0xEF: length = 3
            case 0xED:
                length = 3
                upper = 0x9F
            case 0xF0:
                length = 4
                lower = 0x90
            case 0xF1...0xF3: length = 4
            case 0xF4:
                length = 4
                upper = 0x8F
            default: throw malformed("bytes that are not UTF-8")
            }
            guard index + length <= bytes.count else { throw malformed("bytes that are not UTF-8") }
            let second = bytes[index + 1]
            guard second >= lower, second <= upper else { throw malformed("bytes that are not UTF-8") }
            for offset in 2..<max(2, length) where bytes[index + offset] & 0xC0 != 0x80 {
                throw malformed("bytes that are not UTF-8")
            }
            return length
        }

        /// The current place as the wire names it: `courses[2].name`, `audience.user_id`.
        func pathText() -> String {
            var text = ""
            for item in path {
                switch item {
                case .index(let position): text += "[\(position)]"
                case .key(let key): text += (text.isEmpty ? "" : ".") + String(decoding: key, as: UTF8.self)
                }
            }
            return text.isEmpty ? "body" : text
        }
    }
}
