import CampusKit

/// The answers of the ticket workflow's refusals.
extension TicketRefusal: ProblemConvertible {
    public var problem: APIError {
        switch self {
        case .invalidTransition(let from, let to):
            .invalid(
                "status",
                "a ticket that is \(from.rawValue) cannot become \(to.rawValue); "
                    + (from.allowedNext.isEmpty ? "it is final" : "allowed: \(from.allowedNext.map(\.rawValue).joined(separator: ", "))"),
                code: "invalid_transition"
            )
        }
    }
}
