import Foundation

extension TriageEngine {
    package struct RuleDecision: Sendable, Equatable {
        package let priority: Priority
        let decidedByFloor: Bool
        let signals: [String]
        /// The confidence to report instead of the model's or a rule's, when neither applies.
        var confidence: Double? = nil
        /// Most of the words are unknown to the model (``TrainingSettings/unknownWordsP1``): its
        /// reading is only a prior, so the decision model does not take it below P1 either.
        var unreadable = false
        /// A P0 rule fired and the priority model's own P0 reached its bar for P1
        /// (``TrainingSettings/modelP1``), or the priority model's P0 reached its recall-first bar
        /// (`modelP0`) and the danger model saw someone exposed to a hazard (seventeenth wave): two
        /// readings agree on danger, so the decision model keeps its low P0 bar and does
        /// not take it below P1 ("Fogo em lixeira atrás da cantina, chamas altas": fire rule,
        /// model P0 0.17, decision model P4 0.99). Until the twelfth wave the bar was the model's
        /// recall-first one (`modelP0`, 0.20); after it that ticket's model P0 was 0.17, and it went to P4.
        /// Also when the rule fired in a ticket at least `decisionUnreadShare` of whose words the
        /// model does not know: its readings are then partly priors and cannot overrule the alarm
        /// word (after the thirteenth wave that ticket's model P0 was 0.10, 30 % of its words unknown).
        var dangerAgreed: Bool { agreedChance != nil }
        /// When they agree (``dangerAgreed``), the priority model's P0 and P1 together: how likely it
        /// finds the ticket at least High, the `confidence` of a hold the decision model alone would
        /// not make (a P1 held this way had said "How sure 1 %", the decision model's own P0 and P1).
        var agreedChance: Double? = nil
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
        _ settings: TrainingSettings, model: [Double], danger: [Double], cues: [String], alarmsDenied: Bool, alarmActive: Bool,
        partlyUnread: Bool = false, to decision: RuleDecision
    ) -> RuleDecision {
        var floor: Priority?
        // How likely the floor's level is, as the model that set it reads it: the `confidence` to
        // report, not a rule's 0.9 ("How sure 90 %" beside "the chance it is Critical is 24 %").
        var chance: Double?
        var signals = decision.signals
        let modelP0 = model.first ?? 0
        let dangerP0 = danger.first ?? 0
        func threshold(_ thousandths: Int) -> Double { Double(thousandths * (alarmsDenied ? 2 : 1)) / 1000 }
        if modelP0 >= threshold(settings.modelP0) {
            (floor, chance) = (.p0, modelP0)
            signals.append("model: P0 \(twoDecimals(modelP0)), over the recall-first threshold \(twoDecimals(threshold(settings.modelP0))) → at least P0")
        } else if modelP0 >= threshold(settings.jointP0), dangerP0 * 1000 >= Double(settings.jointP0), DangerCues.namesAnExposedHazard(cues) {
            (floor, chance) = (.p0, max(modelP0, dangerP0))
            signals.append(
                "model: P0 \(twoDecimals(modelP0)) over \(twoDecimals(threshold(settings.jointP0))) and danger model P0 \(twoDecimals(dangerP0)) over \(twoDecimals(Double(settings.jointP0) / 1000)) → at least P0"
            )
        } else if modelP0 >= threshold(settings.modelP1) {
            (floor, chance) = (.p1, modelP0 + (model.count > 1 ? model[1] : 0))
            signals.append("model: P0 \(twoDecimals(modelP0)), over \(twoDecimals(threshold(settings.modelP1))) → at least P1")
        }
        let pairs = DangerCues.pairs(in: cues).filter { $0.context != .nobody }.map { "\($0.hazard.rawValue) × \($0.context.rawValue)" }
        if dangerP0 * 1000 >= Double(settings.dangerP0) {
            (floor, chance) = (.p0, max(dangerP0, floor == .p0 ? chance ?? 0 : 0))
            let hazards = DangerCues.hazards(in: cues).map(\.rawValue)
            let why = (pairs.isEmpty ? hazards : Array(pairs.prefix(4))).joined(separator: ", ")
            signals.append("danger model: \(why.isEmpty ? "the rules' concepts" : why) (P0 \(twoDecimals(dangerP0))) → at least P0")
        } else if !pairs.isEmpty {
            signals.append("danger model: \(pairs.prefix(4).joined(separator: ", ")) (P0 \(twoDecimals(dangerP0)))")
        }
        // Two readings agree on danger: an alarm rule and the word model, or (seventeenth wave) the
        // word model over its recall-first bar and the danger model seeing someone exposed to a
        // hazard. "One nearly went over the edge" (contractors on a roof without a harness; model P0
        // 0.21, danger model edge × people) had come to P1 beside the decision model's P2 reading.
        let agreed =
            (alarmActive && (modelP0 >= threshold(settings.modelP1) || partlyUnread))
            || (modelP0 >= threshold(settings.modelP0) && DangerCues.namesAnExposedHazard(cues))
        let agreedChance = agreed ? modelP0 + (model.count > 1 ? model[1] : 0) : nil
        guard let floor, floor > decision.priority else {
            return RuleDecision(
                priority: decision.priority, decidedByFloor: decision.decidedByFloor, signals: signals, agreedChance: agreedChance)
        }
        return RuleDecision(
            priority: floor, decidedByFloor: true, signals: signals, confidence: chance, agreedChance: agreedChance)
    }

    /// The decision model's priority (``TrainingSettings/decisionP0``): P0 when its P0 reaches
    /// `decisionP0` (`decisionP0Unread` when at least `decisionUnreadShare` of the words are
    /// unknown to the model: less to read, more caution); else its median level (``medianLevel(_:)``),
    /// at least P1 when its P0 reaches `decisionP1`. When that level is P1 or P2, P0 needs `decisionP0OverP1`
    /// (unless a P0 rule and the priority model agreed): P1 is then within one level of every likely
    /// reading.
    /// It takes a first-stage P1 below P1 only when its own P0 and P1 together stay under
    /// `decisionHold`, a first-stage P0 only under `decisionHoldP0`: what it corrects is mostly
    /// over-rating, and a P0 rated two levels low is the one mistake the costs do not allow, so a
    /// danger reading holds unless the decision model is fairly sure the ticket is neither ("SPARK
    /// hackathon: 40 tables to move", P4 1.00), and a P0 reading only when it is all but sure, never
    /// when a P0 rule and the priority model's P0 agree on it (``RuleDecision/dangerAgreed``). A ticket
    /// whose words are mostly unknown stays at least P1 whatever it says: its readings are priors.
    /// When that differs from the first stage's, a signal says so after the first stage's own.
    ///
    /// A faulty safety system a rule found (`safetySystemFault`: an extinguisher gone, a fire door
    /// that does not close, dead emergency lights; rubric P1) is not taken below P1 either: the
    /// decision model had taken "灭火器不见了" (the extinguisher is gone) to P4, reading an ordinary
    /// Chinese ticket (eighteenth wave, a first-time user). On the outside set it had lowered such a
    /// rule five times, all rightly, each about a sign of the system, which the rule now leaves out.
    static func applyDecisionModel(
        _ settings: TrainingSettings, probabilities: [Double], unknownShare: Double, to firstStage: RuleDecision,
        safetySystemFault: Bool = false
    ) -> RuleDecision {
        let p0 = probabilities.first ?? 0
        let partlyUnread = unknownShare * 1000 >= Double(settings.decisionUnreadShare)
        let p0Bar = partlyUnread ? settings.decisionP0Unread : settings.decisionP0
        let next = medianLevel(probabilities)
        // Beside a P1 or P2 reading, P1 is within one level of everything likely; a danger reading
        // the priority model agreed on keeps the low bar.
        let hedged = next >= .p2 && !firstStage.dangerAgreed ? max(p0Bar, settings.decisionP0OverP1) : p0Bar
        let reading = p0 * 1000 < Double(hedged) ? next : .p0
        let chance = probabilities.indices.contains(reading.level) ? probabilities[reading.level] : 0
        let read = "decision model: \(reading.rawValue) \(twoDecimals(chance))"
        var priority = reading
        // The unknown words lower the bar only where the hedge did not raise it: "(38 % of the
        // words unknown)" beside 0.15 had read as the reason a paving slab was Critical.
        let unreadBar = partlyUnread && hedged == p0Bar
        let over = "over \(twoDecimals(Double(hedged) / 1000))" + (unreadBar ? " (\(unknownWords(unknownShare)))" : "")
        var why = reading == .p0 ? "\(read), \(over)" : "\(read), P0 \(twoDecimals(p0))"
        var held = ""
        let hold = firstStage.priority == .p0 ? settings.decisionHoldP0 : settings.decisionHold
        let atLeastP1 = p0 + (probabilities.count > 1 ? probabilities[1] : 0)
        if reading < .p1 {
            if p0 * 1000 >= Double(settings.decisionP1) {
                priority = .p1
                why += " over \(twoDecimals(Double(settings.decisionP1) / 1000))"
            } else if firstStage.priority >= .p1, firstStage.unreadable {
                (priority, held) = (.p1, ", not lower while most words are unknown")
            } else if firstStage.priority >= .p1, firstStage.dangerAgreed || atLeastP1 * 1000 >= Double(hold) {
                (priority, held) = (.p1, ", not lower after a danger reading")
            } else if firstStage.priority >= .p1, safetySystemFault {
                (priority, held) = (.p1, ", not lower for a faulty safety system")
            }
        }
        guard priority != firstStage.priority else { return firstStage }
        if reading != .p0 { why += spread(probabilities, around: reading) }
        why += " → \(priority.rawValue) instead of \(firstStage.priority.rawValue)" + held
        // Held at P1 above its reading, it is a floor's decision, and reports how likely
        // the decision model finds P1 or worse (or, unread, the first stage's share of words it
        // could read), not a rule's 0.9: it is held out of caution, and "How sure" says so.
        let floored = priority != reading
        return RuleDecision(
            priority: priority, decidedByFloor: floored, signals: firstStage.signals + [why],
            confidence: floored ? (firstStage.unreadable ? firstStage.confidence : max(atLeastP1, firstStage.agreedChance ?? 0)) : chance,
            unreadable: firstStage.unreadable,
            agreedChance: firstStage.agreedChance)
    }

    /// When the median is not the likeliest level, which was, and how much of the reading lies within
    /// one level of the median: ", spread: P4 0.35 likeliest, P2 within one level of 0.62".
    static func spread(_ probabilities: [Double], around level: Priority) -> String {
        guard let likeliest = (1..<probabilities.count).max(by: { probabilities[$0] < probabilities[$1] }), likeliest != level.level
        else { return "" }
        let near = probabilities.indices.filter { abs($0 - level.level) <= 1 }.reduce(0) { $0 + probabilities[$1] }
        return ", spread: P\(likeliest) \(twoDecimals(probabilities[likeliest])) likeliest, \(level.rawValue) within one level of \(twoDecimals(near))"
    }

    /// The decision model's median level, at least P1: the first level, from P0 down, by which half
    /// its probability is reached. Its likeliest level until the seventeenth wave; the median is the
    /// level fewest levels (and fewest SLA hours) from the truth in expectation, so a reading spread
    /// over P2 0.30, P3 0.45 and P4 0.20 is P3 either way, but one of P1 0.25, P2 0.27, P3 0.10 and
    /// P4 0.35 is P2, within one level of three of its four readings, not P4, two below P2 and three below P1.
    static func medianLevel(_ probabilities: [Double]) -> Priority {
        var reached = 0.0
        for (level, probability) in probabilities.enumerated() {
            reached += probability
            if reached >= 0.5 { return Priority(level: max(1, level)) ?? .p1 }
        }
        return .p4
    }

    /// At least P1 when most words are unknown to the model (``TrainingSettings/unknownWordsP1``).
    static func applyUnknownWords(_ settings: TrainingSettings, share: Double, to decision: RuleDecision) -> RuleDecision {
        guard share * 1000 >= Double(settings.unknownWordsP1) else { return decision }
        guard decision.priority < .p1 else {
            return RuleDecision(
                priority: decision.priority, decidedByFloor: decision.decidedByFloor,
                signals: decision.signals + ["model: \(unknownWords(share))"], confidence: decision.confidence, unreadable: true,
                agreedChance: decision.agreedChance)
        }
        // Neither a rule's certainty nor the model's: as sure as the share of words it could read.
        return RuleDecision(
            priority: .p1, decidedByFloor: true, signals: decision.signals + ["model: \(unknownWords(share)) → at least P1"],
            confidence: 1 - share, unreadable: true, agreedChance: decision.agreedChance)
    }

    /// The label the priority model is trained on: the rubric label, less the level the scope
    /// rule will add back (to P2 and P1, never to P0), so model and rules together reproduce the rubric.
    package static func modelTarget(label: Priority, ticket: TicketAnalysis) -> Priority {
        guard ticket.isWideScope, label == .p1 || label == .p2 else { return label }
        return label.lowered(by: 1)
    }
}
