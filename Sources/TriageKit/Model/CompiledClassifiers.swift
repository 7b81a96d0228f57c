import Foundation

/// Both classifiers of a ``TriageModel`` merged for triage: one table lookup per feature gives
/// the priority and the category weights, already as `Double`. Built once per engine.
struct CompiledClassifiers: Sendable {
    let priorityClasses: Int
    let categoryClasses: Int
    private let priorityBias: [Double]
    private let categoryBias: [Double]
    /// Feature → priority weights followed by category weights (zeros where one model lacks it).
    private let rows: [String: [Double]]

    init(_ model: TriageModel) {
        priorityClasses = model.priority.classes.count
        categoryClasses = model.category.classes.count
        let priorityScale = Double(max(model.priority.scale, 1))
        let categoryScale = Double(max(model.category.scale, 1))
        priorityBias = model.priority.bias.map { Double($0) / priorityScale }
        categoryBias = model.category.bias.map { Double($0) / categoryScale }
        var rows: [String: [Double]] = [:]
        let width = priorityClasses + categoryClasses
        for (name, weights) in model.priority.weights {
            var row = [Double](repeating: 0, count: width)
            for (index, weight) in weights.prefix(priorityClasses).enumerated() { row[index] = Double(weight) / priorityScale }
            rows[name] = row
        }
        for (name, weights) in model.category.weights {
            var row = rows[name] ?? [Double](repeating: 0, count: width)
            for (index, weight) in weights.prefix(categoryClasses).enumerated() { row[priorityClasses + index] = Double(weight) / categoryScale }
            rows[name] = row
        }
        self.rows = rows
    }

    /// Class probabilities of both classifiers, each in the order of its `classes`.
    func probabilities(_ features: [(name: String, value: Double)]) -> (priority: [Double], category: [Double]) {
        var scores = priorityBias + categoryBias
        for feature in features {
            guard let row = rows[feature.name] else { continue }
            for index in scores.indices { scores[index] += row[index] * feature.value }
        }
        return (Self.softmax(scores[0..<priorityClasses]), Self.softmax(scores[priorityClasses...]))
    }

    private static func softmax(_ scores: ArraySlice<Double>) -> [Double] {
        let highest = scores.max() ?? 0
        let exponentials = scores.map { exp($0 - highest) }
        let total = exponentials.reduce(0, +)
        return exponentials.map { $0 / total }
    }
}
