import Foundation
import TriageKit

/// Cross-validated quality of the triage engine (model and rules together), from confusion
/// matrices whose rows are the labels and whose columns are the predictions.
public struct TriageEvaluation: Sendable {
    public struct Mistake: Sendable {
        public let ticket: LabelledTicket
        public let predicted: Priority
        public let signals: [String]
    }

    public let folds: Int
    public let examples: Int
    /// 5 × 5, P0 first.
    public let priorityConfusion: [[Int]]
    public let categoryLabels: [String]
    public let categoryConfusion: [[Int]]
    /// Held-out tickets whose priority was wrong, for reading.
    public let mistakes: [Mistake]

    public var priorityAccuracy: Double { Self.accuracy(priorityConfusion) }
    public var priorityMacroF1: Double { Self.macroF1(priorityConfusion) }
    public var priorityF1: [Double] { Self.f1(priorityConfusion) }
    public var categoryAccuracy: Double { Self.accuracy(categoryConfusion) }
    public var categoryMacroF1: Double { Self.macroF1(categoryConfusion) }

    /// Share of tickets whose predicted priority is at most one level from the label.
    public var priorityWithinOne: Double {
        var near = 0
        var total = 0
        for (actual, row) in priorityConfusion.enumerated() {
            for (predicted, count) in row.enumerated() {
                total += count
                if abs(actual - predicted) <= 1 { near += count }
            }
        }
        return total == 0 ? 0 : Double(near) / Double(total)
    }

    static func accuracy(_ confusion: [[Int]]) -> Double {
        let total = confusion.joined().reduce(0, +)
        let correct = confusion.indices.reduce(0) { $0 + confusion[$1][$1] }
        return total == 0 ? 0 : Double(correct) / Double(total)
    }

    /// F1 per class; a class never labelled nor predicted scores 0.
    static func f1(_ confusion: [[Int]]) -> [Double] {
        confusion.indices.map { index in
            let truePositives = Double(confusion[index][index])
            let labelled = Double(confusion[index].reduce(0, +))
            let predicted = Double(confusion.reduce(0) { $0 + $1[index] })
            guard labelled + predicted > 0 else { return 0 }
            return 2 * truePositives / (labelled + predicted)
        }
    }

    static func macroF1(_ confusion: [[Int]]) -> Double {
        let scores = f1(confusion)
        return scores.isEmpty ? 0 : scores.reduce(0, +) / Double(scores.count)
    }
}
