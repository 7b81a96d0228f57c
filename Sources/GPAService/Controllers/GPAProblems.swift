import CampusKit
import Foundation

/// The answers of the GPA arithmetic's refusals: 422 `validation_error` naming the field.
extension GPARefusal: ProblemConvertible {
    public var problem: APIError {
        switch self {
        case .tooManyCourses(let max, let got):
            .invalid("courses", "at most \(max) courses per calculation (got \(got))")
        case .unknownGrade(let course, let grade):
            .invalid("courses[\(course)].grade", "unknown grade \"\(grade)\"; use A+ to F, or P, NP, W, I")
        case .creditsOutOfRange(let course, let max, let got):
            .invalid("courses[\(course)].credits", "must be more than 0 and at most \(max) (got \(got))")
        case .noLetterGrade:
            .invalid("courses", "at least one course needs a letter grade (A+ to F); P, NP, W and I count toward no GPA")
        case .requiredTogether(let missing, let with):
            .invalid(missing, "is required with \(with)")
        case .gpaOutOfRange(let field, let max):
            .invalid(field, "must be between 0 and \(String(format: "%.1f", NSDecimalNumber(decimal: max).doubleValue))")
        case .negativeCredits(let field):
            .invalid(field, "must not be negative")
        case .noRemainingCredits:
            .invalid("remaining_credits", "must be more than 0")
        case .retakeNotAbove(let course, let got):
            course == 0
                ? .invalid("courses[0].retake_of", "must be null: the first course has no earlier attempt above it (got \(got))")
                : .invalid("courses[\(course)].retake_of", "must be the index of an earlier attempt above this course, 0 to \(course - 1) (got \(got))")
        case .alreadyRetaken(let course, let earlier, let by):
            .invalid("courses[\(course)].retake_of", "courses[\(earlier)] is already retaken by courses[\(by)]; a further retake is a retake of courses[\(by)]")
        case .field(let refusal):
            refusal.problem
        }
    }
}
