import Foundation

/// Everything the classifier and the rules read from one ticket, worked out once.
package struct TicketAnalysis: Sendable {
    /// Longer text adds nothing a person would read before deciding, and bounds the work per
    /// ticket whatever a client sends.
    static let maximumCharacters = 4000

    /// Title, a clause boundary, then the description.
    let words: [String]
    let location: [String]
    let scope: Impact.Scope
    /// False when only the location names a floor: where the problem is, not how far it reaches.
    let scopeIsExplicit: Bool
    /// How far the problem reaches for `impact.scope` (``ScopeDetector/reach(scope:explicit:location:words:)``):
    /// `scope`, or the reach of the building part the ticket names.
    let reach: Impact.Scope
    let space: SpaceType
    /// What the location names by itself, a building or a floor (``ScopeDetector/namedByLocation(_:)``).
    let locationNames: Impact.Scope?
    let safety: [SafetySignal]
    /// A building without power or a campus-wide outage (rubric P0), or a loss across a floor or
    /// building (P1), if the words say so.
    let outage: OutageRule.Finding?
    /// The English of the words the glossary knows in the ticket's languages (``Glossary``):
    /// empty for an English ticket.
    let glosses: [String: [String]]
    /// The words with each glossed one in English ("sin", "luz" → "without", "light"), or nil
    /// when nothing is glossed: what the model's words, the danger cues and the severity words
    /// read besides the ticket's own words.
    let glossedWords: [String]?
    /// For each of `glossedWords`, whether the glossary put it there: the features add only those.
    let fromGloss: [Bool]

    package init(title: String, description: String, location: String) {
        let text = String(title.prefix(Self.maximumCharacters)) + ".\n" + String(description.prefix(Self.maximumCharacters))
        words = Glossary.standard.segmented(Tokenizer.tokens(text))
        let glosses = Glossary.standard.glosses(words)
        self.glosses = glosses
        if glosses.isEmpty {
            (glossedWords, fromGloss) = (nil, [])
        } else {
            var glossed: [String] = []
            var fromGloss: [Bool] = []
            for word in words {
                let english = glosses[word]
                glossed.append(contentsOf: english ?? [word])
                fromGloss.append(contentsOf: repeatElement(english != nil, count: english?.count ?? 1))
            }
            (glossedWords, self.fromGloss) = (glossed, fromGloss)
        }
        let locationTokens = Glossary.standard.segmented(Tokenizer.tokens(String(location.prefix(Self.maximumCharacters))))
        self.location = locationTokens.filter { $0 != Tokenizer.boundary }
        // What the rules read besides the words in a ticket in another language: the glossary's
        // English, its articles and particles left out ("toda la planta 2" → "all floor 2"), and
        // the location's too ("Edificio B, planta baja" → "building b, floor ground").
        let english: (words: [String], location: [String])?
        if let glossed = glossedWords {
            let placeGlosses = Glossary.standard.glosses(words + locationTokens)
            let place = locationTokens.flatMap { placeGlosses[$0] ?? [$0] }.filter { !Glossary.functionWords.contains($0) }
            english = (zip(glossed, fromGloss).filter { $0.1 || !Glossary.functionWords.contains($0.0) }.map(\.0), place)
        } else {
            english = nil
        }
        let read = english?.words ?? words
        let placeTokens = english?.location ?? locationTokens
        let place = placeTokens.filter { $0 != Tokenizer.boundary }
        let reading = ScopeDetector.scope(location: place, text: read)
        space = SpaceType.detect(location: place, text: read)
        // "Gents, ground floor library" is one space on a floor; "Library 2nd floor" is the floor.
        if !reading.explicit, reading.scope == .floor, ![.other, .library].contains(space) {
            (scope, scopeIsExplicit) = (.room, false)
        } else {
            (scope, scopeIsExplicit) = reading
        }
        reach = ScopeDetector.reach(scope: scope, explicit: scopeIsExplicit, location: place, words: read)
        let ownWords = SafetyRules.signals(in: words, location: self.location)
        if let english {
            let spaceless = words.contains(where: Glossary.hasSpaceless)
            safety = ownWords + SafetyRules.glossedSignals(in: english.words, location: place, besides: ownWords, safetySystems: spaceless)
        } else {
            safety = ownWords
        }
        locationNames = ScopeDetector.namedByLocation(placeTokens)
        outage = OutageRule.finding(words: read + [Tokenizer.boundary] + place, scope: scope, reach: reach, named: locationNames)
    }

    /// The most urgent floor among signals that count, if any.
    var safetyFloor: Priority? {
        safety.filter(\.isActive).map(\.floor).max()
    }

    /// Building- and campus-wide problems are raised one level by the rules (see `TriageEngine`).
    var isWideScope: Bool { scope == .building || scope == .campus }
}
