import Foundation
import TriageKit

/// One line of the triage data set (`Sources/TriageTraining/Data/tickets.jsonl`) or of the
/// outside test set (`outside.jsonl`, which also labels `scope` and `safety_risk`).
public struct LabelledTicket: Codable, Sendable, Equatable {
    public var title: String
    public var description: String
    public var location: String
    public var priority: Priority
    public var category: String
    public var scope: Impact.Scope?
    public var safetyRisk: Bool?
    /// Which writer's part the ticket comes from (Data/README.md); none for the first data set.
    public var part: String?

    enum CodingKeys: String, CodingKey {
        case title, description, location, priority, category, scope, part
        case safetyRisk = "safety_risk"
    }

    public init(
        title: String, description: String, location: String, priority: Priority, category: String, scope: Impact.Scope? = nil,
        safetyRisk: Bool? = nil, part: String? = nil
    ) {
        self.title = title
        self.description = description
        self.location = location
        self.priority = priority
        self.category = category
        self.scope = scope
        self.safetyRisk = safetyRisk
        self.part = part
    }

    /// Where the training data set lives in the repository, from its root.
    public static let repositoryPath = "Sources/TriageTraining/Data/tickets.jsonl"
    /// Where the outside test set lives: tickets written apart from the training data, by other
    /// hands and in other voices, that no model is ever trained on (Data/README.md).
    public static let outsidePath = "Sources/TriageTraining/Data/outside.jsonl"

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

    /// The training data set shipped in this module's bundle (the same file as in the repository).
    public static func bundled() throws -> [LabelledTicket] {
        try bundled("tickets")
    }

    /// The outside test set shipped in this module's bundle.
    public static func bundledOutside() throws -> [LabelledTicket] {
        try bundled("outside")
    }

    private static func bundled(_ name: String) throws -> [LabelledTicket] {
        guard let url = Bundle.module.url(forResource: name, withExtension: "jsonl") else {
            throw TriageModelError.missingResource("\(name).jsonl")
        }
        return try parse(jsonLines: Data(contentsOf: url))
    }
}

public enum LabelledTicketError: Error, CustomStringConvertible, Equatable {
    case badLine(Int, String)

    public var description: String {
        switch self {
        case .badLine(let line, let reason): "line \(line): \(reason)"
        }
    }
}
