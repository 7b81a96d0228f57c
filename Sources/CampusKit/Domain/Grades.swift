import Foundation

/// docs/contract.md §7's grade scale, in one table. `nil` points: the grade counts toward no GPA.
/// Here in CampusKit because two services read it: the GPA calculator computes with it and the
/// user service checks the grades of the courses a student saves to their profile.
public enum GradeScale {
    public static let table: [(grade: String, points: Decimal?)] = [
        ("A+", 4.0), ("A", 4.0), ("A-", 3.7),
        ("B+", 3.3), ("B", 3.0), ("B-", 2.7),
        ("C+", 2.3), ("C", 2.0), ("C-", 1.7),
        ("D+", 1.3), ("D", 1.0), ("D-", 0.7),
        ("F", 0.0),
        ("P", nil), ("NP", nil), ("W", nil), ("I", nil),
    ].map { ($0.0, $0.1.map { Decimal(string: $0.description) ?? 0 }) }

    private static let byGrade: [String: Decimal?] = Dictionary(uniqueKeysWithValues: table.map { ($0.grade, $0.points) })

    /// The canonical grade for user text (`" b+ "` → `"B+"`), or nil if it is not on the scale.
    public static func normalize(_ text: String) -> String? {
        let grade = text.trimmingCharacters(in: .whitespacesAndNewlines).uppercased()
        return byGrade[grade] == nil ? nil : grade
    }

    /// Points of a known grade; nil for P, NP, W and I.
    public static func points(for grade: String) -> Decimal? {
        byGrade[grade] ?? nil
    }

    /// D+, D, D- and F: the grades a `replace_df` campus lets a retake replace.
    public static func isDOrF(_ grade: String) -> Bool {
        grade == "F" || grade.hasPrefix("D")
    }

    /// The most credits one course may carry.
    public static let maximumCredits: Decimal = 30
    /// The most courses in one calculation or one saved list.
    public static let maximumCourses = 100
    /// The longest course name.
    public static let maximumNameLength = 200
}

/// `GPA_RETAKE_POLICY`: which attempts of a retaken course count toward the GPA.
public enum RetakePolicy: String, Sendable, CaseIterable, Codable {
    /// The latest graded attempt counts; the earlier ones do not.
    case replace
    /// The course counts once, with the mean grade points of its graded attempts.
    case average
    /// A retake replaces an earlier D+, D, D- or F; an earlier C- or better still counts beside it.
    case replaceDF = "replace_df"

    /// One sentence for people: the page shows it beside the result.
    public var summary: String {
        switch self {
        case .replace: "A retake's grade replaces the earlier attempt's."
        case .average: "All graded attempts of a course are averaged, and the course counts once."
        case .replaceDF: "A retake replaces an earlier D or F; an earlier C- or better still counts too."
        }
    }
}

/// The body the GPA calculator and the saved courses both take:
/// `{"courses":[{"name","grade","credits","retake_of"}],"previous_gpa","previous_credits"}`.
/// Every field may be missing here (a saved row may be unfinished; the calculator says which it
/// needs). Unknown fields are refused: a misspelt `retake_of` would otherwise count both attempts unsaid.
public struct CourseListInput: Decodable, Sendable {
    public struct Course: Decodable, Sendable {
        public let name: String?
        public let grade: String?
        public let credits: Decimal?
        public let retakeOf: Int?

        enum CodingKeys: String, CodingKey, CaseIterable { case name, grade, credits, retakeOf }

        public init(from decoder: any Decoder) throws {
            try decoder.refuseUnknownKeys(besides: CodingKeys.self)
            let container = try decoder.container(keyedBy: CodingKeys.self)
            name = try container.decodeIfPresent(String.self, forKey: .name)
            grade = try container.decodeIfPresent(String.self, forKey: .grade)
            credits = try container.decodeIfPresent(Decimal.self, forKey: .credits)
            retakeOf = try container.decodeIfPresent(Int.self, forKey: .retakeOf)
        }
    }

    public let courses: [Course]
    public let previousGpa: Decimal?
    public let previousCredits: Decimal?

    enum CodingKeys: String, CodingKey, CaseIterable { case courses, previousGpa, previousCredits }

    public init(from decoder: any Decoder) throws {
        try decoder.refuseUnknownKeys(besides: CodingKeys.self)
        let container = try decoder.container(keyedBy: CodingKeys.self)
        courses = try container.decode([Course].self, forKey: .courses)
        previousGpa = try container.decodeIfPresent(Decimal.self, forKey: .previousGpa)
        previousCredits = try container.decodeIfPresent(Decimal.self, forKey: .previousCredits)
    }
}
