import CampusKit
import Foundation

/// GPA arithmetic in `Decimal` from input to result: no binary floating point anywhere, so
/// 2.675 rounds to 2.68 as a person expects.
public enum GPACalculator {
    public static let maximumCourses = 100
    public static let maximumCredits: Decimal = 30
    public static let maximumGPA: Decimal = 4
    public static let maximumNameLength = 200

    public struct Course: Sendable, Equatable {
        public var name: String
        public var grade: String
        public var credits: Decimal
        public init(name: String, grade: String, credits: Decimal) {
            self.name = name
            self.grade = grade
            self.credits = credits
        }
    }

    public struct CourseResult: Sendable, Equatable {
        public let name: String
        public let grade: String
        public let credits: Decimal
        public let gradePoints: Decimal?
        public let qualityPoints: Decimal?
    }

    public struct Result: Sendable, Equatable {
        public let gpa: Decimal
        public let totalCredits: Decimal
        public let qualityPoints: Decimal
        public let cumulativeGPA: Decimal
        public let courses: [CourseResult]
    }

    /// Validates and computes; every problem is a `GPARefusal` naming the field (`courses[2].grade`).
    public static func calculate(courses: [Course], previousGPA: Decimal?, previousCredits: Decimal?) throws(GPARefusal) -> Result {
        guard courses.count <= maximumCourses else { throw .tooManyCourses(max: maximumCourses, got: courses.count) }
        var results: [CourseResult] = []
        var credits: Decimal = 0
        var quality: Decimal = 0
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
            let points = GradeScale.points(for: grade)
            let coursePoints = points.map { $0 * course.credits }
            if let points {
                credits += course.credits
                quality += points * course.credits
            }
            results.append(CourseResult(name: course.name, grade: grade, credits: course.credits, gradePoints: points, qualityPoints: coursePoints))
        }
        guard credits > 0 else {
            throw .noLetterGrade
        }
        let gpa = quality / credits
        let cumulative = try cumulativeGPA(quality: quality, credits: credits, previousGPA: previousGPA, previousCredits: previousCredits) ?? gpa
        return Result(
            gpa: gpa.roundedHalfUp(), totalCredits: credits, qualityPoints: quality,
            cumulativeGPA: cumulative.roundedHalfUp(), courses: results
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
    case field(FieldRefusal)
}
