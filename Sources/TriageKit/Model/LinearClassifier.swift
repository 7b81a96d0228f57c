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
