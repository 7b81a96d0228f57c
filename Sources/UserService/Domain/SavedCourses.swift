import CampusKit
import Foundation

/// The courses a student keeps on their profile for the GPA calculator: the page's rows as they
/// were left, unfinished ones included (a name without a grade yet), so they come back on the next
/// visit on any device. Grades and credits are checked as the calculator would check them, but
/// may be blank; whether they add up to a GPA is the calculator's business.
public struct SavedCourses: Sendable, Equatable {
    public struct Course: Sendable, Equatable {
        public var name: String
        /// A grade on the scale, or "" while not chosen.
        public var grade: String
        /// Nil while not entered.
        public var credits: Decimal?
        /// The index of the earlier attempt above it, for a retake.
        public var retakeOf: Int?

        public init(name: String, grade: String, credits: Decimal?, retakeOf: Int?) {
            self.name = name
            self.grade = grade
            self.credits = credits
            self.retakeOf = retakeOf
        }
    }

    public var courses: [Course]
    public var previousGPA: Decimal?
    public var previousCredits: Decimal?

    public static let empty = SavedCourses(courses: [], previousGPA: nil, previousCredits: nil)

    public init(courses: [Course], previousGPA: Decimal?, previousCredits: Decimal?) {
        self.courses = courses
        self.previousGPA = previousGPA
        self.previousCredits = previousCredits
    }

    /// The list as it is stored: names trimmed, grades in their canonical spelling. Every problem
    /// is a `FieldRefusal` naming the field as the client sent it (`courses[2].grade`).
    public static func checked(_ courses: [Course], previousGPA: Decimal?, previousCredits: Decimal?) throws(FieldRefusal) -> SavedCourses {
        guard courses.count <= GradeScale.maximumCourses else {
            throw FieldRefusal("courses", .notA(value: "\(courses.count) courses", kind: "a list of at most \(GradeScale.maximumCourses) courses"))
        }
        var retaken: Set<Int> = []
        var result: [Course] = []
        for (index, course) in courses.enumerated() {
            let name = course.name.trimmingCharacters(in: .whitespacesAndNewlines)
            try TextRule.check(name, field: "courses[\(index)].name", maximum: GradeScale.maximumNameLength, required: false)
            var grade = ""
            if !course.grade.trimmingCharacters(in: .whitespaces).isEmpty {
                guard let known = GradeScale.normalize(course.grade) else {
                    throw FieldRefusal("courses[\(index)].grade", .notOneOf(value: course.grade, allowed: GradeScale.table.map(\.grade)))
                }
                grade = known
            }
            if let credits = course.credits, credits <= 0 || credits > GradeScale.maximumCredits {
                throw FieldRefusal("courses[\(index)].credits", .notA(value: "\(credits)", kind: "more than 0 and at most \(GradeScale.maximumCredits)"))
            }
            if let earlier = course.retakeOf {
                guard earlier >= 0, earlier < index else {
                    throw FieldRefusal(
                        "courses[\(index)].retake_of",
                        .notA(
                            value: "\(earlier)",
                            kind: index == 0
                                ? "possible: the first course has no earlier attempt above it" : "the index of an earlier attempt above it, 0 to \(index - 1)"))
                }
                guard retaken.insert(earlier).inserted else {
                    throw FieldRefusal(
                        "courses[\(index)].retake_of",
                        .notA(value: "\(earlier)", kind: "free: courses[\(earlier)] is already retaken by a course above; retake that one"))
                }
            }
            result.append(Course(name: name, grade: grade, credits: course.credits, retakeOf: course.retakeOf))
        }
        if let previousGPA, previousGPA < 0 || previousGPA > 4 {
            throw FieldRefusal("previous_gpa", .notA(value: "\(previousGPA)", kind: "a GPA from 0 to 4"))
        }
        if let previousCredits, previousCredits < 0 {
            throw FieldRefusal("previous_credits", .notA(value: "\(previousCredits)", kind: "a number of credits of 0 or more"))
        }
        return SavedCourses(courses: result, previousGPA: previousGPA, previousCredits: previousCredits)
    }
}
