import Foundation

/// Turns ticket text into lower-case word tokens that the classifier and the rules share.
///
/// - Apostrophes vanish inside words (`isn't` → `isnt`), so typed and curly quotes, and people
///   who skip them, all give the same token.
/// - Letters and digits are split (`b201` → `b`, `#num`); numbers become `#num` and ordinals
///   (`2nd`) `#ord`: a room number carries no meaning for priority, "a numbered room" does.
/// - Sentence and clause punctuation becomes the ``boundary`` token, because negation and
///   context ("no smoke, but sparks") must not leak across clauses.
enum Tokenizer {
    static let boundary = "|"
    static let number = "#num"
    static let ordinal = "#ord"

    static func tokens(_ text: String) -> [String] {
        let scalars = Array(text.lowercased().unicodeScalars)
        var tokens: [String] = []
        var word = String.UnicodeScalarView()

        func flush() {
            guard !word.isEmpty else { return }
            appendWord(word, to: &tokens)
            word.removeAll(keepingCapacity: true)
        }

        for (index, scalar) in scalars.enumerated() {
            if isWordScalar(scalar) {
                word.append(scalar)
                continue
            }
            if scalar == "." || scalar == ",", isDigit(word.last), index + 1 < scalars.count, isDigit(scalars[index + 1]) {
                continue  // 2.14 and 1,000 are one number
            }
            switch scalar {
            case "'", "\u{2019}", "`":
                continue  // inside a word: isn't → isnt
            case ".", ",", ";", ":", "!", "?", "(", ")", "\n", "\u{2014}", "\u{2013}":
                flush()
                if let last = tokens.last, last != boundary { tokens.append(boundary) }
            case "-" where index > 0 && scalars[index - 1] == " " && index + 1 < scalars.count && scalars[index + 1] == " ":
                // A spaced hyphen is a dash: "RU - main kitchen".
                flush()
                if let last = tokens.last, last != boundary { tokens.append(boundary) }
            default:
                flush()
            }
        }
        flush()
        if tokens.last == boundary { tokens.removeLast() }
        return tokens
    }

    /// Letters, marks and digits of any script. ASCII is decided without Unicode tables because
    /// almost every ticket is ASCII and Foundation's `CharacterSet` is slow on Linux.
    private static func isWordScalar(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 48...57, 97...122, 65...90: return true
        case 0..<128: return false
        default:
            let properties = scalar.properties
            return properties.isAlphabetic || properties.numericType != nil || properties.generalCategory == .nonspacingMark
        }
    }

    private static func isDigit(_ scalar: Unicode.Scalar?) -> Bool {
        guard let scalar else { return false }
        return scalar.value >= 48 && scalar.value <= 57
    }

    /// Splits one run of letters and digits: `2nd` → `#ord`, `lt2` → `lt #num`.
    private static func appendWord(_ word: String.UnicodeScalarView, to tokens: inout [String]) {
        let text = String(word)
        if let first = word.first, isDigit(first) {
            let digits = text.prefix { $0.isASCII && $0.isNumber }
            if ["st", "nd", "rd", "th"].contains(String(text.dropFirst(digits.count))) {
                tokens.append(ordinal)
                return
            }
        }
        var run = String.UnicodeScalarView()
        var runIsDigits = false
        for scalar in word {
            let digit = isDigit(scalar)
            if !run.isEmpty, digit != runIsDigits {
                tokens.append(runIsDigits ? number : String(run))
                run.removeAll(keepingCapacity: true)
            }
            run.append(scalar)
            runIsDigits = digit
        }
        if !run.isEmpty { tokens.append(runIsDigits ? number : String(run)) }
    }
}
