import Foundation

/// The classifiers of a ``TriageModel`` merged for triage: one table lookup per feature gives
/// the priority, category, safety and scope weights, already as `Double`; the danger model, which
/// reads other features, has its own table. Built once per engine.
struct CompiledClassifiers: Sendable {
    /// Class probabilities of the classifiers that read the word features.
    struct Probabilities {
        let priority: [Double]
        let category: [Double]
        /// Whether someone could be hurt (``TriageModel/safetyClasses`` order: risk first).
        let safety: [Double]
        /// The scope model's scores before the priority is known (``scope(_:at:)``).
        let scopeScores: [Double]
    }

    /// Where each classifier's classes sit in a merged row.
    private let priority: Range<Int>
    private let category: Range<Int>
    private let safety: Range<Int>
    private let scope: Range<Int>
    private let bias: [Double]
    /// Feature → where its row starts in `table`: the priority, category, safety and scope weights
    /// side by side (zeros where one lacks it), `bias.count` of them. One flat table rather than an
    /// array per feature: some 100,000 rows, and a lookup costs one hash and no second pointer to follow.
    private let offsets: [String: Int]
    private let table: [Double]
    private let dangerBias: [Double]
    private let dangerRows: [String: [Double]]

    init(_ model: TriageModel) {
        let classifiers = [model.priority, model.category, model.safety, model.scope]
        var ranges: [Range<Int>] = []
        var start = 0
        for classifier in classifiers {
            ranges.append(start..<(start + classifier.classes.count))
            start += classifier.classes.count
        }
        (priority, category, safety, scope) = (ranges[0], ranges[1], ranges[2], ranges[3])
        var bias = [Double](repeating: 0, count: start)
        // Every name once, its row `start` wide; the table sized once.
        var offsets: [String: Int] = [:]
        for classifier in classifiers {
            for name in classifier.weights.keys where offsets[name] == nil { offsets[name] = offsets.count * start }
        }
        var table = [Double](repeating: 0, count: offsets.count * start)
        for (classifier, range) in zip(classifiers, ranges) {
            let scale = Double(max(classifier.scale, 1))
            for (offset, value) in classifier.bias.prefix(range.count).enumerated() { bias[range.lowerBound + offset] = Double(value) / scale }
            for (name, weights) in classifier.weights {
                guard let row = offsets[name] else { continue }
                for (offset, weight) in weights.prefix(range.count).enumerated() { table[row + range.lowerBound + offset] = Double(weight) / scale }
            }
        }
        self.bias = bias
        self.offsets = offsets
        self.table = table
        let danger = model.danger.classifier
        let dangerScale = Double(max(danger.scale, 1))
        dangerBias = danger.bias.map { Double($0) / dangerScale }
        dangerRows = danger.weights.mapValues { $0.map { Double($0) / dangerScale } }
    }

    /// The share of `words` (letters only, two or more) that no classifier knows as a word,
    /// nor as a word of its English gloss (``Glossary``).
    func unknownShare(_ words: [String], glosses: [String: [String]] = [:]) -> Double {
        var (total, unknown) = (0, 0)
        for word in words where word.count >= 2 && word.allSatisfy(\.isLetter) {
            total += 1
            if offsets["w:" + word] == nil, !(glosses[word]?.contains { offsets["w:" + $0] != nil } ?? false) { unknown += 1 }
        }
        return total == 0 ? 0 : Double(unknown) / Double(total)
    }

    /// P0, P1, lower: the danger model's probabilities.
    func dangerProbabilities(_ features: [(name: String, value: Double)]) -> [Double] {
        var scores = dangerBias
        for feature in features {
            guard let row = dangerRows[feature.name], row.count == scores.count else { continue }
            for index in scores.indices { scores[index] += row[index] * feature.value }
        }
        return Self.softmax(scores[...])
    }

    /// Class probabilities of the word-feature classifiers, each in the order of its `classes`.
    func probabilities(_ features: [(name: String, value: Double)]) -> Probabilities {
        var scores = bias
        let width = scores.count
        table.withUnsafeBufferPointer { table in
            for feature in features {
                guard let row = offsets[feature.name] else { continue }
                for index in 0..<width { scores[index] += table[row + index] * feature.value }
            }
        }
        return Probabilities(
            priority: Self.softmax(scores[priority]), category: Self.softmax(scores[category]), safety: Self.softmax(scores[safety]),
            scopeScores: Array(scores[scope]))
    }

    /// How far the problem reaches once the priority is decided: the scope model reads the
    /// priority as one more feature (``FeatureExtractor/priorityFeature(_:)``), as it was trained on the label's.
    func scope(_ probabilities: Probabilities, at priority: Priority) -> Impact.Scope {
        var scores = probabilities.scopeScores
        if let row = offsets[FeatureExtractor.priorityFeature(priority)] {
            for (offset, index) in scope.enumerated() { scores[offset] += table[row + index] }
        }
        let best = scores.indices.max { scores[$0] < scores[$1] } ?? 0
        return Impact.Scope.allCases.indices.contains(best) ? Impact.Scope.allCases[best] : .room
    }

    private static func softmax(_ scores: ArraySlice<Double>) -> [Double] {
        let highest = scores.max() ?? 0
        let exponentials = scores.map { exp($0 - highest) }
        let total = exponentials.reduce(0, +)
        return exponentials.map { $0 / total }
    }
}
