import Foundation

/// "Structural damage" from docs/contract.md §9's P0 list, kept apart from furniture and fittings: a
/// collapsed ceiling or a widening crack is P0; a collapsed desk, a fallen whiteboard or a
/// hairline crack that is "not growing" is not.
enum StructuralRule {
    typealias Vocabulary = SafetyVocabulary

    private static let collapseWords: Set<String> = ["collapse", "collapsed", "collapsing", "caved", "crumbling", "crumbled", "subsidence"]
    private static let fallWords: Set<String> = ["fell", "falling", "fallen", "fall", "falls"]
    private static let deformWords: Set<String> = ["sagging", "sagged", "bowing", "bowed", "bulging", "bulged", "buckling", "buckled"]
    private static let crackWords: Set<String> = ["crack", "cracks", "cracked", "cracking"]

    /// Words at which ``match`` is tried.
    static let triggers: Set<String> = collapseWords.union(fallWords).union(deformWords).union(crackWords).union(["giving", "gave", "coming", "came"])

    @Sendable static func match(_ tokens: [String], _ index: Int, _: SafetyRuleContext) -> ClosedRange<Int>? {
        let token = tokens[index]
        if collapseWords.contains(token) || isGivingWay(tokens, index) {
            guard let structure = SafetyRules.nearest(tokens, index, within: 5, in: Vocabulary.structures, acrossClauses: true),
                SafetyRules.nearest(tokens, index, within: 5, in: Vocabulary.furniture) == nil
            else { return nil }
            return min(index, structure)...max(index, structure)
        }
        if fallWords.contains(token) || isComingDown(tokens, index) {
            guard let thing = overheadThing(tokens, near: index) else { return nil }
            return min(index, thing)...max(index, thing)
        }
        if deformWords.contains(token) {
            guard let structure = SafetyRules.nearest(tokens, index, within: 4, in: Vocabulary.structures, acrossClauses: true) else { return nil }
            return min(index, structure)...max(index, structure)
        }
        if crackWords.contains(token) {
            if let part = SafetyRules.nearest(tokens, index, within: 4, in: Vocabulary.loadBearing, acrossClauses: true) {
                return min(index, part)...max(index, part)
            }
            // The danger word itself must not be denied: "a crack, not growing".
            for distance in 1...6 {
                for position in [index - distance, index + distance] where tokens.indices.contains(position) {
                    if Vocabulary.crackDangers.contains(tokens[position]), !Negation.isNegated(tokens, at: position) {
                        return min(index, position)...max(index, position)
                    }
                }
            }
        }
        return nil
    }

    /// A ceiling counts; a "ceiling tile" is a light panel, not the structure.
    private static func overheadThing(_ tokens: [String], near index: Int) -> Int? {
        for distance in 1...5 {
            for position in [index - distance, index + distance] where tokens.indices.contains(position) {
                guard Vocabulary.overhead.contains(tokens[position]) else { continue }
                let following = position + 1 < tokens.count ? tokens[position + 1] : ""
                if following == "tile" || following == "tiles" { continue }
                return position
            }
        }
        return nil
    }

    private static func isGivingWay(_ tokens: [String], _ index: Int) -> Bool {
        (tokens[index] == "giving" || tokens[index] == "gave") && index + 1 < tokens.count && tokens[index + 1] == "way"
    }

    private static func isComingDown(_ tokens: [String], _ index: Int) -> Bool {
        (tokens[index] == "coming" || tokens[index] == "came") && index + 1 < tokens.count && tokens[index + 1] == "down"
    }
}
