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
        signals: [SafetySignal], safety: (probability: Double, threshold: Int)
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
            systems: systems, safetyRisk: safetyRisk(probability: safety.probability, threshold: safety.threshold, signals: signals, priority: priority),
            scope: scope,
            peopleAffectedEstimate: people)
    }

    /// Whether a person could be hurt (docs/contract.md §9 `safety_risk`): the safety classifier
    /// (``TriageModel/safety``, learned from the 4,925 training tickets that writers labelled with it) says so
    /// with at least the settings' probability, or the ticket is P0 and a life-safety rule set a P0
    /// floor (fire, smoke, live wires, someone trapped: never without a risk). A rule the decision
    /// model overruled ("SMOKE WEED graffiti in the bar toilets", P4) is no risk by itself: on the
    /// outside set, rules alone were wrong 48 times for 5 right.
    static func safetyRisk(probability: Double, threshold: Int, signals: [SafetySignal], priority: Priority) -> Bool {
        probability * 1000 >= Double(threshold) || (priority == .p0 && signals.contains { $0.isActive && $0.floor == .p0 })
    }
}
