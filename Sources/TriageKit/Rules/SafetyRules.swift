import Foundation

/// What a rule may know about the whole ticket besides the words around a match.
struct SafetyRuleContext: Sendable {
    /// "stuck" means someone trapped only where a lift is mentioned.
    let mentionsLift: Bool
    /// Exposure: the words say people are there ("students sitting under it", "class of 30").
    let peoplePresent: Bool
    /// Exposure: the place prepares or serves food (kitchen, café, refectory), from the words or the location.
    let foodArea: Bool
    /// "nobody in it", "no one inside", "car empty": a stopped lift with no one to free.
    let liftSaidEmpty: Bool

    init(words: [String], location: [String]) {
        mentionsLift = words.contains { SafetyVocabulary.liftWords.contains($0) }
        peoplePresent = words.indices.contains { index in
            HazardVocabulary.presence.contains(words[index]) && !Negation.isNegated(words, at: index)
        }
        foodArea = (words + location).contains { HazardVocabulary.foodAreas.contains($0) }
        liftSaidEmpty = words.indices.contains { index in
            let word = words[index]
            let next = index + 1 < words.count ? words[index + 1] : ""
            let after = index + 2 < words.count ? words[index + 2] : ""
            return (["nobody", "noone"].contains(word) && ["in", "inside"].contains(next))
                || (word == "no" && next == "one" && ["in", "inside"].contains(after))
                || (word == "empty" && index > 0 && ["car", "lift", "is", "was"].contains(words[index - 1]))
        }
    }
}

/// Finds life-safety signals (docs/contract.md §9's P0 list, plus burning smells and heat-damaged
/// fittings for P1) in a ticket's words. Each signal counts once, by its **last** mention,
/// because people tell a story in order: "it sparked yesterday, not sparking now" is over;
/// "no smoke at first, now smoke everywhere" is not.
enum SafetyRules {
    typealias Vocabulary = SafetyVocabulary
    typealias Abroad = AlarmWordsAbroad

    private struct Rule: Sendable {
        let name: String
        let floor: Priority
        /// Words at which `match` is tried; every other word is skipped at once.
        let triggers: Set<String>
        let match: @Sendable (_ tokens: [String], _ index: Int, _ context: SafetyRuleContext) -> ClosedRange<Int>?
    }

    /// Trigger word → the rules it starts, so a ticket is read once, not once per rule.
    private static let rulesByTrigger: [String: [Int]] = {
        var table: [String: [Int]] = [:]
        for (index, rule) in rules.enumerated() {
            for word in rule.triggers { table[word, default: []].append(index) }
        }
        return table
    }()

    /// Every signal the text mentions, active or suppressed: the alarm-word rules in their
    /// order, then the hazard rules (``HazardRules``) in theirs.
    static func signals(in tokens: [String], location: [String] = []) -> [SafetySignal] {
        signals(in: tokens, location: location, glossed: false)
    }

    /// The hazard rules (``HazardRules``) and the structural rule read in the English the glossary
    /// gives a ticket in another language ("le plâtre craque au-dessus" → "plaster crack above"),
    /// for what its own words did not set off (`besides`). The alarm words abroad
    /// (``AlarmWordsAbroad``) already read the ticket's own words; these rules read meanings, and
    /// the glossary turns word order, not meaning, foreign: a negator glossed "not" may follow
    /// what it denies ("es tropft nicht", "ne goutte pas"), so it is read after the hazard too.
    ///
    /// Safety systems (the `protection` rules) are read this way only in Chinese, Japanese and
    /// Korean (`safetySystems`): the alarm words abroad read fire doors and extinguishers in the
    /// other languages with the company that makes them signage or routine, which glossed word
    /// order loses ("porta corta-fogo da rota de fuga" glosses "door cuts fire broken").
    static func glossedSignals(in glossed: [String], location: [String], besides found: [SafetySignal], safetySystems: Bool) -> [SafetySignal] {
        let known = Set(found.map(\.name))
        return signals(in: glossed, location: location, glossed: true).filter {
            !known.contains($0.name) && (safetySystems || $0.hazard != .protection)
        }.map {
            var signal = $0
            // What it read, shortened to its ends where the match is long: "alarm fire … test de alarm".
            // Characters of Chinese, Japanese or Korean the glossary left as they were ("有", "く") are not English.
            let words = signal.evidence.split(separator: " ").filter {
                !$0.hasPrefix("#") && !Glossary.hasSpaceless($0)
            }
            let english = words.count > 8 ? (words.prefix(4) + ["…"] + words.suffix(3)).joined(separator: " ") : words.joined(separator: " ")
            signal.name += " (in English: \(english))"
            return signal
        }
    }

