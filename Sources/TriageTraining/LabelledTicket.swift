import Foundation
import TriageKit

/// One line of the triage data set (`Sources/TriageTraining/Data/tickets.jsonl`).
public struct LabelledTicket: Codable, Sendable, Equatable {
    public var title: String
    public var description: String
    public var location: String
    public var priority: Priority
    public var category: String

    public init(title: String, description: String, location: String, priority: Priority, category: String) {
        self.title = title
        self.description = description
        self.location = location
        self.priority = priority
        self.category = category
    }

    /// Where the data set lives in the repository, from its root.
    public static let repositoryPath = "Sources/TriageTraining/Data/tickets.jsonl"

    public var input: TriageInput { TriageInput(title: title, description: description, location: location) }

    /// Parses JSON Lines: one ticket per line, blank lines skipped. Errors name the line.
    public static func parse(jsonLines data: Data) throws -> [LabelledTicket] {
        let decoder = JSONDecoder()
        var tickets: [LabelledTicket] = []
        for (index, line) in data.split(separator: 0x0A, omittingEmptySubsequences: false).enumerated() {
            guard line.contains(where: { $0 != 0x20 && $0 != 0x0D && $0 != 0x09 }) else { continue }
            do {
                let ticket = try decoder.decode(LabelledTicket.self, from: Data(line))
                guard TriageCategories.all.contains(ticket.category) else {
                    throw LabelledTicketError.badLine(index + 1, "unknown category \"\(ticket.category)\"")
                }
                tickets.append(ticket)
            } catch let error as LabelledTicketError {
                throw error
            } catch {
                throw LabelledTicketError.badLine(index + 1, "\(error)")
            }
        }
        return tickets
    }

    /// The data set shipped in this module's bundle (the same file as in the repository).
    public static func bundled() throws -> [LabelledTicket] {
        guard let url = Bundle.module.url(forResource: "tickets", withExtension: "jsonl") else {
            throw TriageModelError.missingResource("tickets.jsonl")
        }
        return try parse(jsonLines: Data(contentsOf: url))
    }
}

public enum LabelledTicketError: Error, CustomStringConvertible, Equatable {
    case badLine(Int, String)

    public var description: String {
        switch self {
        case .badLine(let line, let reason): "tickets.jsonl line \(line): \(reason)"
        }
    }
}
