import Foundation

/// A multinomial logistic regression: one weight per (feature, class), softmax over classes.
///
/// Weights are stored as integers in units of `1 / scale`: the file stays small and the same
/// training gives the same bytes, without printing floating point numbers.
public struct LinearClassifier: Codable, Sendable, Equatable {
    public let classes: [String]
    public let scale: Int
    public let bias: [Int]
    /// Feature name → one weight per class, in the order of `classes`.
    public let weights: [String: [Int]]

    public init(classes: [String], scale: Int, bias: [Int], weights: [String: [Int]]) {
        self.classes = classes
        self.scale = scale
        self.bias = bias
        self.weights = weights
    }
}

extension LinearClassifier {
    /// Class probabilities for a feature vector, straight from the stored weights (the engine
    /// uses ``CompiledClassifiers``; this is for training and calibration).
    package func probabilities(_ features: [(name: String, value: Double)]) -> [Double] {
        let unit = Double(max(scale, 1))
        var scores = bias.map { Double($0) / unit }
        for feature in features {
            guard let row = weights[feature.name], row.count == scores.count else { continue }
            for index in scores.indices { scores[index] += Double(row[index]) / unit * feature.value }
        }
        let highest = scores.max() ?? 0
        let exponentials = scores.map { exp($0 - highest) }
        let total = exponentials.reduce(0, +)
        return exponentials.map { $0 / total }
    }
}
