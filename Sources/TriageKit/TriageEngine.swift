import Foundation

/// Automatic ticket triage: a statistical classifier for priority and category, with a rules
/// layer on top that a classifier alone cannot be trusted with.
///
/// 1. The priority model predicts the level the words suggest for the space in question.
/// 2. Building- and campus-wide problems are raised one level, to P1 at most: P0 needs danger
///    to people or an outage. Cosmetic work and requests (P4) stay P4: repainting a whole
///    building is still cosmetic (rubric P4).
/// 3. Life-safety signals (fire, smoke, gas, sparks, live wires, flooding, someone trapped,
///    structural collapse) set a floor of P0, burning smells and scorched fittings P1,
///    unless the text denies them ("no smoke"), makes them hypothetical or signage. The
///    rubric's own outages, a building without power and a campus-wide outage, are P0 too.
/// 4. Asymmetric costs: the priority model's P0 probability, and the danger model's
///    (``DangerClassifier``, which reads hazard × exposure rather than words), raise to P0 or P1
///    from thresholds far below one half (``TrainingSettings/modelP0``).
/// 5. A ticket most of whose words the model does not know (a language it never learnt) is at
///    least P1: the model's rating of it is only its prior (``TrainingSettings/unknownWordsP1``).
/// 6. The decision model (``TriageModel/decision``) weighs what steps 1–5 read (the models'
///    probabilities, the rules' floors, denied alarms, unknown words, hazards with people exposed)
///    into the priority, with its own recall-first thresholds: it learnt from tickets the first
///    stage was not trained on when a rule's alarm word or a threshold is right and when it is not.
/// 7. `impact.scope` and `impact.safety_risk` are learned too (``TriageModel/scope``,
///    ``TriageModel/safety``), from the rules' concepts as much as from the words; a scope
///    never says less than an outage rule's signal ("building without water" is the building's).
///
/// Immutable after `init`, so one engine serves every request concurrently.
public final class TriageEngine: Sendable {
    public let model: TriageModel
    private let classifiers: CompiledClassifiers

    /// Confidence reported when a life-safety rule, not the model, decided the priority.
    static let ruleConfidence = 0.9

    public init(model: TriageModel) {
        self.model = model
        classifiers = CompiledClassifiers(model)
    }

    /// An engine on the model shipped with this module. Decoding takes about 0.4 s in a release build:
    /// call once at start and keep the engine. The glossary the model reads other languages
    /// through is loaded here too, not by the first ticket triaged.
    public static func bundled() throws -> TriageEngine {
        _ = Glossary.standard
        return TriageEngine(model: try TriageModel.bundled())
    }

    /// What the first stage reads in a ticket: the classifiers' probabilities, its own decision
    /// (rules, thresholds, unknown words), and the decision model's features.
    private struct FirstStage {
        let ticket: TicketAnalysis
        let probabilities: CompiledClassifiers.Probabilities
        let decision: RuleDecision
        let readings: [(name: String, value: Double)]
        let unknownShare: Double
    }

    private func firstStage(_ input: TriageInput) -> FirstStage {
        let ticket = TicketAnalysis(title: input.title, description: input.description, location: input.location)
        let concepts = FeatureExtractor.concepts(ticket)
        let features = FeatureExtractor.features(ticket, settings: model.settings, concepts: concepts)
        let probabilities = classifiers.probabilities(features)
        let priorityProbabilities = probabilities.priority
        let base = Priority(level: Self.best(priorityProbabilities).index) ?? .p2
        let dangerFeatures = FeatureExtractor.dangerFeatures(ticket, concepts: concepts)
        let danger = classifiers.dangerProbabilities(dangerFeatures)
        let unknownShare = classifiers.unknownShare(ticket.words, glosses: ticket.glosses)
        let dangerCues = dangerFeatures.map(\.name)
        let decision = Self.applyUnknownWords(
            model.settings, share: unknownShare,
            to: Self.applyAsymmetricCosts(
                model.settings, model: priorityProbabilities, danger: danger, cues: dangerCues,
                alarmsDenied: !ticket.safety.isEmpty && !ticket.safety.contains(where: \.isActive),
                alarmActive: ticket.safety.contains { $0.isActive && $0.floor == .p0 },
                partlyUnread: unknownShare * 1000 >= Double(model.settings.decisionUnreadShare),
                to: Self.applyRules(base: base, ticket: ticket)))
        let readings = DecisionFeatures.features(
            model: priorityProbabilities, danger: danger, ticket: ticket, unknownShare: unknownShare, dangerCues: dangerCues,
            risk: probabilities.safety.first ?? 0)
        return FirstStage(ticket: ticket, probabilities: probabilities, decision: decision, readings: readings, unknownShare: unknownShare)
    }

