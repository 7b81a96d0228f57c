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

/// In the model file `weights` is one string, a line per feature in name order: the name, a tab,
/// and its weights separated by spaces ("w:sparking\t310 -42 -90 -88 -90"). Decoding tens of
/// thousands of small JSON arrays took Foundation's decoder two seconds at every start; with one
/// string and this reader the whole start is 0.45 s, with the same weights and the same bytes for
/// the same model.
extension LinearClassifier {
    private enum CodingKeys: String, CodingKey { case classes, scale, bias, weights }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        classes = try container.decode([String].self, forKey: .classes)
        scale = try container.decode(Int.self, forKey: .scale)
        bias = try container.decode([Int].self, forKey: .bias)
        let rows = try container.decode(String.self, forKey: .weights)
        guard let weights = Self.weights(rows, width: classes.count) else {
            throw DecodingError.dataCorruptedError(
                forKey: .weights, in: container, debugDescription: "each line needs a name, a tab and \(classes.count) whole-number weights")
        }
        self.weights = weights
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(bias, forKey: .bias)
        try container.encode(classes, forKey: .classes)
        try container.encode(scale, forKey: .scale)
        var rows = ""
        for name in weights.keys.sorted() {
            guard !name.contains("\t"), !name.contains("\n") else {
                throw EncodingError.invalidValue(name, .init(codingPath: container.codingPath, debugDescription: "a feature name with a tab or a line break"))
            }
            rows += name + "\t" + (weights[name] ?? []).map(String.init).joined(separator: " ") + "\n"
        }
        try container.encode(rows, forKey: .weights)
    }

    /// The rows of `text`, each with exactly `width` weights; nil when a line is malformed.
    static func weights(_ text: String, width: Int) -> [String: [Int]]? {
        var weights: [String: [Int]] = [:]
        let bytes = Array(text.utf8)
        var start = 0
        while start < bytes.count {
            guard let tab = bytes[start...].firstIndex(of: 0x09) else { return nil }
            let end = bytes[tab...].firstIndex(of: 0x0A) ?? bytes.count
            var row: [Int] = []
            row.reserveCapacity(width)
            var (value, negative, digits) = (0, false, 0)
            for byte in bytes[(tab + 1)..<end] + [0x20] {
                switch byte {
                case 0x2D where digits == 0 && !negative: negative = true
                case 0x30...0x39:
                    value = value * 10 + Int(byte - 0x30)
                    digits += 1
                    guard digits <= 12 else { return nil }
                case 0x20:
                    guard digits > 0 else { return nil }
                    row.append(negative ? -value : value)
                    (value, negative, digits) = (0, false, 0)
                default: return nil
                }
            }
            guard row.count == width, weights.updateValue(row, forKey: String(decoding: bytes[start..<tab], as: UTF8.self)) == nil else { return nil }
            start = end + 1
        }
        return weights
    }
}
