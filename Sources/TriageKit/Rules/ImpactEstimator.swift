import Foundation

/// Builds a ticket's ``Impact`` from its category, words, scope and safety signals.
enum ImpactEstimator {
    /// People affected when a problem reaches beyond one space. A floor of a teaching building
    /// holds about 120 people, a building about 600, the campus about 8000 students and staff
    /// on a term day. The room-level table is ``SpaceType/typicalPeople``.
    static let peopleByScope: [Impact.Scope: Int] = [.floor: 120, .building: 600, .campus: 8000]

    /// The building system behind each category; `general` has none of its own.
    static let systemOfCategory: [String: String] = [
        "electrical": "electrical", "plumbing": "plumbing", "hvac": "hvac", "network": "network",
        "av_equipment": "av", "elevator": "elevator", "fire_safety": "fire_safety", "structural": "structural",
        "doors_windows": "doors_windows", "furniture": "furniture", "cleaning": "cleaning",
    ]

    /// Systems a ticket's words name besides its category's: "water on the socket" is plumbing
    /// and electrical. Order here is the order in `systems` after the category's own.
    private static let systemWords: [(String, Set<String>)] = [
        ("electrical", ["power", "electricity", "electrical", "socket", "sockets", "outlet", "outlets", "breaker", "fuse", "wiring", "wires", "electric"]),
        ("plumbing", ["water", "leak", "leaking", "pipe", "pipes", "drain", "drains", "sewage", "toilet", "toilets", "tap", "taps"]),
        ("hvac", ["heating", "heater", "radiator", "radiators", "ventilation", "boiler", "aircon", "ac", "cooling", "fume", "extraction"]),
        ("network", ["wifi", "internet", "network", "ethernet", "eduroam"]),
        ("elevator", ["lift", "lifts", "elevator", "elevators"]),
    ]

    /// The system each alarm-word signal implies (hazard signals carry their own).
    private static let systemOfSignal: [String: String] = [
        "fire": "fire_safety", "smoke": "fire_safety", "gas smell": "gas", "sparking": "electrical",
        "exposed live wires": "electrical", "electric shock": "electrical", "flooding": "plumbing",
        "trapped in lift": "elevator", "structural collapse": "structural", "burning smell": "fire_safety",
        "heat-damaged fitting": "electrical",
    ]

    static func estimate(
        category: String, priority: Priority, words: [String], scope: Impact.Scope, space: SpaceType,
        signals: [SafetySignal]
    ) -> Impact {
        var systems: [String] = []
        func add(_ system: String) { if !systems.contains(system) { systems.append(system) } }
        if let own = systemOfCategory[category] { add(own) }
        for signal in signals where signal.isActive {
            if let system = signal.system ?? systemOfSignal[signal.name] { add(system) }
        }
        // Minor and cosmetic tickets name things to say where they are ("paint peeling by the
        // lifts"); only a real fault involves the systems its words mention.
        if priority >= .p2 {  // P2, P1 or P0: more urgent compares greater
            let present = Set(words)
            for (system, cues) in systemWords where !present.isDisjoint(with: cues) { add(system) }
        }

        let people = scope == .room ? space.typicalPeople : max(space.typicalPeople, peopleByScope[scope] ?? 0)
        return Impact(
            systems: systems, safetyRisk: safetyRisk(category: category, priority: priority, words: words, signals: signals), scope: scope,
            peopleAffectedEstimate: people)
    }

    /// What a door, a seat edge or a lifted carpet catches.
    private static let bodyParts: Set<String> = ["foot", "feet", "toe", "toes", "finger", "fingers", "hand", "hands", "shin", "shins", "leg", "legs", "head"]
    /// Words that say someone could trip, slip or fall where they walk.
    private static let footing: Set<String> = ["trip", "tripped", "tripping", "trips", "slip", "slipped", "slipping", "slippery", "stumbled"]

    /// Whether a person could be hurt (docs/contract.md §9 `safety_risk`): every P0 (danger to
    /// people now, or an outage that leaves them without light, heat or a way out); any hazard
    /// or life-safety signal that counts; a safety system at fault (fire_safety at P1); a trip
    /// or slip; and, at P1, darkness or water spreading where people walk. Failing cooling of
    /// samples or servers is urgent but hurts no one.
    static func safetyRisk(category: String, priority: Priority, words: [String], signals: [SafetySignal]) -> Bool {
        if priority == .p0 { return true }
        if signals.contains(where: { $0.isActive && $0.hazard != .essential }) { return true }
        if category == "fire_safety", priority >= .p1 { return true }
        for (index, word) in words.enumerated() where !Negation.isNegated(words, at: index) {
            // "I tripped over it", "trip hazard"; not "the breaker tripped".
            if footing.contains(word) {
                let next = index + 1 < words.count ? words[index + 1] : ""
                let previous = index > 0 ? words[index - 1] : ""
                if !word.hasPrefix("trip") || ["over", "on", "up", "hazard", "hazards", "risk"].contains(next)
                    || SafetyVocabulary.people.contains(previous)
                {
                    return true
                }
            }
            if priority >= .p1, ["dark", "spreading", "pooling", "torches"].contains(word) { return true }
            // "someone caught their foot on it", "could catch a foot", "nearly caught fingers twice".
            if ["catch", "catches", "catching", "caught"].contains(word),
                words[(index + 1)..<min(words.count, index + 4)].contains(where: bodyParts.contains)
            {
                return true
            }
        }
        return false
    }
}
