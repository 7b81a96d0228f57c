import Foundation

extension TriageEngine {
    struct RuleDecision: Sendable, Equatable {
        let priority: Priority
        let decidedByFloor: Bool
        let signals: [String]
    }

    /// The rules layer over the model's priority (see the type's documentation for the order).
    static func applyRules(base: Priority, ticket: TicketAnalysis) -> RuleDecision {
        var priority = base
        var signals: [String] = []

        if ticket.isWideScope {
            let label = ticket.scope == .campus ? "campus-wide" : "building-wide"
            if base == .p4 {
                signals.append("rule: \(label), but cosmetic or a request → not raised")
            } else if base == .p0 {
                signals.append("rule: \(label) → already P0")
            } else if base == .p1 {
                // P0 is danger to people or the rubric's outages, which have their own rules.
                signals.append("rule: \(label) → stays P1 (P0 needs danger or an outage)")
            } else {
                priority = base.raised(by: 1)
                signals.append("rule: \(label) → raised one level (\(base.rawValue) → \(priority.rawValue))")
            }
        }

        var decidedByFloor = false
        if let outage = ticket.outage {
            signals.append("rule: \(outage.name) → at least \(outage.floor.rawValue)")
            if outage.floor > priority {
                priority = outage.floor
                decidedByFloor = true
            }
        }
        for signal in ticket.safety {
            guard let suppression = signal.suppression else {
                signals.append("rule: life-safety '\(signal.name)' → at least \(signal.floor.rawValue)")
                if signal.floor > priority {
                    priority = signal.floor
                    decidedByFloor = true
                }
                continue
            }
            signals.append("rule: life-safety '\(signal.name)' ignored, \(suppression.rawValue) ('\(signal.evidence)')")
        }
        var seen: Set<String> = []
        return RuleDecision(priority: priority, decidedByFloor: decidedByFloor, signals: signals.filter { seen.insert($0).inserted })
    }

    /// The label the priority model is trained on: the rubric label, less the level the scope
    /// rule will add back (to P2 and P1, never to P0), so model and rules together reproduce the rubric.
    package static func modelTarget(label: Priority, ticket: TicketAnalysis) -> Priority {
        guard ticket.isWideScope, label == .p1 || label == .p2 else { return label }
        return label.lowered(by: 1)
    }
}