    /// The decision model's features for `input` (``DecisionFeatures``), as the first stage reads it.
    package func decisionReadings(_ input: TriageInput) -> [(name: String, value: Double)] {
        firstStage(input).readings
    }

    /// The priority the first stage decides for `input`, before the decision model, with the
    /// decision model's features (``decisionReadings(_:)``), from one reading of the ticket.
    package func firstStageDecision(_ input: TriageInput) -> (priority: Priority, readings: [(name: String, value: Double)]) {
        let first = firstStage(input)
        return (first.decision.priority, first.readings)
    }

    public func triage(_ input: TriageInput) -> TriageResult {
        let first = firstStage(input)
        let (ticket, probabilities) = (first.ticket, first.probabilities)
        var decision = first.decision
        if let decisionModel = model.decision {
            decision = Self.applyDecisionModel(
                model.settings, probabilities: decisionModel.probabilities(first.readings), unknownShare: first.unknownShare, to: decision,
                safetySystemFault: ticket.safety.contains { $0.isActive && $0.hazard == .protection })
        }
        let categoryIndex = Self.best(probabilities.category).index
        let category = model.category.classes.indices.contains(categoryIndex) ? model.category.classes[categoryIndex] : "general"

        var signals = decision.signals
        signals.append("model: " + Self.leading(probabilities.priority, names: model.priority.classes))
        signals.append("category: " + Self.leading(probabilities.category, names: model.category.classes, count: 1))

        let impact = ImpactEstimator.estimate(
            category: category, priority: decision.priority, words: ticket.words,
            scope: max(classifiers.scope(probabilities, at: decision.priority), ticket.outage?.reach ?? .room),
            space: ticket.space, signals: ticket.safety, safety: (probabilities.safety.first ?? 0, model.settings.safetyThreshold(at: decision.priority))
        )
        let baseProbability = Self.best(probabilities.priority).probability
        return TriageResult(
            priority: decision.priority, category: category, slaHours: decision.priority.slaHours, impact: impact,
            confidence: Self.rounded(decision.confidence ?? (decision.decidedByFloor ? Self.ruleConfidence : baseProbability)), signals: signals
        )
    }

    package static func best(_ probabilities: [Double]) -> (index: Int, probability: Double) {
        var best = (index: 0, probability: -1.0)
        for (index, probability) in probabilities.enumerated() where probability > best.probability {
            best = (index, probability)
        }
        return best
    }

    /// "P1 0.72, P2 0.18": the leading classes, most probable first.
    private static func leading(_ probabilities: [Double], names: [String], count: Int = 2) -> String {
        let ranked = zip(names, probabilities).sorted { $0.1 != $1.1 ? $0.1 > $1.1 : $0.0 < $1.0 }
        return ranked.prefix(count).map { "\($0.0) \(twoDecimals($0.1))" }.joined(separator: ", ")
    }

    /// 0.7241 → "0.72", without `String(format:)`, which is slow on Linux.
    /// "62 % of the words unknown": how signals name the share of words the model never learnt.
    static func unknownWords(_ share: Double) -> String {
        "\(Int((share * 100).rounded())) % of the words unknown"
    }

    static func twoDecimals(_ value: Double) -> String {
        let hundredths = Int((min(max(value, 0), 1) * 100).rounded())
        return "\(hundredths / 100)." + (hundredths % 100 < 10 ? "0" : "") + "\(hundredths % 100)"
    }

    static func rounded(_ value: Double) -> Double {
        (min(max(value, 0), 1) * 1000).rounded() / 1000
    }
}
