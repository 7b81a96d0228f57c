import CampusKit
import Foundation

/// GPA arithmetic in `Decimal` from input to result: no binary floating point anywhere, so
/// 2.675 rounds to 2.68 as a person expects.
public enum GPACalculator {
    public static let maximumCourses = 100
    public static let maximumCredits: Decimal = 30
    public static let maximumGPA: Decimal = 4

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

    /// Validates and computes; every problem is a 422 naming the field (`courses[2].grade`).
    public static func calculate(courses: [Course], previousGPA: Decimal?, previousCredits: Decimal?) throws -> Result {
        guard courses.count <= maximumCourses else {
            throw APIError.invalid("courses", "at most \(maximumCourses) courses per calculation (got \(courses.count))")
        }
        var results: [CourseResult] = []
        var credits: Decimal = 0
        var quality: Decimal = 0
        for (index, course) in courses.enumerated() {
            guard let grade = GradeScale.normalize(course.grade) else {
                throw APIError.invalid("courses[\(index)].grade", "unknown grade \"\(course.grade)\"; use A+ to F, or P, NP, W, I")
            }
            guard course.credits > 0, course.credits <= maximumCredits else {
                throw APIError.invalid("courses[\(index)].credits", "must be more than 0 and at most \(maximumCredits) (got \(course.credits))")
            }
            guard course.name.count <= 200 else {
                throw APIError.invalid("courses[\(index)].name", "must be at most 200 characters")
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
            throw APIError.invalid("courses", "at least one course needs a letter grade (A+ to F); P, NP, W and I count toward no GPA")
        }
        let gpa = quality / credits
        let cumulative = try cumulativeGPA(quality: quality, credits: credits, previousGPA: previousGPA, previousCredits: previousCredits) ?? gpa
        return Result(
            gpa: gpa.roundedHalfUp(), totalCredits: credits, qualityPoints: quality,
            cumulativeGPA: cumulative.roundedHalfUp(), courses: results
        )
    }

    private static func cumulativeGPA(quality: Decimal, credits: Decimal, previousGPA: Decimal?, previousCredits: Decimal?) throws -> Decimal? {
        switch (previousGPA, previousCredits) {
        case (nil, nil):
            return nil
        case (.some, nil):
            throw APIError.invalid("previous_credits", "is required with previous_gpa")
        case (nil, .some):
            throw APIError.invalid("previous_gpa", "is required with previous_credits")
        case let (gpa?, earned?):
            guard gpa >= 0, gpa <= maximumGPA else { throw APIError.invalid("previous_gpa", "must be between 0 and 4.0") }
            guard earned >= 0 else { throw APIError.invalid("previous_credits", "must not be negative") }
            return (gpa * earned + quality) / (earned + credits)
        }
    }

    public struct Plan: Sendable, Equatable {
        public let requiredGPA: Decimal
        public let achievable: Bool
    }

    /// The GPA needed over `remainingCredits` to reach `targetGPA`. Not clamped: above 4 is out
    /// of reach, below 0 means the target is met whatever the remaining grades.
    public static func plan(currentGPA: Decimal, currentCredits: Decimal, targetGPA: Decimal, remainingCredits: Decimal) throws -> Plan {
        guard currentGPA >= 0, currentGPA <= maximumGPA else { throw APIError.invalid("current_gpa", "must be between 0 and 4.0") }
        guard currentCredits >= 0 else { throw APIError.invalid("current_credits", "must not be negative") }
        guard targetGPA >= 0, targetGPA <= maximumGPA else { throw APIError.invalid("target_gpa", "must be between 0 and 4.0") }
        guard remainingCredits > 0 else { throw APIError.invalid("remaining_credits", "must be more than 0") }
        let required = (targetGPA * (currentCredits + remainingCredits) - currentGPA * currentCredits) / remainingCredits
        // Decided on the exact value: 4.001 rounds to 4.00 for display but is still out of reach.
        return Plan(requiredGPA: required.roundedHalfUp(), achievable: required <= maximumGPA)
    }
}
