import Foundation

/// Finds which of several lists of one- and two-word phrases occur in a token list, in one
/// pass and without building strings for every word pair (triage runs on every keystroke of
/// the ticket form's live preview).
struct PhraseTable: Sendable {
    /// Phrase → indices of the lists that contain it.
    private let lists: [String: [Int]]
    /// First words of two-word phrases: only these pairs are looked up.
    private let pairStarts: Set<String>

    init(_ phraseLists: [Set<String>]) {
        var lists: [String: [Int]] = [:]
        var starts: Set<String> = []
        for (index, phrases) in phraseLists.enumerated() {
            for phrase in phrases {
                lists[phrase, default: []].append(index)
                if let space = phrase.firstIndex(of: " ") { starts.insert(String(phrase[..<space])) }
            }
        }
        self.lists = lists
        pairStarts = starts
    }

    /// Indices of the lists with at least one phrase in `words`.
    static func matches(in words: [String], table: PhraseTable) -> Set<Int> {
        var found: Set<Int> = []
        for (index, word) in words.enumerated() {
            if let hits = table.lists[word] { found.formUnion(hits) }
            if index + 1 < words.count, table.pairStarts.contains(word), let hits = table.lists[word + " " + words[index + 1]] {
                found.formUnion(hits)
            }
        }
        return found
    }
}
