import Foundation
import TriageKit

/// Quality of the triage engine (model and rules together), from confusion matrices whose rows
/// are the labels and whose columns are the predictions. Built either by cross-validation
/// (``TriageTrainer/evaluate(examples:folds:settings:)``) or by triaging a held-out set with a
/// finished engine (``measure(_:on:)``).
public struct TriageEvaluation: Sendable {
    public struct Mistake: Sendable {
        public let ticket: LabelledTicket
        public let predicted: Priority
        public let signals: [String]
    }

    /// Folds of a cross-validation, or 0 when one engine triaged a held-out set.
    public let folds: Int
    public private(set) var examples = 0
    /// 5 × 5, P0 first.
    public private(set) var priorityConfusion = [[Int]](repeating: [Int](repeating: 0, count: 5), count: 5)
    public let categoryLabels = TriageCategories.all
    public private(set) var categoryConfusion = [[Int]](
        repeating: [Int](repeating: 0, count: TriageCategories.all.count), count: TriageCategories.all.count)
    /// Tickets labelled with a scope, and how many of them the engine gave the same scope.
    public private(set) var scopeLabelled = 0
    public private(set) var scopeAgreed = 0
    /// The same for `safety_risk`.
    public private(set) var safetyLabelled = 0
    public private(set) var safetyAgreed = 0
    /// Tickets whose priority was wrong, for reading.
    public private(set) var mistakes: [Mistake] = []

    init(folds: Int) { self.folds = folds }

    /// Triages every ticket with `engine` (which must never have been trained on them) and
    /// compares with the labels.
    public static func measure(_ engine: TriageEngine, on examples: [LabelledTicket]) -> TriageEvaluation {
        var evaluation = TriageEvaluation(folds: 0)
        for example in examples { evaluation.record(example, engine.triage(example.input)) }
        return evaluation
    }

    mutating func record(_ example: LabelledTicket, _ result: TriageResult) {
        examples += 1
        priorityConfusion[example.priority.level][result.priority.level] += 1
        if let actual = categoryLabels.firstIndex(of: example.category), let predicted = categoryLabels.firstIndex(of: result.category) {
            categoryConfusion[actual][predicted] += 1
        }
        if let scope = example.scope {
            scopeLabelled += 1
            if scope == result.impact.scope { scopeAgreed += 1 }
        }
        if let safetyRisk = example.safetyRisk {
            safetyLabelled += 1
            if safetyRisk == result.impact.safetyRisk { safetyAgreed += 1 }
        }
        if result.priority != example.priority {
            mistakes.append(.init(ticket: example, predicted: result.priority, signals: result.signals))
        }
    }

    public var priorityAccuracy: Double { Self.accuracy(priorityConfusion) }
    public var priorityMacroF1: Double { Self.macroF1(priorityConfusion) }
    public var priorityF1: [Double] { Self.f1(priorityConfusion) }
    public var categoryAccuracy: Double { Self.accuracy(categoryConfusion) }
    public var categoryMacroF1: Double { Self.macroF1(categoryConfusion) }

    /// Share of life-safety tickets (labelled P0) rated P0: the figure that matters most.
    public var p0Recall: Double {
        let labelled = priorityConfusion[0].reduce(0, +)
        return labelled == 0 ? 0 : Double(priorityConfusion[0][0]) / Double(labelled)
    }

    /// P0 tickets rated two or more levels low (P2, P3 or P4): should be none.
    public var p0RatedTwoOrMoreLow: Int { priorityConfusion[0].dropFirst(2).reduce(0, +) }

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

    /// Share of scope-labelled tickets given the labelled scope; nil when none is labelled.
    public var scopeAgreement: Double? { scopeLabelled == 0 ? nil : Double(scopeAgreed) / Double(scopeLabelled) }
    public var safetyAgreement: Double? { safetyLabelled == 0 ? nil : Double(safetyAgreed) / Double(safetyLabelled) }

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
