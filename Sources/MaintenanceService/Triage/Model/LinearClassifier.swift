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

    /// Class probabilities, in the order of `classes`, summing to 1.
    func probabilities(_ features: [(name: String, value: Double)]) -> [Double] {
        var scores = bias.map { Double($0) }
        for feature in features {
            guard let row = weights[feature.name] else { continue }
            for index in scores.indices where index < row.count {
                scores[index] += Double(row[index]) * feature.value
            }
        }
        let divisor = Double(max(scale, 1))
        let highest = scores.map { $0 / divisor }.max() ?? 0
        let exponentials = scores.map { exp($0 / divisor - highest) }
        let total = exponentials.reduce(0, +)
        return exponentials.map { $0 / total }
    }
}
