import Foundation

/// The two outages docs/contract.md §9 names as P0 besides danger to people: "a whole building
/// without power" and a "campus-wide outage" (power, network, water, heating or cooling).
/// Degraded service ("wifi really slow across campus") is not an outage.
enum OutageRule {
    struct Finding: Sendable, Equatable {
        /// `building without power` or `campus-wide outage`.
        let name: String
        let floor: Priority
        /// How far the loss reaches when the name says it (`impact.scope` is at least this):
        /// none for a lift or an entrance, whose reach the scope model judges.
        let reach: Impact.Scope?
    }

    private static let services: [(service: String, words: Set<String>)] = [
        // "none of the lights or sockets work": the sockets are the power.
        ("power", ["power", "electricity", "electric", "electrics", "supply", "sockets", "outlets"]),
        ("network", ["network", "internet", "wifi", "eduroam", "ethernet", "wired"]),
        ("phones", ["phones", "telephones", "handsets", "phone", "telephone"]),
        ("water", ["water"]),
        ("heating", ["heating", "heat", "cooling", "aircon", "radiators"]),
        ("toilets", ["toilets", "loos", "wcs", "urinals"]),
        ("lights", ["lights", "lighting"]),
    ]
    /// Words that make a loss reach all of a floor or building: "all the toilets", "none of the phones".
    private static let wholeWords: Set<String> = ["all", "whole", "entire", "none", "every", "across", "throughout", "everywhere", "any"]
    private static let powerPoints: Set<String> = ["sockets", "outlets"]
    /// "no power", "without power", "lost power".
    private static let lossBefore: Set<String> = ["no", "without", "lost", "losing", "zero"]
    /// "power cut", "network is down", "internet went offline".
    private static let lossAfter: Set<String> = [
        "cut", "cuts", "outage", "outages", "failure", "failed", "out", "off", "down", "offline", "dead", "gone", "loss", "lost", "unresponsive",
    ]
    private static let linking: Set<String> = ["is", "has", "was", "went", "have", "are", "been", "completely", "totally", "all", "services", "supply"]

    /// The rubric's P0 outages, or else its P1 losses of extent: a floor or building without
    /// power, water, toilets or lights ("all toilets of a floor out"), a building's phones all
    /// dead, its only step-free lift out of service. `reach` is where the ticket's building
    /// part reaches (``ScopeDetector/reach(scope:explicit:location:words:)``); `named` what the
    /// location names by itself ("Linacre Court, Block A" is a building, "Arts Tower, Level 2" a
    /// floor), if it names no space inside.
    static func finding(words: [String], scope: Impact.Scope, reach: Impact.Scope, named: Impact.Scope?) -> Finding? {
        let lost = lostServices(words)
        if scope == .campus, !lost.isEmpty { return Finding(name: "campus-wide outage", floor: .p0, reach: .campus) }
        if scope == .building, lost.contains("power") { return Finding(name: "building without power", floor: .p0, reach: .building) }
        let wide = words.contains { wholeWords.contains($0) }
        // "all the lights on the first floor": a floor named in the words counts too.
        // "none of the radiators in Block A": the whole of the building the location names.
        let extent = max(reach, wide ? named ?? .room : .room)
        if wide, max(scope, extent) >= .floor || ScopeDetector.namesFloor(words),
            let service = ["power", "water", "toilets", "lights"].first(where: lost.contains)
        {
            return Finding(name: "\(extent.rawValue) without \(service)", floor: .p1, reach: extent)
        }
        if extent == .building, lost.contains("heating") { return Finding(name: "building without heating or cooling", floor: .p1, reach: .building) }
        if wide, lost.contains("phones") { return Finding(name: "phones out across the building", floor: .p1, reach: .building) }
        if stepFreeEntranceOut(words) { return Finding(name: "step-free entrance out of service", floor: .p1, reach: nil) }
        if let lift = liftOutOfService(words) {
            let around = words[max(0, lift - 6)..<min(words.count, lift + 7)]
            let stepFree = around.contains { $0 == "only" || stepFreeWords.contains($0) }
            return Finding(name: stepFree ? "only step-free lift out of service" : "lift out of service", floor: .p1, reach: nil)
        }
        return nil
    }

