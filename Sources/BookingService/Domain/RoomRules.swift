import CampusKit
import Foundation

/// Validation of room fields; every failure names the field (`FieldRefusal`, `RoomRefusal`).
public enum RoomRules {
    public static let maximumTextLength = 100
    public static let capacityRange = 1...5000
    public static let maximumFeatures = 20
    public static let maximumFeatureLength = 40

    public static func name(_ raw: String) throws -> String { try text(raw, field: "name") }
    public static func building(_ raw: String) throws -> String { try text(raw, field: "building") }

    public static func capacity(_ value: Int) throws -> Int {
        guard capacityRange.contains(value) else {
            throw RoomRefusal.capacityOutOfRange(capacityRange)
        }
        return value
    }

    /// Lower-case words joined by underscores (`Video conferencing` → `video_conferencing`), no duplicates.
    public static func features(_ raw: [String]) throws -> [String] {
        guard raw.count <= maximumFeatures else { throw RoomRefusal.tooManyFeatures(max: maximumFeatures) }
        var result: [String] = []
        for (index, text) in raw.enumerated() {
            guard let feature = feature(text) else {
                throw FieldRefusal(
                    "features[\(index)]", .notA(value: text, kind: "a feature name (letters, digits and underscores, at most \(maximumFeatureLength))"))
            }
            if !result.contains(feature) { result.append(feature) }
        }
        return result
    }

    /// One feature in its stored form, or nil when it cannot be one.
    public static func feature(_ raw: String) -> String? {
        let words = raw.trimmingCharacters(in: .whitespacesAndNewlines).lowercased()
            .split(whereSeparator: { $0 == " " || $0 == "-" || $0 == "_" })
        let feature = words.joined(separator: "_")
        guard !feature.isEmpty, feature.count <= maximumFeatureLength,
            feature.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_") })
        else { return nil }
        return feature
    }

    private static func text(_ raw: String, field: String) throws -> String {
        let value = raw.trimmingCharacters(in: .whitespacesAndNewlines)
        try TextRule.check(value, field: field, maximum: maximumTextLength)
        return value
    }
}

/// What the room rules refuse beyond a field's format.
public enum RoomRefusal: Error, Sendable, Equatable {
    case capacityOutOfRange(ClosedRange<Int>)
    case tooManyFeatures(max: Int)
}
