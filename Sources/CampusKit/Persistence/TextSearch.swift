import FluentKit
import FluentSQL
import SQLKit

/// A list's `q`: words a person types to find something. Every word must appear, case-insensitively,
/// in at least one of the searched columns, so "lab 2 leak" finds "Leak under the sink in Lab 2".
/// Words are matched literally: `%` and `_` mean themselves, not SQL wildcards.
public struct TextSearch: Sendable, Equatable {
    public let words: [String]

    /// nil for a missing or blank query; at most 8 words are used. `+` separates words too: forms
    /// and `URLSearchParams` send a space as `+`, and the router does not turn it back into one.
    public init?(_ text: String?) {
        let words = (text ?? "").lowercased().split { $0.isWhitespace || $0 == "+" }.prefix(8).map(String.init)
        guard !words.isEmpty else { return nil }
        self.words = words
    }

    /// The filter for a Fluent query: `(lower(a) LIKE '%w%' OR lower(b) LIKE '%w%') AND …`.
    public func filter(columns: [String]) -> DatabaseQuery.Filter {
        let clauses: [any SQLExpression] = words.map { word in
            let pattern = "%" + Self.escaped(word) + "%"
            let matches: [any SQLExpression] = columns.map { column in
                SQLBinaryExpression(
                    SQLFunction("LOWER", args: SQLColumn(column)), .like,
                    SQLBinaryExpression(left: SQLBind(pattern), op: SQLRaw("ESCAPE"), right: SQLLiteral.string("\\"))
                )
            }
            return SQLGroupExpression(SQLList(matches, separator: SQLRaw(" OR ")))
        }
        return .sql(SQLList(clauses, separator: SQLRaw(" AND ")))
    }

    private static func escaped(_ word: String) -> String {
        var out = ""
        for character in word {
            if character == "%" || character == "_" || character == "\\" { out.append("\\") }
            out.append(character)
        }
        return out
    }
}