    /// "the door with the wheelchair button is not opening" at the "accessible entrance": like
    /// the only step-free lift, a building some cannot enter (P1). An accessible toilet's door
    /// is one room's.
    private static let stepFreeWords: Set<String> = ["accessible", "wheelchair", "dda", "disabled", "step"]
    private static func stepFreeEntranceOut(_ words: [String]) -> Bool {
        guard words.contains(where: ["entrance", "entry", "ramp"].contains) else { return false }
        for (index, word) in words.enumerated() where stepFreeWords.contains(word) {
            let around = words[max(0, index - 8)..<min(words.count, index + 9)]
            guard around.contains(where: ["door", "doors", "entrance", "entry", "ramp"].contains),
                !around.contains(where: ["toilet", "toilets", "loo", "wc", "bathroom", "shower"].contains)
            else { continue }
            for position in max(0, index - 12)..<min(words.count, index + 16) {
                let candidate = words[position]
                if ["broken", "stuck", "jammed", "failed", "dead"].contains(candidate) { return true }
                if ["open", "opening", "opens", "working", "work", "works"].contains(candidate), Negation.isNegated(words, at: position) { return true }
            }
        }
        return false
    }

    /// Parts of a lift whose fault leaves it running: "the lift button", "the lift's screen".
    private static let liftParts: Set<String> = [
        "button", "buttons", "light", "lights", "screen", "display", "panel", "voice", "music", "mirror", "mirrors", "announcement",
        "lobby", "wall", "walls", "floor", "carpet", "sign", "phone", "fan", "indicator", "call",
    ]
    private static let outOfUse: Set<String> = ["order", "service", "use", "action", "commission", "operation"]
    private static let liftStopped: Set<String> = ["oos", "stuck", "stopped", "broken", "dead", "out", "failed", "fault", "tripped"]

    /// Rubric P1: "lift out of service" ("Lift B stopped between floors", "lift OOS", "the only
    /// lift in the library is not working"). Returns where the lift is named.
    private static func liftOutOfService(_ words: [String]) -> Int? {
        for index in words.indices where SafetyVocabulary.isLift(words, at: index) {
            var position = index + 1
            if position < words.count, liftParts.contains(words[position]) { continue }
            while position < words.count, position <= index + 6, words[position] != Tokenizer.boundary {
                let next = words[position]
                // "out" only as "out of order / of service": "shows the floor one out" is a display,
                // "the certificate is out of date" paperwork.
                if liftStopped.contains(next),
                    next != "out" || (position + 2 < words.count && words[position + 1] == "of" && outOfUse.contains(words[position + 2])),
                    !Negation.isNegated(words, at: position)
                {
                    return index
                }
                if ["working", "moving", "move", "work"].contains(next), Negation.isNegated(words, at: position) { return index }
                position += 1
            }
        }
        return nil
    }

    /// Services the words say are gone, e.g. `["power"]`.
    static func lostServices(_ words: [String]) -> Set<String> {
        var lost: Set<String> = []
        for (index, word) in words.enumerated() {
            if word == "blackout" || word == "blackouts" {
                lost.insert("power")
                continue
            }
            guard let service = services.first(where: { $0.words.contains(word) })?.service else { continue }
            // "no sockets in the study room" is a request for some, not a loss of power.
            if index > 0, lossBefore.contains(words[index - 1]), !powerPoints.contains(word) {
                lost.insert(service)
                continue
            }
            // "total loss of power", "lost all power".
            if index > 1, ["loss", "lost", "lack"].contains(words[index - 2]), ["of", "all"].contains(words[index - 1]) {
                lost.insert(service)
                continue
            }
            // "none of the toilets flush", "none of their phones work", "none of the lights or sockets work".
            if words[max(0, index - 5)..<index].contains("none") {
                lost.insert(service)
                continue
            }
            var position = index + 1
            while position < words.count, position <= index + 3 {
                let next = words[position]
                if lossAfter.contains(next) {
                    lost.insert(service)
                    break
                }
                guard linking.contains(next) || services.contains(where: { $0.words.contains(next) }) || next == "and" else { break }
                position += 1
            }
        }
        return lost
    }
}
