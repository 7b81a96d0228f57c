import CampusKit
import Foundation

/// GPA arithmetic in `Decimal` from input to result: no binary floating point anywhere, so
/// 2.675 rounds to 2.68 as a person expects.
public enum GPACalculator {
    public static let maximumCourses = GradeScale.maximumCourses
    public static let maximumCredits = GradeScale.maximumCredits
    public static let maximumGPA: Decimal = 4
    public static let maximumNameLength = GradeScale.maximumNameLength

    public struct Course: Sendable, Equatable {
        public var name: String
        public var grade: String
        public var credits: Decimal
        /// The index of the earlier attempt of this course in the same list (above it), if it is a retake.
        public var retakeOf: Int?
        public init(name: String, grade: String, credits: Decimal, retakeOf: Int? = nil) {
            self.name = name
            self.grade = grade
            self.credits = credits
            self.retakeOf = retakeOf
        }
    }

    public struct CourseResult: Sendable, Equatable {
        public let name: String
        public let grade: String
        public let credits: Decimal
        /// The grade's points; for the attempt that carries an averaged course, the mean of its attempts'.
        public let gradePoints: Decimal?
        /// What the course adds to the GPA: nil when it counts toward none (P, NP, W, I, or an attempt a retake replaced).
        public let qualityPoints: Decimal?
        public let retakeOf: Int?
        /// Whether its credits and points are in the GPA.
        public let counts: Bool
        /// Why an attempt of a retaken course counts or not, under the policy; nil for a course taken once.
        public let note: String?
    }

    public struct Result: Sendable, Equatable {
        public let gpa: Decimal
        public let totalCredits: Decimal
        public let qualityPoints: Decimal
        public let cumulativeGPA: Decimal
        public let courses: [CourseResult]
        public let retakePolicy: RetakePolicy
    }

    /// Validates and computes; every problem is a `GPARefusal` naming the field (`courses[2].grade`).
    /// Attempts of a retaken course count as `policy` says (`RetakeRule`).
    public static func calculate(
        courses: [Course], previousGPA: Decimal?, previousCredits: Decimal?, policy: RetakePolicy = .replace
    ) throws(GPARefusal) -> Result {
        guard courses.count <= maximumCourses else { throw .tooManyCourses(max: maximumCourses, got: courses.count) }
        var grades: [String] = []
        var retakenBy: [Int: Int] = [:]
        for (index, course) in courses.enumerated() {
            guard let grade = GradeScale.normalize(course.grade) else {
                throw .unknownGrade(course: index, grade: course.grade)
            }
            guard course.credits > 0, course.credits <= maximumCredits else {
                throw .creditsOutOfRange(course: index, max: maximumCredits, got: course.credits)
            }
            do {
                try TextRule.check(course.name, field: "courses[\(index)].name", maximum: maximumNameLength, required: false, controls: .allowed)
            } catch {
                throw .field(error)
            }
            if let earlier = course.retakeOf {
                guard earlier >= 0, earlier < index else { throw .retakeNotAbove(course: index, got: earlier) }
                if let other = retakenBy[earlier] { throw .alreadyRetaken(course: index, earlier: earlier, by: other) }
                retakenBy[earlier] = index
            }
            grades.append(grade)
        }
        let counting = RetakeRule(policy: policy).apply(to: courses.enumerated().map { .init(grade: grades[$0.offset], retakeOf: $0.element.retakeOf) })
        var results: [CourseResult] = []
        var credits: Decimal = 0
        var quality: Decimal = 0
        for (index, course) in courses.enumerated() {
            let outcome = counting[index]
            let points = outcome.gradePoints
            let coursePoints = outcome.counts ? points.map { $0 * course.credits } : nil
            if let coursePoints {
                credits += course.credits
                quality += coursePoints
            }
            results.append(
                CourseResult(
                    name: course.name, grade: grades[index], credits: course.credits, gradePoints: points, qualityPoints: coursePoints,
                    retakeOf: course.retakeOf, counts: coursePoints != nil, note: outcome.note))
        }
        guard credits > 0 else {
            throw .noLetterGrade
        }
        let gpa = quality / credits
        let cumulative = try cumulativeGPA(quality: quality, credits: credits, previousGPA: previousGPA, previousCredits: previousCredits) ?? gpa
        return Result(
            gpa: gpa.roundedHalfUp(), totalCredits: credits, qualityPoints: quality,
            cumulativeGPA: cumulative.roundedHalfUp(), courses: results, retakePolicy: policy
        )
    }

    private static func cumulativeGPA(quality: Decimal, credits: Decimal, previousGPA: Decimal?, previousCredits: Decimal?) throws(GPARefusal) -> Decimal? {
        switch (previousGPA, previousCredits) {
        case (nil, nil):
            return nil
        case (.some, nil):
            throw .requiredTogether(missing: "previous_credits", with: "previous_gpa")
        case (nil, .some):
            throw .requiredTogether(missing: "previous_gpa", with: "previous_credits")
        case (let gpa?, let earned?):
            guard gpa >= 0, gpa <= maximumGPA else { throw .gpaOutOfRange(field: "previous_gpa", max: maximumGPA) }
            guard earned >= 0 else { throw .negativeCredits(field: "previous_credits") }
            return (gpa * earned + quality) / (earned + credits)
        }
    }

    public struct Plan: Sendable, Equatable {
        public let requiredGPA: Decimal
        public let achievable: Bool
    }

    /// The GPA needed over `remainingCredits` to reach `targetGPA`. Not clamped: above 4 is out
    /// of reach, below 0 means the target is met whatever the remaining grades.
    public static func plan(currentGPA: Decimal, currentCredits: Decimal, targetGPA: Decimal, remainingCredits: Decimal) throws(GPARefusal) -> Plan {
        guard currentGPA >= 0, currentGPA <= maximumGPA else { throw .gpaOutOfRange(field: "current_gpa", max: maximumGPA) }
        guard currentCredits >= 0 else { throw .negativeCredits(field: "current_credits") }
        guard targetGPA >= 0, targetGPA <= maximumGPA else { throw .gpaOutOfRange(field: "target_gpa", max: maximumGPA) }
        guard remainingCredits > 0 else { throw .noRemainingCredits }
        let required = (targetGPA * (currentCredits + remainingCredits) - currentGPA * currentCredits) / remainingCredits
        // Decided on the exact value: 4.001 rounds to 4.00 for display but is still out of reach.
        return Plan(requiredGPA: required.roundedHalfUp(), achievable: required <= maximumGPA)
    }
}

/// What the GPA arithmetic refuses, each naming the field it is about.
public enum GPARefusal: Error, Sendable, Equatable {
    case tooManyCourses(max: Int, got: Int)
    /// `courses[course].grade` is not on the scale.
    case unknownGrade(course: Int, grade: String)
    case creditsOutOfRange(course: Int, max: Decimal, got: Decimal)
    /// Only P, NP, W or I: no grade counts toward a GPA.
    case noLetterGrade
    /// `missing` must be sent when `with` is.
    case requiredTogether(missing: String, with: String)
    case gpaOutOfRange(field: String, max: Decimal)
    case negativeCredits(field: String)
    case noRemainingCredits
    /// `courses[course].retake_of` does not name a course above it.
    case retakeNotAbove(course: Int, got: Int)
    /// `courses[course].retake_of` names an attempt that `by` already retakes.
    case alreadyRetaken(course: Int, earlier: Int, by: Int)
    case field(FieldRefusal)
}
