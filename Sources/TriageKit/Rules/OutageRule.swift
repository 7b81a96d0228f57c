import Foundation

/// The two outages docs/contract.md §9 names as P0 besides danger to people: "a whole building
/// without power" and a "campus-wide outage" (power, network, water, heating or cooling).
/// Degraded service ("wifi really slow across campus") is not an outage.
enum OutageRule {
    struct Finding: Sendable, Equatable {
        /// `building without power` or `campus-wide outage`.
        let name: String
        let floor: Priority
    }

    private static let services: [(service: String, words: Set<String>)] = [
        ("power", ["power", "electricity", "electric", "electrics"]),
        ("network", ["network", "internet", "wifi", "eduroam", "ethernet", "wired", "phones"]),
        ("water", ["water"]),
        ("heating", ["heating", "heat", "cooling", "aircon"]),
    ]
    /// "no power", "without power", "lost power".
    private static let lossBefore: Set<String> = ["no", "without", "lost", "losing", "zero"]
    /// "power cut", "network is down", "internet went offline".
    private static let lossAfter: Set<String> = ["cut", "cuts", "outage", "outages", "failure", "failed", "out", "off", "down", "offline", "dead", "gone"]
    private static let linking: Set<String> = ["is", "has", "was", "went", "have", "are", "been", "completely", "totally", "all", "services", "supply"]

    static func finding(words: [String], scope: Impact.Scope) -> Finding? {
        guard scope == .building || scope == .campus else { return nil }
        let lost = lostServices(words)
        if scope == .campus, !lost.isEmpty { return Finding(name: "campus-wide outage", floor: .p0) }
        if scope == .building, lost.contains("power") { return Finding(name: "building without power", floor: .p0) }
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
            if index > 0, lossBefore.contains(words[index - 1]) {
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
