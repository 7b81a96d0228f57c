import Foundation

/// Everyday maintenance words of other languages, glossed in English (`Text/glossary.tsv`), so
/// that the priority model's English weights read "se fue la luz en todo el edificio" too.
///
/// Each line is `language`, `form`, `gloss` (one to three English words), tab-separated; a form
/// ending in `*` is a stem and matches any word that starts with it ("zepsut*" → broken). A
/// ticket is glossed in the languages at least ``minimumHits`` of its words belong to, its words
/// taken in the language most of them belong to first: a Spanish "sin" is "without", and one
/// Italian loanword in an English ticket glosses nothing. Forms that are common English words,
/// and stems that start one, were left out when the file was written (data README), so "air"
/// (Indonesian for water) and "auto*" never gloss an English word.
package struct Glossary: Sendable {
    /// How many of a ticket's words must belong to a language before its words are glossed.
    static let minimumHits = 2

    private struct Entry: Sendable {
        let language: Int
        let gloss: [String]
    }

    /// Whole forms, with every language that has each.
    private let forms: [String: [Entry]]
    /// Stems by their first ``bucketLength`` scalars, longest first: one lookup per word.
    private let stems: [String: [(stem: String, entries: [Entry])]]
    private static let bucketLength = 4
    private let languageCount: Int
    /// The longest form in a script written without spaces (``isSpaceless(_:)``), in scalars, at most ``longestCut``.
    private let longestSpaceless: Int
    static let longestCut = 6

    /// Articles, particles and small prepositions of the glossary's languages that it leaves
    /// unglossed ("les", "du", "的", "が"): nothing a rule reads, but they stretch the distances the
    /// hazard rules measure in words, so their reading in English (``TicketAnalysis``) leaves them out.
    static let functionWords: Set<String> = [
        "de", "du", "des", "le", "la", "les", "un", "une", "au", "aux", "el", "los", "las", "del", "al", "una", "unos", "unas",
        "o", "os", "as", "do", "da", "dos", "das", "um", "uma", "der", "die", "den", "dem", "ein", "eine", "einen", "il", "lo",
        "gli", "dei", "della", "delle", "dello", "het", "een", "en", "et", "y", "e", "i", "och", "og", "ett",
        "的", "了", "是", "在", "着", "著", "地", "得", "が", "の", "を", "に", "は", "へ", "で", "も", "가", "이", "을", "를", "에", "은", "는", "의", "도",
    ]

    /// The glossary shipped with the model.
    package static let standard: Glossary = {
        guard let url = Bundle.module.url(forResource: "glossary", withExtension: "tsv"),
            let text = try? String(contentsOf: url, encoding: .utf8)
        else { return Glossary(lines: "") }
        return Glossary(lines: text)
    }()

    package init(lines text: String) {
        var languages: [String: Int] = [:]
        var forms: [String: [Entry]] = [:]
        var stems: [String: [Entry]] = [:]
        var glosses: [String: [String]] = [:]
        forms.reserveCapacity(120_000)
        var longest = 1
        // Cut as bytes: 100,000 lines split as Characters took a third of a second at every start.
        let tab = UInt8(ascii: "\t")
        for line in text.utf8.split(separator: UInt8(ascii: "\n")) where line.first != UInt8(ascii: "#") {
            let columns = line.split(separator: tab, omittingEmptySubsequences: false)
            guard columns.count == 3 else { continue }
            // Some 3,600 glosses for 100,000 forms: each made once.
            let glossText = String(decoding: columns[2], as: UTF8.self)
            let gloss = glosses[glossText] ?? glossText.split(separator: " ").map(String.init)
            glosses[glossText] = gloss
            guard !gloss.isEmpty else { continue }
            let name = String(decoding: columns[0], as: UTF8.self)
            let language = languages[name] ?? languages.count
            languages[name] = language
            var form = columns[1]
            let isStem = form.last == UInt8(ascii: "*")
            if isStem { form = form.dropLast() }
            let key = String(decoding: form, as: UTF8.self)
            let entry = Entry(language: language, gloss: gloss)
            if isStem {
                if !(stems[key]?.contains { $0.language == language } ?? false) { stems[key, default: []].append(entry) }
            } else if !(forms[key]?.contains { $0.language == language } ?? false) {
                forms[key, default: []].append(entry)
                if Self.hasSpaceless(key) { longest = max(longest, key.unicodeScalars.count) }
            }
        }
        self.forms = forms
        languageCount = languages.count
        // Found while reading the lines: a second pass over 110,000 forms at every start was work twice.
        longestSpaceless = min(Self.longestCut, longest)
        var buckets: [String: [(stem: String, entries: [Entry])]] = [:]
        for (stem, entries) in stems where stem.unicodeScalars.count >= Self.bucketLength {
            buckets[Self.bucket(stem), default: []].append((stem, entries))
        }
        self.stems = buckets.mapValues {
            $0.sorted { ($0.stem.unicodeScalars.count, $0.stem) > ($1.stem.unicodeScalars.count, $1.stem) }
        }
    }

    /// `words` with each run of Chinese, Japanese or Korean in them cut into the longest forms of the
    /// glossary, left to right (at most ``longestCut`` scalars); a scalar no form starts stands
    /// alone. Chinese and Japanese are written without spaces, and Korean attaches its particles:
    /// "电梯坏了" was one word nobody knew, and is now "电梯" (lift), "坏了" (broken).
    func segmented(_ words: [String]) -> [String] {
        guard words.contains(where: Self.hasSpaceless) else { return words }
        var cut: [String] = []
        cut.reserveCapacity(words.count * 2)
        for word in words {
            let scalars = Array(word.unicodeScalars)
            guard scalars.contains(where: Self.isSpaceless) else {
                cut.append(word)
                continue
            }
            var index = 0
            while index < scalars.count {
                guard Self.isSpaceless(scalars[index]) else {
                    // Letters or digits of another script beside them ("A栋") stay one word.
                    var end = index
                    while end < scalars.count, !Self.isSpaceless(scalars[end]) { end += 1 }
                    cut.append(Self.string(scalars[index..<end]))
                    index = end
                    continue
                }
                var run = index
                while run < scalars.count, Self.isSpaceless(scalars[run]) { run += 1 }
                var length = min(longestSpaceless, run - index)
                while length > 1, forms[Self.string(scalars[index..<(index + length)])] == nil { length -= 1 }
                cut.append(Self.string(scalars[index..<(index + length)]))
                index += length
            }
        }
        return cut
    }

    private static func string(_ scalars: ArraySlice<Unicode.Scalar>) -> String {
        var view = String.UnicodeScalarView()
        view.append(contentsOf: scalars)
        return String(view)
    }

    /// Whether `word` has a character of Chinese, Japanese or Korean (``isSpaceless(_:)``).
    static func hasSpaceless(_ word: some StringProtocol) -> Bool {
        word.unicodeScalars.contains(where: isSpaceless)
    }

    /// Han, kana and Hangul: scripts whose words the spaces do not separate.
    static func isSpaceless(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x3040...0x30FF, 0x31F0...0x31FF, 0x3400...0x4DBF, 0x4E00...0x9FFF, 0xF900...0xFAFF, 0xFF66...0xFF9F,
            0x1100...0x11FF, 0x3130...0x318F, 0xAC00...0xD7AF:
            return true
        default: return false
        }
    }

    /// Each glossed word of `words` and its English: empty unless some language has at least
    /// ``minimumHits`` of the words.
    func glosses(_ words: [String]) -> [String: [String]] {
        var candidates: [(word: String, entries: [Entry])] = []
        var hits = [Int](repeating: 0, count: languageCount)
        var seen: Set<String> = []
        for word in words where Self.isWord(word) && seen.insert(word).inserted {
            let entries = entries(of: word)
            guard !entries.isEmpty else { continue }
            candidates.append((word, entries))
            // A form or stem lists each language once.
            for entry in entries { hits[entry.language] += 1 }
        }
        guard hits.contains(where: { $0 >= Self.minimumHits }) else { return [:] }
        // Most hits first; a tie goes to the language listed first in the file.
        let order = hits.indices.filter { hits[$0] >= Self.minimumHits }.sorted { (hits[$0], -$0) > (hits[$1], -$1) }
        var glosses: [String: [String]] = [:]
        for (word, entries) in candidates {
            for language in order {
                if let entry = entries.first(where: { $0.language == language }) {
                    glosses[word] = entry.gloss
                    break
                }
            }
        }
        return glosses
    }

    /// A word's entries: its whole form (as typed, then without diacritics), else its longest stem
    /// (as typed, then without diacritics: "kouře" meets the stem "kouř", "calefaccion" "calefacc").
    private func entries(of word: String) -> [Entry] {
        if let entries = forms[word] { return entries }
        // Folding would take the voicing marks off kana ("ガス", gas, is not "カス").
        if Self.hasSpaceless(word) { return [] }
        let plain = word.unicodeScalars.allSatisfy(\.isASCII) ? word : Self.folded(word)
        if plain != word, let entries = forms[plain] { return entries }
        if plain != word, let entries = stemEntries(of: word) { return entries }
        return stemEntries(of: plain) ?? []
    }

    private func stemEntries(of word: String) -> [Entry]? {
        guard word.unicodeScalars.count >= Self.bucketLength, let candidates = stems[Self.bucket(word)] else { return nil }
        return candidates.first { word.unicodeScalars.starts(with: $0.stem.unicodeScalars) }?.entries
    }

    /// The first ``bucketLength`` scalars: stems and words are cut the same way.
    private static func bucket(_ text: String) -> String {
        var prefix = String.UnicodeScalarView()
        prefix.append(contentsOf: text.unicodeScalars.prefix(bucketLength))
        return String(prefix)
    }

    /// Two or more letters (or one of Chinese, Japanese or Korean) and nothing else, as
    /// ``CompiledClassifiers/unknownShare(_:glosses:)`` counts words but for the single characters;
    /// ASCII, nearly every word, decided without Unicode tables.
    private static func isWord(_ word: String) -> Bool {
        var count = 0
        for scalar in word.unicodeScalars {
            switch scalar.value {
            case 97...122, 65...90: break
            case 0..<128: return false
            default:
                let properties = scalar.properties
                guard properties.isAlphabetic || properties.generalCategory == .nonspacingMark || properties.generalCategory == .spacingMark else {
                    return false
                }
                // One character of Chinese, Japanese or Korean is a word ("火", fire).
                if isSpaceless(scalar) { count += 1 }
            }
            count += 1
        }
        return count >= 2
    }

    /// "calefacción" → "calefaccion": people type on phones without accents. The file lists
    /// the forms without them too, unless one is spelt like a common English word ("ön", Turkish
    /// for front, is not "on"), so only the ticket's words are folded, never the file's.
    static func folded(_ word: String) -> String {
        guard !word.unicodeScalars.allSatisfy(\.isASCII) else { return word }
        var plain = String.UnicodeScalarView()
        plain.append(contentsOf: word.decomposedStringWithCanonicalMapping.unicodeScalars.lazy.filter { $0.properties.generalCategory != .nonspacingMark })
        return String(plain)
    }
}
