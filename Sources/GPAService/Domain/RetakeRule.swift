import CampusKit
import Foundation

/// Which attempts of a retaken course count toward the GPA under the campus's `RetakePolicy`, and
/// why, in a sentence for each attempt. Attempts form chains through `retakeOf` (each names the
/// attempt above it it retakes, and each attempt is retaken at most once: `GPACalculator` checks).
/// Only letter grades take part: a P, NP, W or I retake replaces nothing.
struct RetakeRule: Sendable {
    let policy: RetakePolicy

    struct Attempt: Sendable {
        /// A grade on the scale, already normalized.
        let grade: String
        let retakeOf: Int?
    }

    struct Outcome: Sendable, Equatable {
        /// The grade's points, or for the attempt carrying an averaged course, the mean of its attempts'.
        let gradePoints: Decimal?
        let counts: Bool
        let note: String?
    }

    /// One outcome per attempt, in their order.
    func apply(to attempts: [Attempt]) -> [Outcome] {
        var outcomes = attempts.map { attempt in
            let points = GradeScale.points(for: attempt.grade)
            return Outcome(gradePoints: points, counts: points != nil, note: nil)
        }
        var next: [Int: Int] = [:]
        for (index, attempt) in attempts.enumerated() {
            if let earlier = attempt.retakeOf { next[earlier] = index }
        }
        for (root, attempt) in attempts.enumerated() where attempt.retakeOf == nil && next[root] != nil {
            var chain = [root]
            while let later = next[chain[chain.count - 1]] { chain.append(later) }
            for (index, outcome) in decide(chain.map { attempts[$0].grade }).enumerated() {
                outcomes[chain[index]] = outcome
            }
        }
        return outcomes
    }

    /// The outcomes of one course's attempts, earliest first.
    private func decide(_ grades: [String]) -> [Outcome] {
        let points = grades.map { GradeScale.points(for: $0) }
        let graded = grades.indices.filter { points[$0] != nil }
        var outcomes: [Outcome] = grades.indices.map { index in
            guard points[index] == nil else { return Outcome(gradePoints: points[index], counts: true, note: nil) }
            let grade = grades[index]
            return Outcome(
                gradePoints: nil, counts: false,
                note: index == 0 ? "\(grade) counts toward no GPA: it is not a letter grade." : "\(grade) replaces nothing: it is not a letter grade.")
        }
        guard let last = graded.last else { return outcomes }
        let earlier = Array(graded.dropLast())
        let lastGrade = grades[last]
        if earlier.isEmpty {
            // one letter grade among attempts without one: it counts, whatever the policy
            let others = grades.indices.filter { $0 != last }.map { grades[$0] }
            let later = grades.indices.contains { $0 > last }
            let note =
                later
                ? "Still counts: the later attempt (\(Self.list(others))) is not a letter grade."
                : "Counts: the earlier \(Self.list(others)) is not a letter grade."
            outcomes[last] = Outcome(gradePoints: points[last], counts: true, note: note)
            return outcomes
        }
        switch policy {
        case .replace:
            for index in earlier {
                outcomes[index] = Outcome(gradePoints: points[index], counts: false, note: "Replaced by the retake graded \(lastGrade).")
            }
            outcomes[last] = Outcome(gradePoints: points[last], counts: true, note: "Replaces the earlier \(Self.list(earlier.map { grades[$0] })).")
        case .replaceDF:
            // Each graded attempt replaces the graded attempt just before it if that one is a D or F.
            let chain = earlier + [last]
            for (position, index) in chain.enumerated() {
                var sentences: [String] = []
                let next = position + 1 < chain.count ? chain[position + 1] : nil
                if let next {
                    sentences.append(
                        GradeScale.isDOrF(grades[index])
                            ? "Replaced by the retake graded \(grades[next]): a D or F is replaced."
                            : "Still counts beside the retake: only a D or F is replaced.")
                } else {
                    let kept = earlier.filter { !GradeScale.isDOrF(grades[$0]) }.map { grades[$0] }
                    if !kept.isEmpty { sentences.append("Counts beside the earlier \(Self.list(kept)).") }
                }
                if position > 0, GradeScale.isDOrF(grades[chain[position - 1]]) {
                    sentences.append("Replaces the earlier \(grades[chain[position - 1]]).")
                }
                let replaced = next != nil && GradeScale.isDOrF(grades[index])
                outcomes[index] = Outcome(gradePoints: points[index], counts: !replaced, note: sentences.joined(separator: " "))
            }
        case .average:
            let values = graded.compactMap { points[$0] }
            let mean = (values.reduce(0, +) / Decimal(values.count)).roundedHalfUp()
            for index in earlier {
                outcomes[index] = Outcome(
                    gradePoints: points[index], counts: false, note: "Averaged into the retake graded \(lastGrade): the course counts once.")
            }
            let parts = graded.map { "\(grades[$0]) (\(Self.format(points[$0] ?? 0, places: 1)))" }
            outcomes[last] = Outcome(gradePoints: mean, counts: true, note: "Average of \(Self.list(parts)): \(Self.format(mean, places: 2)).")
        }
        return outcomes
    }

    /// "D", "D and F", "F, D and C".
    static func list(_ items: [String]) -> String {
        items.count <= 1 ? items.joined() : items.dropLast().joined(separator: ", ") + " and " + items[items.count - 1]
    }

    static func format(_ value: Decimal, places: Int) -> String {
        let formatter = NumberFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.minimumFractionDigits = places
        formatter.maximumFractionDigits = places
        formatter.roundingMode = .halfUp
        return formatter.string(from: value as NSDecimalNumber) ?? "\(value)"
    }
}
