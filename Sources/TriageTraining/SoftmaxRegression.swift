import Foundation

/// Trains a multinomial logistic regression by stochastic gradient descent, deterministically:
/// a fixed number of epochs, a shuffle from a seeded generator, and arithmetic in a fixed
/// order, so the same examples give the same weights bit for bit on one platform.
struct SoftmaxRegression {
    struct Example {
        /// Feature indices with values, sorted by index.
        var features: [(index: Int, value: Double)]
        var label: Int
    }

    var epochs: Int
    var learningRate: Double
    /// L2 penalty applied to the weights an example touches (lazy regularisation).
    var regularization: Double
    var seed: UInt64 = 0x5EED_7121A6E

    /// Weights laid out by feature then class: `weights[feature * classes + class]`.
    func train(_ examples: [Example], featureCount: Int, classCount: Int) -> (weights: [Double], bias: [Double]) {
        var weights = [Double](repeating: 0, count: featureCount * classCount)
        var bias = [Double](repeating: 0, count: classCount)
        var order = Array(examples.indices)
        var random = SplitMix64(seed: seed)
        var scores = [Double](repeating: 0, count: classCount)
        var step = 0
        let totalSteps = Double(max(1, epochs * examples.count))

        for _ in 0..<epochs {
            random.shuffle(&order)
            for exampleIndex in order {
                let example = examples[exampleIndex]
                // Linear decay keeps early steps large and the last ones gentle, for stable weights.
                let rate = learningRate * (1 - Double(step) / totalSteps) + learningRate * 0.01
                step += 1

                for klass in 0..<classCount { scores[klass] = bias[klass] }
                for feature in example.features {
                    let row = feature.index * classCount
                    for klass in 0..<classCount { scores[klass] += weights[row + klass] * feature.value }
                }
                let highest = scores.max() ?? 0
                var total = 0.0
                for klass in 0..<classCount {
                    scores[klass] = exp(scores[klass] - highest)
                    total += scores[klass]
                }
                for klass in 0..<classCount {
                    let gradient = scores[klass] / total - (klass == example.label ? 1 : 0)
                    bias[klass] -= rate * gradient
                    for feature in example.features {
                        let position = feature.index * classCount + klass
                        weights[position] -= rate * (gradient * feature.value + regularization * weights[position])
                    }
                }
            }
        }
        return (weights, bias)
    }
}

/// A small, fast, seeded generator (SplitMix64): the shuffle is part of the training recipe.
struct SplitMix64: RandomNumberGenerator {
    private var state: UInt64
    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// Fisher–Yates with our own index draws: `Array.shuffle(using:)` may change its algorithm
    /// between Swift versions, which would change the model.
    mutating func shuffle(_ values: inout [Int]) {
        guard values.count > 1 else { return }
        for index in stride(from: values.count - 1, to: 0, by: -1) {
            let other = Int(next() % UInt64(index + 1))
            values.swapAt(index, other)
        }
    }
}
