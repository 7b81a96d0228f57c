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
        let graded = grades.indices.filter { GradeScale.points(for: grades[$0]) != nil }
        var outcomes: [Outcome] = grades.indices.map { index in
            let grade = grades[index]
            guard GradeScale.points(for: grade) == nil else { return Outcome(gradePoints: GradeScale.points(for: grade), counts: true, note: nil) }
            return Outcome(gradePoints: nil, counts: false, note: index == 0 ? nil : "\(grade) replaces nothing: it is not a letter grade.")
        }
        guard let last = graded.last else { return outcomes }
        let earlier = graded.dropLast()
        let lastGrade = grades[last]
        if earlier.isEmpty {
            if let ungradedLater = grades.indices.last(where: { $0 > last }) {
                outcomes[last] = Outcome(
                    gradePoints: GradeScale.points(for: lastGrade), counts: true,
                    note: "Still counts: the later attempt (\(grades[ungradedLater])) is not a letter grade.")
            }
            return outcomes
        }
        switch policy {
        case .replace:
            for index in earlier {
                outcomes[index] = Outcome(
                    gradePoints: GradeScale.points(for: grades[index]), counts: false, note: "Replaced by the retake graded \(lastGrade).")
            }
            outcomes[last] = Outcome(
                gradePoints: GradeScale.points(for: lastGrade), counts: true, note: "Replaces the earlier \(Self.list(earlier.map { grades[$0] })).")
        case .replaceDF:
            var replaced: [String] = []
            var kept: [String] = []
            for (position, index) in earlier.enumerated() {
                let grade = grades[index]
                let replacer = grades[position + 1 < earlier.count ? earlier[earlier.startIndex + position + 1] : last]
                if GradeScale.isDOrF(grade) {
                    replaced.append(grade)
                    outcomes[index] = Outcome(
                        gradePoints: GradeScale.points(for: grade), counts: false, note: "Replaced by the retake graded \(replacer): a D or F is replaced.")
                } else {
                    kept.append(grade)
                    outcomes[index] = Outcome(
                        gradePoints: GradeScale.points(for: grade), counts: true, note: "Still counts beside the retake: only a D or F is replaced.")
                }
            }
            let parts = [
                replaced.isEmpty ? nil : "Replaces the earlier \(Self.list(replaced))", kept.isEmpty ? nil : "counts beside the earlier \(Self.list(kept))",
            ].compactMap { $0 }
            let sentence = parts.joined(separator: "; ")
            outcomes[last] = Outcome(
                gradePoints: GradeScale.points(for: lastGrade), counts: true, note: sentence.prefix(1).uppercased() + sentence.dropFirst() + ".")
        case .average:
            let points = graded.compactMap { GradeScale.points(for: grades[$0]) }
            let mean = (points.reduce(0, +) / Decimal(points.count)).roundedHalfUp()
            for index in earlier {
                outcomes[index] = Outcome(
                    gradePoints: GradeScale.points(for: grades[index]), counts: false,
                    note: "Averaged into the retake graded \(lastGrade): the course counts once.")
            }
            let parts = graded.map { "\(grades[$0]) (\(Self.format(GradeScale.points(for: grades[$0]) ?? 0, places: 1)))" }
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
