import Foundation

extension TriageEngine {
    package struct RuleDecision: Sendable, Equatable {
        package let priority: Priority
        let decidedByFloor: Bool
        let signals: [String]
        /// The confidence to report instead of the model's or a rule's, when neither applies.
        var confidence: Double? = nil
    }

    /// The rules layer over the model's priority (see the type's documentation for the order).
    package static func applyRules(base: Priority, ticket: TicketAnalysis) -> RuleDecision {
        var priority = base
        var signals: [String] = []

        if ticket.isWideScope {
            let label = ticket.scope == .campus ? "campus-wide" : "building-wide"
            if base == .p4 {
                signals.append("rule: \(label), but cosmetic or a request → not raised")
            } else if base == .p0 {
                signals.append("rule: \(label) → already P0")
            } else if base == .p1 {
                // P0 is danger to people or the rubric's outages, which have their own rules.
                signals.append("rule: \(label) → stays P1 (P0 needs danger or an outage)")
            } else {
                priority = base.raised(by: 1)
                signals.append("rule: \(label) → raised one level (\(base.rawValue) → \(priority.rawValue))")
            }
        }

        var decidedByFloor = false
        if let outage = ticket.outage {
            signals.append("rule: \(outage.name) → at least \(outage.floor.rawValue)")
            if outage.floor > priority {
                priority = outage.floor
                decidedByFloor = true
            }
        }
        for signal in ticket.safety {
            guard let suppression = signal.suppression else {
                signals.append("rule: life-safety '\(signal.name)' → at least \(signal.floor.rawValue)")
                if signal.floor > priority {
                    priority = signal.floor
                    decidedByFloor = true
                }
                continue
            }
            signals.append("rule: life-safety '\(signal.name)' ignored, \(suppression.rawValue) ('\(signal.evidence)')")
        }
        var seen: Set<String> = []
        return RuleDecision(priority: priority, decidedByFloor: decidedByFloor, signals: signals.filter { seen.insert($0).inserted })
    }

    /// The asymmetric decision over the rules' (``TrainingSettings/modelP0``): at least P0 when
    /// the priority model's P0 or the danger model's P0 reaches its threshold, far below one half,
    /// or both reach a lower one and the danger model has seen a hazard with someone exposed to it
    /// (without a hazard its P0 is only its prior; with one but nobody near it, "the gas safety
    /// leaflets have run out" was a P0); at least P1 when the priority model's P0 is not negligible.
    /// The danger model explains itself whenever it sees a hazard with people exposed, by the
    /// hazard × exposure pairs it read ("danger model: falling × under, falling × people (P0 0.41)").
    ///
    /// When the rules found alarm words and every one was denied ("not sparking any more"), the
    /// model's P0 leans on those words; its thresholds are then twice as high.
    static func applyAsymmetricCosts(
        _ settings: TrainingSettings, model: [Double], danger: [Double], cues: [String], alarmsDenied: Bool, to decision: RuleDecision
    ) -> RuleDecision {
        var floor: Priority?
        var signals = decision.signals
        let modelP0 = model.first ?? 0
        let dangerP0 = danger.first ?? 0
        func threshold(_ thousandths: Int) -> Double { Double(thousandths * (alarmsDenied ? 2 : 1)) / 1000 }
        if modelP0 >= threshold(settings.modelP0) {
            floor = .p0
            signals.append("model: P0 \(twoDecimals(modelP0)), over the recall-first threshold \(twoDecimals(threshold(settings.modelP0))) → at least P0")
        } else if modelP0 >= threshold(settings.jointP0), dangerP0 * 1000 >= Double(settings.jointP0), DangerCues.namesAnExposedHazard(cues) {
            floor = .p0
            signals.append(
                "model: P0 \(twoDecimals(modelP0)) over \(twoDecimals(threshold(settings.jointP0))) and danger model P0 \(twoDecimals(dangerP0)) over \(twoDecimals(Double(settings.jointP0) / 1000)) → at least P0"
            )
        } else if modelP0 >= threshold(settings.modelP1) {
            floor = .p1
            signals.append("model: P0 \(twoDecimals(modelP0)), over \(twoDecimals(threshold(settings.modelP1))) → at least P1")
        }
        let pairs = cues.filter { $0.hasPrefix("d:h=") && $0.contains("*") && !$0.hasSuffix("*nobody") }
            .map { $0.dropFirst(4).replacingOccurrences(of: "*", with: " × ") }
        if dangerP0 * 1000 >= Double(settings.dangerP0) {
            floor = .p0
            let hazards = cues.filter { $0.hasPrefix("d:h=") && !$0.contains("*") }.map { String($0.dropFirst(4)) }
            let why = (pairs.isEmpty ? hazards : Array(pairs.prefix(4))).joined(separator: ", ")
            signals.append("danger model: \(why.isEmpty ? "the rules' concepts" : why) (P0 \(twoDecimals(dangerP0))) → at least P0")
        } else if !pairs.isEmpty {
            signals.append("danger model: \(pairs.prefix(4).joined(separator: ", ")) (P0 \(twoDecimals(dangerP0)))")
        }
        guard let floor, floor > decision.priority else {
            return RuleDecision(priority: decision.priority, decidedByFloor: decision.decidedByFloor, signals: signals)
        }
        return RuleDecision(priority: floor, decidedByFloor: true, signals: signals)
    }

    /// At least P1 when most words are unknown to the model (``TrainingSettings/unknownWordsP1``).
    static func applyUnknownWords(_ settings: TrainingSettings, share: Double, to decision: RuleDecision) -> RuleDecision {
        guard share * 1000 >= Double(settings.unknownWordsP1) else { return decision }
        let percent = Int((share * 100).rounded())
        guard decision.priority < .p1 else {
            return RuleDecision(
                priority: decision.priority, decidedByFloor: decision.decidedByFloor,
                signals: decision.signals + ["model: \(percent) % of the words unknown"])
        }
        // Neither a rule's certainty nor the model's: as sure as the share of words it could read.
        return RuleDecision(
            priority: .p1, decidedByFloor: true, signals: decision.signals + ["model: \(percent) % of the words unknown → at least P1"],
            confidence: 1 - share)
    }

    /// The label the priority model is trained on: the rubric label, less the level the scope
    /// rule will add back (to P2 and P1, never to P0), so model and rules together reproduce the rubric.
    package static func modelTarget(label: Priority, ticket: TicketAnalysis) -> Priority {
        guard ticket.isWideScope, label == .p1 || label == .p2 else { return label }
        return label.lowered(by: 1)
    }
}
