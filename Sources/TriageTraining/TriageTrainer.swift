import Foundation
import TriageKit

/// Trains the triage model from labelled tickets, and measures it by cross-validation.
public enum TriageTrainer {
    /// Same examples in the same order → the same model, byte for byte. The first stage on every
    /// example, then the decision model on the first stage's readings of the examples in
    /// ``TrainingSettings/decisionFolds`` folds, each read by a first stage trained on the others.
    public static func train(examples: [LabelledTicket], settings: TrainingSettings = .standard) -> TriageModel {
        let firstStage = trainFirstStage(examples: examples, settings: settings)
        guard settings.decisionFolds >= 2 else { return firstStage }
        let readings = outOfFoldReadings(Array(foldEngines(examples: examples, folds: settings.decisionFolds, settings: settings)), examples)
        return firstStage.with(decision: fitDecision(readings, labels: examples.map(\.priority.level), settings: settings))
    }

    /// Every example's decision features, read by the fold engine that never saw it.
    static func outOfFoldReadings(_ folds: [(engine: TriageEngine, held: [LabelledTicket])], _ examples: [LabelledTicket]) -> [[(name: String, value: Double)]]
    {
        let foldOf = foldAssignment(examples.map(\.priority), folds: folds.count)
        var next = [Int](repeating: 0, count: folds.count)
        return examples.indices.map { index in
            let fold = foldOf[index]
            defer { next[fold] += 1 }
            return folds[fold].engine.decisionReadings(folds[fold].held[next[fold]].input)
        }
    }

    /// The decision model (``TriageModel/decision``) over first-stage readings.
    static func fitDecision(_ readings: [[(name: String, value: Double)]], labels: [Int], settings: TrainingSettings) -> LinearClassifier {
        let vocabulary = DecisionFeatures.names
        let index = Dictionary(uniqueKeysWithValues: vocabulary.enumerated().map { ($1, $0) })
        let sparse = readings.map { features in
            features.compactMap { feature in index[feature.name].map { (index: $0, value: feature.value) } }.sorted { $0.index < $1.index }
        }
        let optimizer = SoftmaxRegression(
            epochs: settings.decisionEpochs, learningRate: settings.decisionLearningRate, regularization: settings.decisionRegularization)
        return fit(sparse, labels: labels, classes: Priority.allCases.map(\.rawValue), vocabulary: vocabulary, settings: settings, optimizer: optimizer)
    }

    /// The first stage alone: the priority, category, danger, safety and scope models, without a decision model.
    static func trainFirstStage(examples: [LabelledTicket], settings: TrainingSettings) -> TriageModel {
        let tickets = examples.map { TicketAnalysis(title: $0.title, description: $0.description, location: $0.location) }
        let features = tickets.map { FeatureExtractor.features($0, settings: settings) }

        var documentFrequency: [String: Int] = [:]
        for document in features {
            for feature in document { documentFrequency[feature.name, default: 0] += 1 }
        }
        let vocabulary = documentFrequency.filter { $0.value >= settings.minimumDocumentFrequency }.keys.sorted()
        let index = Dictionary(uniqueKeysWithValues: vocabulary.enumerated().map { ($1, $0) })
        let sparse = features.map { document in
            document.compactMap { feature in index[feature.name].map { (index: $0, value: feature.value) } }
                .sorted { $0.index < $1.index }
        }

        let priorityTargets = zip(examples, tickets).map { TriageEngine.modelTarget(label: $0.priority, ticket: $1).level }
        let priority = fit(
            sparse, labels: priorityTargets, classes: Priority.allCases.map(\.rawValue), vocabulary: vocabulary, settings: settings
        )
        let categories = TriageCategories.all
        let categoryTargets = examples.map { categories.firstIndex(of: $0.category) ?? (categories.count - 1) }
        let category = fit(sparse, labels: categoryTargets, classes: categories, vocabulary: vocabulary, settings: settings)
        let danger = trainDanger(tickets: tickets, examples: examples, settings: settings)
        let labelled = examples.indices.filter { examples[$0].safetyRisk != nil }
        let safety = fit(
            labelled.map { sparse[$0] }, labels: labelled.map { examples[$0].safetyRisk == true ? 0 : 1 }, classes: TriageModel.safetyClasses,
            vocabulary: vocabulary, settings: settings)
        // The scope model also reads the priority (the label's here, the decided one in triage).
        let located = examples.indices.filter { examples[$0].scope != nil }
        let scope = fit(
            located.map { sparse[$0] + [(index: vocabulary.count + examples[$0].priority.level, value: 1)] },
            labels: located.map { examples[$0].scope.flatMap(Impact.Scope.allCases.firstIndex(of:)) ?? 0 }, classes: TriageModel.scopeClasses,
            vocabulary: vocabulary + Priority.allCases.map(FeatureExtractor.priorityFeature), settings: settings)
        return TriageModel(
            trainingExamples: examples.count, settings: settings, priority: priority, category: category, danger: danger, safety: safety,
            scope: scope)
    }