    private static func signals(in tokens: [String], location: [String], glossed: Bool) -> [SafetySignal] {
        let context = SafetyRuleContext(words: tokens, location: location)
        var last = [SafetySignal?](repeating: nil, count: rules.count)
        var lastHazard = [SafetySignal?](repeating: nil, count: HazardRules.rules.count)
        for index in tokens.indices {
            for ruleIndex in rulesByTrigger[Vocabulary.canonical(tokens[index])] ?? [] {
                let rule = rules[ruleIndex]
                if glossed, rule.name != "structural collapse" { continue }
                guard let range = rule.match(tokens, index, context) else { continue }
                let name = rule.name == "someone trapped" && context.mentionsLift ? "trapped in lift" : rule.name
                last[ruleIndex] = signal(
                    name: name, floor: rule.floor, range: range, in: tokens, negatable: true, hedgeable: rule.name == "flooding",
                    negatedAfter: glossed)
            }
            for ruleIndex in HazardRules.rulesByTrigger[tokens[index]] ?? [] {
                let rule = HazardRules.rules[ruleIndex]
                guard let hit = rule.match(tokens, index, context) else { continue }
                // A safety system's fault is read in English only where it is said next to it
                // ("extinguisher missing", "door cannot close").
                if glossed, rule.hazard == .protection, hit.range.count > 4 || tokens[hit.range].contains(Tokenizer.boundary) { continue }
                var found = signal(
                    name: rule.hazard.rawValue + ": " + hit.name, floor: hit.floor, range: hit.range, in: tokens, negatable: rule.negatable,
                    hedgeable: false, nonIncident: HazardVocabulary.nonIncident, negatedAfter: glossed)
                found.hazard = rule.hazard
                found.system = rule.system
                // Negation removes only what it negates: a later denied or hypothetical mention
                // ("no cover on it") does not undo a hazard already stated ("floor hatch open"),
                // and a milder later mention ("it went scalding") does not lower a worse one
                // ("boiling water spraying out of the wall").
                if let earlier = lastHazard[ruleIndex], earlier.isActive, !found.isActive || found.floor < earlier.floor { continue }
                lastHazard[ruleIndex] = found
            }
        }
        return last.compactMap { $0 } + lastHazard.compactMap { $0 }
    }

    private static func signal(
        name: String, floor: Priority, range: ClosedRange<Int>, in tokens: [String], negatable: Bool, hedgeable: Bool,
        nonIncident: Set<String> = Vocabulary.nonIncident, negatedAfter: Bool = false
    ) -> SafetySignal {
        let suppression =
            negatable && negatedAfter && negatorFollows(range, in: tokens)
            ? .negated : suppression(of: range, in: tokens, negatable: negatable, hedgeable: hedgeable, nonIncident: nonIncident)
        return SafetySignal(
            name: name, floor: floor, evidence: tokens[range].filter { $0 != Tokenizer.boundary }.joined(separator: " "), suppression: suppression)
    }

    /// "not" up to three words after `range` in its clause: where German, Dutch, the Nordic
    /// languages and French put the negator ("tropft nicht" → "drips not").
    private static func negatorFollows(_ range: ClosedRange<Int>, in tokens: [String]) -> Bool {
        var position = range.upperBound + 1
        while position < tokens.count, position <= range.upperBound + 3, tokens[position] != Tokenizer.boundary {
            if tokens[position] == "not" { return true }
            position += 1
        }
        return false
    }

    private static func suppression(
        of range: ClosedRange<Int>, in tokens: [String], negatable: Bool, hedgeable: Bool, nonIncident: Set<String>
    ) -> SafetySignal.Suppression? {
        if negatable, Negation.isNegated(tokens, at: range.lowerBound) || Negation.isNegated(tokens, at: range.upperBound) {
            return .negated
        }
        for position in stride(from: range.lowerBound - 1, through: max(0, range.lowerBound - 4), by: -1) {
            if tokens[position] == Tokenizer.boundary { break }
            if Vocabulary.hypothetical.contains(tokens[position]) { return .hypothetical }
        }
        let around = max(0, range.lowerBound - 8)...min(tokens.count - 1, range.upperBound + 8)
        if tokens[around].contains(where: { nonIncident.contains($0) }) { return .notAnIncident }
        if hedgeable {
            var position = range.upperBound + 1
            while position < tokens.count, position <= range.upperBound + 5, tokens[position] != Tokenizer.boundary {
                if Vocabulary.hedges.contains(tokens[position]) { return .hedged }
                position += 1
            }
            if range.lowerBound > 0, Vocabulary.hedges.contains(tokens[range.lowerBound - 1]) { return .hedged }
        }
        return nil
    }

