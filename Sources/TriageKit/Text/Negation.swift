import Foundation

/// Simple negation handling shared by the classifier and the rules.
///
/// The classifier sees `not_sparking` instead of `sparking` for the few words after a negator
/// in the same clause, so "it isn't sparking any more" and "it is sparking" differ. The rules
/// ask whether one signal word is negated before or after it ("no smoke", "smoke has cleared").
enum Negation {
    /// Words that negate what follows. Apostrophes are already gone (`isn't` → `isnt`), and
    /// the forms typed without them are the same tokens.
    static let negators: Set<String> = [
        "not", "no", "never", "without", "nothing", "none", "nor", "nobody", "noone", "neither",
        "isnt", "arent", "wasnt", "werent", "dont", "doesnt", "didnt", "hasnt", "havent", "hadnt",
        "wont", "cant", "cannot", "couldnt", "wouldnt", "shouldnt", "aint",
    ]

    /// Words after a signal that say it is over: "the smoke has cleared", "sparking stopped".
    static let endings: Set<String> = ["stopped", "gone", "cleared", "ceased", "finished", "over", "anymore"]

    /// Short words that may sit between a signal and its ending ("has now stopped").
    private static let auxiliaries: Set<String> = ["has", "have", "had", "is", "was", "now", "seems", "seem", "all", "since", "been", "completely"]

    /// How many tokens after a negator are marked for the classifier.
    static let window = 3

    /// `["no", "smoke", "just", "noise"]` → `["no", "not_smoke", "not_just", "not_noise"]`.
    static func marked(_ tokens: [String]) -> [String] {
        var result: [String] = []
        result.reserveCapacity(tokens.count)
        var remaining = 0
        for token in tokens {
            if token == Tokenizer.boundary || token == "but" {
                remaining = 0
                result.append(token)
            } else if negators.contains(token) {
                remaining = window
                result.append(token)
            } else if remaining > 0 {
                remaining -= 1
                result.append("not_" + token)
            } else {
                result.append(token)
            }
        }
        return result
    }

    /// Whether the word at `index` is negated: a negator up to three words before it in the
    /// same clause ("not sparking", "no sign of smoke", "stopped sparking"), or an ending just
    /// after it ("smoke has cleared", "sparking any more").
    static func isNegated(_ tokens: [String], at index: Int) -> Bool {
        var position = index - 1
        var seen = 0
        while position >= 0, seen < 3, tokens[position] != Tokenizer.boundary, tokens[position] != "but" {
            if negators.contains(tokens[position]) { return true }
            if seen == 0, tokens[position] == "stopped" || tokens[position] == "ceased" { return true }
            // "no smoke or fire": a list keeps its negation.
            if !["or", "nor"].contains(tokens[position]) { seen += 1 }
            position -= 1
        }
        position = index + 1
        // "trapped? no one", "stuck, nobody inside".
        if position < tokens.count,
            ["nobody", "noone"].contains(tokens[position])
                || (tokens[position] == "no" && position + 1 < tokens.count && tokens[position + 1] == "one")
        {
            return true
        }
        while position < tokens.count, tokens[position] != Tokenizer.boundary {
            let token = tokens[position]
            // "over" ends only a sentence ("the sparking is over"); "bulging over the seats" is a place.
            if token == "over" {
                if position + 1 == tokens.count || tokens[position + 1] == Tokenizer.boundary || tokens[position + 1] == "now" { return true }
                break
            }
            if endings.contains(token) { return true }
            if token == "any", position + 1 < tokens.count, tokens[position + 1] == "more" { return true }
            guard auxiliaries.contains(token) else { break }
            position += 1
        }
        return false
    }
}
