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
        let reading = ScopeDetector.scope(location: self.location, text: words)
        space = SpaceType.detect(location: self.location, text: words)
        // "Gents, ground floor library" is one space on a floor; "Library 2nd floor" is the floor.
        if !reading.explicit, reading.scope == .floor, ![.other, .library].contains(space) {
            (scope, scopeIsExplicit) = (.room, false)
        } else {
            (scope, scopeIsExplicit) = reading
        }
        reach = ScopeDetector.reach(scope: scope, explicit: scopeIsExplicit, location: self.location, words: words)
        let place = self.location
        let ownWords = SafetyRules.signals(in: words, location: place)
        if let glossed = glossedWords {
            let read = zip(glossed, fromGloss).filter { $0.1 || !Glossary.functionWords.contains($0.0) }.map(\.0)
            let spaceless = words.contains { $0.unicodeScalars.contains(where: Glossary.isSpaceless) }
            safety = ownWords + SafetyRules.glossedSignals(in: read, location: place, besides: ownWords, safetySystems: spaceless)
        } else {
            safety = ownWords
        }
        locationNames = ScopeDetector.namedByLocation(locationTokens)
        outage = OutageRule.finding(words: words + [Tokenizer.boundary] + self.location, scope: scope, reach: reach, named: locationNames)
    }

    /// The most urgent floor among signals that count, if any.
    var safetyFloor: Priority? {
        safety.filter(\.isActive).map(\.floor).max()
    }

    /// Building- and campus-wide problems are raised one level by the rules (see `TriageEngine`).
    var isWideScope: Bool { scope == .building || scope == .campus }
}