    // MARK: - Matching helpers

    static func next(_ tokens: [String], _ index: Int) -> String? {
        index + 1 < tokens.count ? tokens[index + 1] : nil
    }

    static func previous(_ tokens: [String], _ index: Int) -> String? {
        index > 0 ? tokens[index - 1] : nil
    }

    /// The nearest index within `radius` whose token is in `words`; inside the clause unless
    /// `acrossClauses`.
    static func nearest(_ tokens: [String], _ index: Int, within radius: Int, in words: Set<String>, acrossClauses: Bool = false) -> Int? {
        for distance in 1...radius {
            for position in [index - distance, index + distance] where tokens.indices.contains(position) {
                if !acrossClauses, tokens[min(position, index)...max(position, index)].contains(Tokenizer.boundary) { continue }
                if words.contains(tokens[position]) { return position }
            }
        }
        return nil
    }

    static func span(_ a: Int, _ b: Int) -> ClosedRange<Int> { min(a, b)...max(a, b) }

    // MARK: - The rules, most urgent first

    private static let rules: [Rule] = [
        Rule(name: "fire", floor: .p0, triggers: ["fire", "fires", "flames", "flame", "ablaze", "blaze", "inferno", "alight"]) { tokens, index, _ in
            // "the grass bank is alight"; not passengers who alight from a bus.
            if tokens[index] == "alight" {
                if let after = next(tokens, index), ["from", "at", "here", "there", "the"].contains(after) { return nil }
                if let before = previous(tokens, index), ["to", "passengers", "and", "please", "who"].contains(before) { return nil }
                return index...index
            }
            guard tokens[index] == "fire" || tokens[index] == "fires" else { return index...index }
            if let after = next(tokens, index), Vocabulary.fireCompounds.contains(after) { return nil }
            return index...index
        },
        Rule(
            name: "smoke", floor: .p0,
            triggers: ["smoke", "smoking", "smoky", "smokey", "smouldering", "smoldering", "smoulders", "smouldered", "haze", "hazy", "cloud", "clouds"]
        ) { tokens, index, _ in
            // "grey cloud coming under the door and smell like something burned": smoke in other words.
            if ["haze", "hazy", "cloud", "clouds"].contains(tokens[index]) {
                guard
                    let burnt = nearest(
                        tokens, index, within: 25, in: ["burning", "burnt", "burned", "scorched", "charred", "melting", "acrid"], acrossClauses: true)
                else { return nil }
                return span(index, burnt)
            }
            if let after = next(tokens, index), Vocabulary.smokeCompounds.contains(after) { return nil }
            if let before = previous(tokens, index), Vocabulary.smokerSubjects.contains(before) { return nil }
            if tokens[index] == "smoking", index >= 2, Vocabulary.smokerVerbs.contains(tokens[index - 1]),
                Vocabulary.smokerSubjects.contains(tokens[index - 2]) || Vocabulary.people.contains(tokens[index - 2])
                    || ["cooks", "guys", "lads", "kids"].contains(tokens[index - 2])
            {
                return nil
            }
            return index...index
        },
        Rule(name: "gas smell", floor: .p0, triggers: ["gas", "monoxide"]) { tokens, index, _ in
            if tokens[index] == "monoxide" { return index...index }
            if let after = next(tokens, index), Vocabulary.gasCompounds.contains(after) { return nil }
            // "struck a gas main ... strong smell, audible escape": the cue may follow in the next clause.
            guard
                let cue = nearest(tokens, index, within: 3, in: Vocabulary.gasCues)
                    ?? nearest(tokens, index, within: 12, in: Vocabulary.gasCues, acrossClauses: true)
            else { return nil }
            return span(index, cue)
        },
        Rule(name: "sparking", floor: .p0, triggers: ["spark", "sparks", "sparking", "sparked", "sparky", "arcing", "arced"]) { tokens, index, _ in
            if let after = next(tokens, index), after == "plug" || after == "plugs" { return nil }
            return index...index
        },
        Rule(name: "exposed live wires", floor: .p0, triggers: Vocabulary.wireWords) { tokens, index, _ in
            if let hazard = nearest(tokens, index, within: 3, in: Vocabulary.wireHazards) { return span(index, hazard) }
            // "the switch fell off and there's wires sticking out": wiring out of its box.
            guard ["wire", "wires", "wiring"].contains(tokens[index]), let out = nearest(tokens, index, within: 3, in: ["sticking", "poking", "hanging"]),
                next(tokens, out) == "out"
            else { return nil }
            return span(index, out + 1)
        },
        Rule(name: "electric shock", floor: .p0, triggers: ["shock", "shocks", "shocked", "electrocuted", "electrocution", "zap", "zapped"]) {
            tokens, index, _ in
            if let after = next(tokens, index), after.hasPrefix("absorber") { return nil }
            return index...index
        },
        Rule(name: "flooding", floor: .p0, triggers: ["flood", "floods", "flooded", "flooding"]) { tokens, index, _ in
            if let after = next(tokens, index), Vocabulary.floodCompounds.contains(after) { return nil }
            // "flooded with dead flies", "flooded with emails": not water.
            if next(tokens, index) == "with", index + 2 < tokens.count,
                !["water", "sewage", "rain", "rainwater", "foul", "dirty"].contains(tokens[index + 2])
                    && !(index + 3 < tokens.count && tokens[index + 3] == "water")
            {
                return nil
            }
            // "the urinal keeps flooding the floor": one fixture overflowing (rubric P2).
            if nearest(tokens, index, within: 4, in: Vocabulary.fixtures) ?? Int.max < index { return nil }
            return index...index
        },
        Rule(name: "someone trapped", floor: .p0, triggers: ["trapped", "stuck", "shut", "locked"]) { tokens, index, context in
            if context.liftSaidEmpty { return nil }
            if nearest(tokens, index, within: 4, in: HazardVocabulary.animals, acrossClauses: true) != nil { return nil }
            if tokens[index] == "trapped" { return index...index }
            guard context.mentionsLift else { return nil }
            // "HELP stuck in the library lift": whoever writes is the one inside.
            if let after = next(tokens, index), ["in", "inside"].contains(after),
                let lift = nearest(tokens, index, within: 4, in: Vocabulary.liftWords, acrossClauses: false), lift > index
            {
                return span(index, lift)
            }
            guard let person = nearest(tokens, index, within: 6, in: Vocabulary.people, acrossClauses: true) else { return nil }
            return span(index, person)
        },
        Rule(name: "someone trapped", floor: .p0, triggers: ["inside", "in"]) { tokens, index, context in
            if context.liftSaidEmpty { return nil }
            // "my colleague is still inside", "she is in there": someone in a lift that has stopped.
            // "we're in the lift and it won't move" ("we're" is typed "were" once the apostrophe is gone).
            let intoLift =
                tokens[index] == "in"
                && (next(tokens, index).map(Vocabulary.liftWords.contains) ?? false
                    || (next(tokens, index) == "the" && index + 2 < tokens.count && Vocabulary.liftWords.contains(tokens[index + 2])))
            guard context.mentionsLift, tokens[index] == "inside" || next(tokens, index) == "there" || next(tokens, index) == "it" || intoLift,
                let person = nearest(tokens, index, within: 4, in: HazardVocabulary.liftOccupants, acrossClauses: false),
                person < index,
                // "she is still in there", not "somebody vomited in the lift".
                tokens[(person + 1)..<index].allSatisfy(HazardVocabulary.liftOccupantLinks.contains)
            else { return nil }
            return span(person, index)
        },
        // The same alarms in Spanish, Portuguese, French, Malay and Indonesian, a fire and smoke also in German, Italian and Dutch
        // (``AlarmWordsAbroad``).
        Rule(name: "fire", floor: .p0, triggers: Abroad.fire) { tokens, index, _ in Abroad.undenied(tokens, index, apartFrom: Abroad.fireHarmless) },
        Rule(name: "smoke", floor: .p0, triggers: Abroad.smoke) { tokens, index, _ in Abroad.smokeAt(tokens, index) },
        Rule(name: "sparking", floor: .p0, triggers: Abroad.sparks) { tokens, index, _ in
            guard !Abroad.denied(tokens, index), let part = Abroad.near(tokens, index, 8, Abroad.electricalParts) else { return nil }
            return span(index, part)
        },
        Rule(name: "sparking", floor: .p0, triggers: Abroad.crackles) { tokens, index, _ in
            guard !Abroad.denied(tokens, index),
                Abroad.near(tokens, index, 6, Abroad.electricalParts) ?? Abroad.near(tokens, index, 25, Abroad.wires) != nil
            else { return nil }
            // The crackle alone: a span back to the wire would cross "no" ("no fio": on the wire), English's negator.
            return index...index
        },
        Rule(name: "electric shock", floor: .p0, triggers: Abroad.shocks.union(Abroad.shocksInCompany)) { tokens, index, _ in
            if Abroad.denied(tokens, index) { return nil }
            guard Abroad.shocksInCompany.contains(tokens[index]) else { return index...index }
            // Portuguese "dar a descarga" is flushing: "a água sobe quando dá descarga" in a toilet.
            if ["descarga", "descargas"].contains(tokens[index]), Abroad.near(tokens, index, 10, Abroad.toilets) != nil { return nil }
            let taking = Abroad.takenShocks.contains(tokens[index]) && (max(0, index - 3)..<index).contains { Abroad.takings.contains(tokens[$0]) }
            guard let current = Abroad.near(tokens, index, 3, Abroad.currents) else { return taking ? index...index : nil }
            return span(index, current)
        },
        Rule(name: "exposed live wires", floor: .p0, triggers: Abroad.bareWires) { tokens, index, _ in
            guard !Abroad.denied(tokens, index), let wire = Abroad.near(tokens, index, 3, Abroad.wires) else { return nil }
            return span(index, wire)
        },
        Rule(name: "someone trapped", floor: .p0, triggers: Abroad.shutIn) { tokens, index, context in
            if context.liftSaidEmpty || Abroad.denied(tokens, index) || Abroad.near(tokens, index, 5, Abroad.animals) != nil { return nil }
            if Abroad.shutInOnlyBeforeIn.contains(tokens[index]), !Abroad.inWords.contains(next(tokens, index) ?? "") { return nil }
            // Like English "stuck", a thing can be "vast" too ("de deur zit vast"): a person says who, just before the verb.
            if let verbs = Abroad.stuckAfter[tokens[index]] {
                guard index >= 2, verbs.contains(tokens[index - 1]),
                    let person = (max(0, index - 4)..<(index - 1)).last(where: { Abroad.people.contains(tokens[$0]) })
                else { return nil }
                return span(person, index)
            }
            guard let person = Abroad.near(tokens, index, 6, Abroad.people) else { return nil }
            return span(index, person)
        },
        Rule(name: "structural collapse", floor: .p0, triggers: StructuralRule.triggers, match: StructuralRule.match),
        Rule(name: "burning smell", floor: .p1, triggers: ["burning", "burnt", "burned", "burn", "plastic"]) { tokens, index, _ in
            // "smells like hot plastic": melting insulation smells of plastic, not of burning.
            if tokens[index] == "plastic", !["hot", "melting", "melted", "burning", "burnt", "burned", "burn"].contains(previous(tokens, index) ?? "") {
                return nil
            }
            // "burnt toast": cooking, not the building; "a smell like burning toast" is a simile.
            let simile = tokens[max(0, index - 2)..<index].contains("like")
            if !simile, nearest(tokens, index, within: 20, in: Vocabulary.cooking, acrossClauses: true) != nil { return nil }
            guard let smell = nearest(tokens, index, within: 3, in: Vocabulary.smellWords) else { return nil }
            return span(index, smell)
        },
        Rule(
            name: "heat-damaged fitting", floor: .p1,
            triggers: ["scorched", "scorch", "scorching", "melted", "melting", "melt", "charred", "blackened", "singed", "black"]
        ) { tokens, index, _ in
            if tokens[index] == "black" {
                // "the socket is black around the holes"; a "black socket" is its colour.
                guard let part = nearest(tokens, index, within: 3, in: Vocabulary.electricalParts), part < index,
                    !tokens[part..<index].contains(Tokenizer.boundary)
                else { return nil }
                return span(part, index)
            }
            // "the socket near my bed is black around the holes and a bit melted".
            let radius = tokens[index].hasPrefix("melt") ? 12 : 4
            guard let part = nearest(tokens, index, within: radius, in: Vocabulary.electricalParts, acrossClauses: radius == 4) else { return nil }
            return span(index, part)
        },
    ]
}
