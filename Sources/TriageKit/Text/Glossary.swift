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
    /// Stems by their first ``bucketLength`` characters, longest first: one lookup per word.
    private let stems: [String: [(stem: String, entries: [Entry])]]
    private static let bucketLength = 4

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
        for line in text.split(separator: "\n") where !line.hasPrefix("#") {
            let columns = line.split(separator: "\t", omittingEmptySubsequences: false)
            guard columns.count == 3 else { continue }
            let gloss = columns[2].split(separator: " ").map(String.init)
            guard !gloss.isEmpty else { continue }
            let language = languages[String(columns[0])] ?? languages.count
            languages[String(columns[0])] = language
            var form = String(columns[1])
            let isStem = form.hasSuffix("*")
            if isStem { form.removeLast() }
            let entry = Entry(language: language, gloss: gloss)
            if isStem {
                if !(stems[form]?.contains { $0.language == language } ?? false) { stems[form, default: []].append(entry) }
            } else if !(forms[form]?.contains { $0.language == language } ?? false) {
                forms[form, default: []].append(entry)
            }
        }
        self.forms = forms
        var buckets: [String: [(stem: String, entries: [Entry])]] = [:]
        for (stem, entries) in stems where stem.count >= Self.bucketLength {
            buckets[String(stem.prefix(Self.bucketLength)), default: []].append((stem, entries))
        }
        self.stems = buckets.mapValues { $0.sorted { ($0.stem.count, $0.stem) > ($1.stem.count, $1.stem) } }
    }

    /// Each glossed word of `words` and its English: empty unless some language has at least
    /// ``minimumHits`` of the words.
    func glosses(_ words: [String]) -> [String: [String]] {
        var candidates: [String: [Entry]] = [:]
        var hits: [Int: Int] = [:]
        for word in Set(words) where word.count >= 2 && word.allSatisfy(\.isLetter) {
            let entries = entries(of: word)
            guard !entries.isEmpty else { continue }
            candidates[word] = entries
            for language in Set(entries.map(\.language)) { hits[language, default: 0] += 1 }
        }
        let counted = hits.filter { $0.value >= Self.minimumHits }
        guard !counted.isEmpty else { return [:] }
        // Most hits first; a tie goes to the language listed first in the file.
        let order = counted.keys.sorted { (counted[$0]!, -$0) > (counted[$1]!, -$1) }
        var glosses: [String: [String]] = [:]
        for (word, entries) in candidates {
            if let language = order.first(where: { language in entries.contains { $0.language == language } }),
                let entry = entries.first(where: { $0.language == language })
            {
                glosses[word] = entry.gloss
            }
        }
        return glosses
    }

    /// A word's entries: its whole form (as typed, then without diacritics), else its longest stem.
    private func entries(of word: String) -> [Entry] {
        if let entries = forms[word] { return entries }
        let plain = word.unicodeScalars.allSatisfy(\.isASCII) ? word : Self.folded(word)
        if plain != word, let entries = forms[plain] { return entries }
        guard plain.count >= Self.bucketLength, let candidates = stems[String(plain.prefix(Self.bucketLength))] else { return [] }
        return candidates.first { plain.hasPrefix($0.stem) }?.entries ?? []
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
