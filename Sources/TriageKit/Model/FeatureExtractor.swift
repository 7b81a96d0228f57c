import Foundation

/// A ticket as a sparse vector: `(feature name, value)`, each name once, scaled to unit length.
///
/// Families, by prefix: `w:` words with negation marked (`w:not_sparking`), and the English
/// of a glossed ticket's words (``Glossary``: "sin luz" adds `w:not_light`), `b:` word pairs
/// inside a clause, `c:` character n-grams, `l:` location words, `k:` concepts from the rules
/// layer (`k:scope=building`, `k:space=lectureHall`, `k:signal=smoke`, `k:denied=smoke`), and
/// `s:` words of building- and campus-wide tickets (`s:power`), because "no power" is P2 for
/// a room but P0 for a building while "no heating" is P2 and P1.
/// The length is taken over every feature, known to the model or not, so training and
/// triage scale a ticket the same way.
package enum FeatureExtractor {
    package static func features(
        _ ticket: TicketAnalysis, settings: TrainingSettings, concepts known: [String]? = nil
    ) -> [(name: String, value: Double)] {
        // Each name hashed once: the first weight given a name is kept, in the order names came.
        var seen: Set<String> = []
        var order: [(name: String, value: Double)] = []
        seen.reserveCapacity(256)
        order.reserveCapacity(256)
        func add(_ name: String, _ weight: Double) {
            guard weight > 0, seen.insert(name).inserted else { return }
            order.append((name, weight))
        }

        let marked = Negation.marked(ticket.words)
        var previous: String?
        for token in marked {
            if token == Tokenizer.boundary {
                previous = nil
                continue
            }
            add("w:" + token, settings.wordWeight)
            if ticket.isWideScope { add("s:" + token, settings.scopeWordWeight) }
            if let previous { add("b:" + previous + " " + token, settings.bigramWeight) }
            previous = token
        }
        // Glossed words add their English words, and the pairs they are in, negation marked in
        // the English ("sin luz" → `w:not_light`); the ticket's own words above keep their weights.
        // Only what the glosses add is hashed: most of a glossed ticket's words are in it already.
        if let glossed = ticket.glossedWords {
            var previous: (token: String, glossed: Bool)?
            for (token, glossed) in zip(Negation.marked(glossed), ticket.fromGloss) {
                if token == Tokenizer.boundary {
                    previous = nil
                    continue
                }
                // A word after a glossed "sin" is negated in the English too.
                if glossed || token.hasPrefix("not_") {
                    add("w:" + token, settings.wordWeight)
                    if ticket.isWideScope { add("s:" + token, settings.scopeWordWeight) }
                }
                if let previous, glossed || previous.glossed { add("b:" + previous.token + " " + token, settings.bigramWeight) }
                previous = (token, glossed)
            }
        }
        var buffer: [UInt8] = []
        for token in ticket.words where token.unicodeScalars.count >= 3 && !token.hasPrefix("#") {
            for gram in characterGrams(token, lengths: settings.characterLengths, buffer: &buffer) {
                add(gram, settings.characterWeight)
            }
        }
        for token in ticket.location { add("l:" + token, settings.locationWeight) }

        for concept in known ?? concepts(ticket) { add(concept, settings.conceptWeight) }

        let length = order.reduce(0) { $0 + $1.value * $1.value }.squareRoot()
        guard length > 0 else { return [] }
        return order.map { ($0.name, $0.value / length) }
    }

    /// The danger model's input (``DangerClassifier``): the rules' concepts and the danger cues
    /// (`d:`), never words, each weighing the same, scaled to unit length.
    package static func dangerFeatures(_ ticket: TicketAnalysis, concepts known: [String]? = nil) -> [(name: String, value: Double)] {
        var names: [String] = []
        var seen: Set<String> = []
        for name in (known ?? concepts(ticket)) + DangerCues.features(ticket.glossedWords ?? ticket.words) where seen.insert(name).inserted {
            names.append(name)
        }
        guard !names.isEmpty else { return [] }
        let value = 1 / Double(names.count).squareRoot()
        return names.map { ($0, value) }
    }

    /// `k:` features: what the rules layer knows of the ticket. Both feature sets use them;
    /// triage works them out once and passes them to both.
    package static func concepts(_ ticket: TicketAnalysis) -> [String] {
        var names = [
            (ticket.scopeIsExplicit ? "k:scope=" : "k:where=") + ticket.scope.rawValue, "k:space=" + ticket.space.rawValue,
            "k:reach=" + ticket.reach.rawValue, "k:named=" + (ticket.locationNames?.rawValue ?? "space"),
        ]
        for signal in ticket.safety {
            names.append((signal.isActive ? "k:signal=" : "k:denied=") + signal.name)
        }
        if let outage = ticket.outage { names.append("k:outage=" + outage.name) }
        for group in SeverityLexicon.groups(in: ticket.glossedWords ?? ticket.words) { names.append("k:lex=" + group) }
        if let floor = ticket.safetyFloor { names.append("k:floor=" + floor.rawValue) }
        return names
    }

    /// `p:P1`: the priority, read by the scope model only (a stopped lift is the building's at
    /// P1, a stuck button on it the lift's at P3), with value 1.
    package static func priorityFeature(_ priority: Priority) -> String { "p:" + priority.rawValue }

    /// `c:` n-grams of Unicode scalars of `<token>`. ASCII, nearly every word, is cut as bytes:
    /// the same grams, without building a string per scalar.
    private static func characterGrams(_ token: String, lengths: [Int], buffer: inout [UInt8]) -> [String] {
        var grams: [String] = []
        if token.utf8.allSatisfy({ $0 < 128 }) {
            let padded = [UInt8(ascii: "<")] + Array(token.utf8) + [UInt8(ascii: ">")]
            for length in lengths where padded.count >= length {
                for start in 0...(padded.count - length) {
                    buffer.removeAll(keepingCapacity: true)
                    buffer.append(UInt8(ascii: "c"))
                    buffer.append(UInt8(ascii: ":"))
                    buffer.append(contentsOf: padded[start..<(start + length)])
                    grams.append(String(decoding: buffer, as: UTF8.self))
                }
            }
            return grams
        }
        let padded = Array(("<" + token + ">").unicodeScalars)
        for length in lengths where padded.count >= length {
            for start in 0...(padded.count - length) {
                var name = "c:"
                name.unicodeScalars.append(contentsOf: padded[start..<(start + length)])
                grams.append(name)
            }
        }
        return grams
    }
}