    /// The danger model (``DangerClassifier``): P0, P1 or lower from concepts alone.
    static func trainDanger(tickets: [TicketAnalysis], examples: [LabelledTicket], settings: TrainingSettings) -> DangerClassifier {
        let documents = tickets.map { FeatureExtractor.dangerFeatures($0) }
        let targets = examples.map { min($0.priority.level, 2) }
        return DangerClassifier(classifier: fitDanger(documents, targets, settings: settings))
    }

    private static func fitDanger(_ documents: [[(name: String, value: Double)]], _ targets: [Int], settings: TrainingSettings) -> LinearClassifier {
        var frequency: [String: Int] = [:]
        for document in documents { for feature in document { frequency[feature.name, default: 0] += 1 } }
        let vocabulary = frequency.filter { $0.value >= settings.minimumDocumentFrequency }.keys.sorted()
        let index = Dictionary(uniqueKeysWithValues: vocabulary.enumerated().map { ($1, $0) })
        let sparse = documents.map { document in
            document.compactMap { feature in index[feature.name].map { (index: $0, value: feature.value) } }.sorted { $0.index < $1.index }
        }
        return fit(sparse, labels: targets, classes: DangerClassifier.classes, vocabulary: vocabulary, settings: settings)
    }

    /// Folds stratified by priority, fixed by the order of the examples: within each priority,
    /// the n-th ticket goes to fold n mod k.
    static func foldAssignment(_ labels: [Priority], folds k: Int) -> [Int] {
        var seen: [Priority: Int] = [:]
        return labels.map { label in
            defer { seen[label, default: 0] += 1 }
            return seen[label, default: 0] % k
        }
    }

    private static func fit(
        _ documents: [[(index: Int, value: Double)]], labels: [Int], classes: [String], vocabulary: [String],
        settings: TrainingSettings, optimizer: SoftmaxRegression? = nil
    ) -> LinearClassifier {
        let examples = zip(documents, labels).map { SoftmaxRegression.Example(features: $0, label: $1) }
        let optimizer =
            optimizer ?? SoftmaxRegression(epochs: settings.epochs, learningRate: settings.learningRate, regularization: settings.regularization)
        let (weights, bias) = optimizer.train(examples, featureCount: vocabulary.count, classCount: classes.count)
        func quantize(_ value: Double) -> Int { Int((value * Double(settings.weightScale)).rounded()) }

        var rows: [(name: String, weights: [Int], size: Int)] = []
        for (featureIndex, name) in vocabulary.enumerated() {
            let row = (0..<classes.count).map { klass in
                let weight = quantize(weights[featureIndex * classes.count + klass])
                return abs(weight) < settings.pruneBelow ? 0 : weight
            }
            let size = row.map(abs).max() ?? 0
            if size > 0 { rows.append((name, row, size)) }
        }
        // Largest first, names breaking ties, so the cut is the same on every run.
        rows.sort { $0.size != $1.size ? $0.size > $1.size : $0.name < $1.name }
        let kept = rows.prefix(max(0, settings.maximumFeatures))
        return LinearClassifier(
            classes: classes, scale: settings.weightScale, bias: bias.map(quantize),
            weights: Dictionary(uniqueKeysWithValues: kept.map { ($0.name, $0.weights) })
        )
    }

    /// k-fold cross-validation: each fold is triaged by a model trained on the other folds only.
    /// Folds are stratified by priority and fixed by the order of `examples`: within each
    /// priority, the n-th ticket goes to fold n mod k. Each fold's first stage is trained on the
    /// other folds; its decision model on the other folds' readings by their own fold engines, as
    /// the shipped model's is (so the k first stages serve both, and no fold trains k more).
    public static func evaluate(examples: [LabelledTicket], folds: Int = 5, settings: TrainingSettings = .standard) -> TriageEvaluation {
        let k = max(2, folds)
        var evaluation = TriageEvaluation(folds: k)
        let engines = Array(foldEngines(examples: examples, folds: k, settings: settings))
        let readings = settings.decisionFolds >= 2 ? outOfFoldReadings(engines, examples) : []
        let foldOf = foldAssignment(examples.map(\.priority), folds: k)
        for (fold, (engine, held)) in engines.enumerated() {
            var triage = engine
            if settings.decisionFolds >= 2 {
                let others = examples.indices.filter { foldOf[$0] != fold }
                let decision = fitDecision(others.map { readings[$0] }, labels: others.map { examples[$0].priority.level }, settings: settings)
                triage = TriageEngine(model: engine.model.with(decision: decision))
            }
            for example in held { evaluation.record(example, triage.triage(example.input)) }
        }
        return evaluation
    }

    /// The cross-validation's folds: each a first-stage engine (no decision model) trained on the
    /// other folds, and the tickets it never saw.
    public static func foldEngines(
        examples: [LabelledTicket], folds: Int = 5, settings: TrainingSettings = .standard
    ) -> some Sequence<(engine: TriageEngine, held: [LabelledTicket])> {
        let k = max(2, folds)
        let foldOf = foldAssignment(examples.map(\.priority), folds: k)
        return (0..<k).lazy.map { fold in
            let training = zip(examples, foldOf).filter { $0.1 != fold }.map(\.0)
            return (
                TriageEngine(model: trainFirstStage(examples: training, settings: settings)), zip(examples, foldOf).filter { $0.1 == fold }.map(\.0)
            )
        }
    }
}
