import Foundation

/// What the decision model (``TriageModel/decision``) reads: not a ticket's words but what the
/// first stage made of them. The priority model's and the danger model's probabilities (as
/// logarithms, so "0.001 or 0.01" counts as much as "0.1 or 1"), the floor the rules would set
/// (life-safety signals, outages), whether an alarm word was denied, whether the problem is
/// building- or campus-wide, how much of the text the model could read, whether a hazard has
/// someone exposed to it, and the safety model's `risk`. Every value is in [-1, 1].
///
/// So it learns, from tickets the first stage never trained on, when each of them is right:
/// that "Notice board for the Sparks robotics club" is not sparking though the rule fired, or
/// that a hazard with people under it and a P0 probability of 0.12 is danger.
package enum DecisionFeatures {
    /// Probabilities below this count as this: the logarithm stays in [-1, 0] once divided by its size.
    static let smallest = 0.001
    static let logScale = -log(smallest)

    package static func features(
        model: [Double], danger: [Double], ticket: TicketAnalysis, unknownShare: Double, dangerCues: [String], risk: Double
    ) -> [(name: String, value: Double)] {
        var features: [(name: String, value: Double)] = []
        features.reserveCapacity(27)
        for (priority, probability) in zip(Priority.allCases, model) {
            features.append(("s:model=" + priority.rawValue, log(max(probability, smallest)) / logScale))
        }
        for (klass, probability) in zip(DangerClassifier.classes, danger) {
            features.append(("s:danger=" + klass, log(max(probability, smallest)) / logScale))
        }
        // The rules' floor whatever the model says (a P4 base is never raised by scope).
        let floor = [ticket.outage?.floor, ticket.safetyFloor].compactMap { $0 }.max() ?? .p4
        features.append(("s:floor=" + floor.rawValue, 1))
        if ticket.safety.contains(where: { $0.isActive && $0.floor == .p0 }) { features.append(("s:alarm=P0", 1)) }
        if ticket.safety.contains(where: { $0.isActive && $0.floor == .p1 }) { features.append(("s:alarm=P1", 1)) }
        if ticket.safety.contains(where: { !$0.isActive }) { features.append(("s:alarm=denied", 1)) }
        if ticket.outage != nil { features.append(("s:outage", 1)) }
        if ticket.isWideScope { features.append(("s:wide", 1)) }
        if unknownShare > 0 { features.append(("s:unknown", unknownShare)) }
        // The cue names parsed once: exposure and the count come from the same pairs.
        let pairs = DangerCues.pairs(in: dangerCues)
        if pairs.contains(where: { DangerCues.exposures.contains($0.context) }) { features.append(("s:exposed", 1)) }
        // How: someone already hurt or ill, something over people, people still there. With one
        // reading for all three, the cross-validation's decision models took a lathe without its
        // guard, students at it, and an exam hall where two had fainted in the heat to P2.
        for context in Self.exposureKinds where pairs.contains(where: { $0.context == context }) {
            features.append(("s:exposed=" + context.rawValue, 1))
        }
        if !pairs.isEmpty { features.append(("s:pairs", min(Double(pairs.count) / 4, 1))) }
        let hazards = DangerCues.hazards(in: dangerCues).count
        if hazards > 0 { features.append(("s:hazards", min(Double(hazards) / 2, 1))) }
        features.append(("s:risk", risk))
        return features
    }

    static let exposureKinds: [DangerCues.Context] = [.harm, .under, .still]

    /// Every name ``features(model:danger:ticket:unknownShare:dangerCues:risk:)`` can give, in a fixed order.
    package static let names: [String] =
        Priority.allCases.map { "s:model=" + $0.rawValue } + DangerClassifier.classes.map { "s:danger=" + $0 }
        + Priority.allCases.map { "s:floor=" + $0.rawValue }
        + ["s:alarm=P0", "s:alarm=P1", "s:alarm=denied", "s:outage", "s:wide", "s:unknown", "s:exposed"]
        + exposureKinds.map { "s:exposed=" + $0.rawValue } + ["s:pairs", "s:hazards", "s:risk"]
}
