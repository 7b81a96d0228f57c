import Foundation
import Testing

@testable import TriageKit
@testable import TriageTraining

/// The model file, its training and the cross-validated quality.
@Suite struct TriageModelTests {
    @Test func dataSetIsLargeBalancedAndCoversEveryCategory() {
        let examples = TriageFixtures.examples
        #expect(examples.count >= 800)
        for priority in Priority.allCases {
            #expect(examples.filter { $0.priority == priority }.count >= 150, "\(priority.rawValue)")
        }
        #expect(Set(examples.map(\.category)) == Set(TriageCategories.all))
    }

    /// The same data gives the same bytes: the committed model, written by another process
    /// (`campus triage train`), equals a fresh training here (retrain after changing data or
    /// features). Six trainings of the first stage: on all 6,392 tickets, and on each of the five
    /// folds whose readings the decision model learns from.
    @Test func trainingIsDeterministicAndTheCommittedModelIsUpToDate() async throws {
        let first = try await TriageFixtures.onItsOwnThread { try TriageTrainer.train(examples: TriageFixtures.examples).encoded() }
        let committed = try Data(contentsOf: TriageFixtures.repositoryRoot.appendingPathComponent(TriageModel.repositoryPath))
        #expect(committed == first, "the committed triage model is stale: run `swift run campus triage train`")
        let data = try Data(contentsOf: TriageFixtures.repositoryRoot.appendingPathComponent(LabelledTicket.repositoryPath))
        #expect(try LabelledTicket.parse(jsonLines: data) == TriageFixtures.examples)
    }

    /// A degradation guard on the five folds `campus triage eval` reports (the triage targets are
    /// optimised in debug builds, so this takes seconds). Cross-validation runs the whole engine,
    /// recall-first thresholds, the floor for unreadable tickets and the decision model included,
    /// over training parts in a dozen languages: it over-rates, by design: P0 recall 0.971,
    /// macro-F1 0.827, within one level 0.918, category 0.849, far from the goals.
    @Test func crossValidatedQualityStaysAboveTheFloor() async throws {
        let evaluation = try await TriageFixtures.onItsOwnThread { TriageTrainer.evaluate(examples: TriageFixtures.examples, folds: 5) }
        #expect(evaluation.examples == TriageFixtures.examples.count)
        #expect(evaluation.priorityConfusion.joined().reduce(0, +) == TriageFixtures.examples.count)
        #expect(evaluation.p0Recall >= 0.95, "P0 recall \(evaluation.p0Recall)")
        #expect(evaluation.priorityMacroF1 >= 0.825, "priority macro-F1 \(evaluation.priorityMacroF1)")
        #expect(evaluation.priorityWithinOne >= 0.92, "within one level \(evaluation.priorityWithinOne)")
        #expect(evaluation.categoryMacroF1 >= 0.84, "category macro-F1 \(evaluation.categoryMacroF1)")
    }

    @Test func metricsAreComputedFromTheConfusionMatrix() {
        let confusion = [[8, 2, 0, 0, 0], [1, 9, 0, 0, 0], [0, 0, 10, 0, 0], [0, 0, 0, 5, 5], [0, 0, 0, 0, 10]]
        #expect(abs(TriageEvaluation.accuracy(confusion) - 0.84) < 1e-9)
        let f1 = TriageEvaluation.f1(confusion)
        #expect(abs(f1[0] - 16.0 / 19.0) < 1e-9)  // 2·8 / (10 labelled + 9 predicted)
        #expect(abs(f1[3] - 10.0 / 15.0) < 1e-9)
        #expect(abs(TriageEvaluation.macroF1(confusion) - f1.reduce(0, +) / 5) < 1e-9)
    }

    @Test func modelFileRejectsAnotherFormat() throws {
        let model = try TriageModel.bundled()
        var json = try #require(try JSONSerialization.jsonObject(with: model.encoded()) as? [String: Any])
        json["format"] = 99
        #expect(throws: TriageModelError.unsupportedFormat(99)) {
            try TriageModel.decode(JSONSerialization.data(withJSONObject: json))
        }
    }

    @Test func dataSetLinesAreValidated() {
        #expect(throws: LabelledTicketError.self) {
            try LabelledTicket.parse(jsonLines: Data(#"{"title":"x","description":"y","location":"z","priority":"P9","category":"general"}"#.utf8))
        }
        #expect(throws: LabelledTicketError.badLine(2, "unknown category \"gardening\"")) {
            try LabelledTicket.parse(
                jsonLines: Data(
                    """
                    {"title":"x","description":"y","location":"z","priority":"P1","category":"general"}
                    {"title":"x","description":"y","location":"z","priority":"P1","category":"gardening"}
                    """.utf8))
        }
    }
}
