import Foundation

/// The second opinion on priority: a small logistic regression over what a ticket says about
/// hazard, exposure, harm and urgency (``DangerCues``) and the rules' concepts, never over its
/// words. It answers "how likely is this danger to people now (P0), or a hazard or loss that
/// needs hours, not days (P1)?" and can only raise the priority.
///
/// Costs are asymmetric, so its thresholds are low (``TrainingSettings/dangerP0``).
public struct DangerClassifier: Codable, Sendable, Equatable {
    public static let classes = ["P0", "P1", "lower"]

    /// Classes ``classes``.
    public let classifier: LinearClassifier

    public init(classifier: LinearClassifier) {
        self.classifier = classifier
    }
}
