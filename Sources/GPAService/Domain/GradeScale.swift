import Foundation

/// docs/contract.md §7's grade scale, in one table. `nil` points: the grade counts toward no GPA.
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
}
