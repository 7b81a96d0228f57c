import Foundation

/// The trained triage classifiers: the priority the text alone suggests, the category, danger
/// to people now, `safety_risk`, `scope`, and the decision model that weighs the first stage's
/// readings into the priority. Committed as `triage-model.json` next to this file
/// and shipped in the bundle.
public struct TriageModel: Codable, Sendable, Equatable {
    /// Bumped when the file layout or the feature extraction changes meaning.
    public static let currentFormat = 8
    /// Where the model lives in the repository, from its root (`campus triage train` writes here).
    public static let repositoryPath = "Sources/TriageKit/Model/triage-model.json"
    public static let safetyClasses = ["risk", "none"]
    public static let scopeClasses = Impact.Scope.allCases.map(\.rawValue)

    public let format: Int
    public let trainingExamples: Int
    public let settings: TrainingSettings
    /// Classes `P0`…`P4`. Predicts the priority before the rules layer: for building- and
    /// campus-wide tickets one level below the label, because the scope rule raises it back.
    public let priority: LinearClassifier
    public let category: LinearClassifier
    /// Danger to people now, from concepts rather than words (``DangerCues``).
    public let danger: DangerClassifier
    /// Classes `risk`, `none`: whether someone could be hurt (`impact.safety_risk`), learned from
    /// the tickets labelled with it, over the same features as the priority model.
    public let safety: LinearClassifier
    /// Classes `room`, `floor`, `building`, `campus`: how far the problem reaches (`impact.scope`),
    /// learned from the tickets labelled with it, over the same features.
    public let scope: LinearClassifier
    /// Classes `P0`…`P4`: the priority from what the first stage made of the ticket
    /// (``DecisionFeatures``), learned from its readings of tickets it was not trained on
    /// (``TrainingSettings/decisionFolds``). Without it (a first-stage model, as the
    /// cross-validation's folds train) the rules and thresholds decide alone.
    public let decision: LinearClassifier?

    public init(
        trainingExamples: Int, settings: TrainingSettings, priority: LinearClassifier, category: LinearClassifier, danger: DangerClassifier,
        safety: LinearClassifier, scope: LinearClassifier, decision: LinearClassifier? = nil
    ) {
        format = Self.currentFormat
        self.trainingExamples = trainingExamples
        self.settings = settings
        self.priority = priority
        self.category = category
        self.danger = danger
        self.safety = safety
        self.scope = scope
        self.decision = decision
    }

    /// This first-stage model with `decision` as its decision model.
    public func with(decision: LinearClassifier) -> TriageModel {
        TriageModel(
            trainingExamples: trainingExamples, settings: settings, priority: priority, category: category, danger: danger, safety: safety,
            scope: scope, decision: decision)
    }

    /// The model as committed: compact JSON with sorted keys, so equal models are equal bytes.
    public func encoded() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        var data = try encoder.encode(self)
        data.append(0x0A)
        return data
    }

    public static func decode(_ data: Data) throws -> TriageModel {
        let model = try JSONDecoder().decode(TriageModel.self, from: data)
        guard model.format == currentFormat else { throw TriageModelError.unsupportedFormat(model.format) }
        guard model.priority.classes == Priority.allCases.map(\.rawValue) else { throw TriageModelError.invalid("priority classes must be P0…P4") }
        guard model.danger.classifier.classes == DangerClassifier.classes else { throw TriageModelError.invalid("danger classes must be P0, P1, lower") }
        guard model.safety.classes == TriageModel.safetyClasses else { throw TriageModelError.invalid("safety classes must be risk, none") }
        guard model.scope.classes == TriageModel.scopeClasses else { throw TriageModelError.invalid("scope classes must be room, floor, building, campus") }
        guard model.settings.safetyThresholds.count == Priority.allCases.count else {
            throw TriageModelError.invalid("safetyThresholds must give one bar per priority, P0…P4")
        }
        if let decision = model.decision, decision.classes != Priority.allCases.map(\.rawValue) {
            throw TriageModelError.invalid("decision classes must be P0…P4")
        }
        for classifier in [model.priority, model.category, model.danger.classifier, model.safety, model.scope] + [model.decision].compactMap({ $0 }) {
            guard classifier.bias.count == classifier.classes.count,
                classifier.weights.values.allSatisfy({ $0.count == classifier.classes.count })
            else {
                throw TriageModelError.invalid("every weight row needs one weight per class")
            }
        }
        return model
    }

    /// The model shipped in this module's bundle.
    public static func bundled() throws -> TriageModel {
        guard let url = Bundle.module.url(forResource: "triage-model", withExtension: "json") else {
            throw TriageModelError.missingResource("triage-model.json")
        }
        return try decode(Data(contentsOf: url))
    }
}

public enum TriageModelError: Error, CustomStringConvertible, Equatable {
    case missingResource(String)
    case unsupportedFormat(Int)
    case invalid(String)

    public var description: String {
        switch self {
        case .missingResource(let name): "The triage resource \(name) is missing from the bundle."
        case .unsupportedFormat(let format):
            "The triage model has format \(format); this build reads format \(TriageModel.currentFormat). Run `campus triage train`."
        case .invalid(let reason): "The triage model is invalid: \(reason)."
        }
    }
}
