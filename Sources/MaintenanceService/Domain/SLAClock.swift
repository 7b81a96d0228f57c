import CampusKit
import Foundation

/// How a ticket's SLA deadline is counted from when its clock starts: its priority's hours around
/// the clock, or, with `SLA_WORKING_HOURS`, working hours of the campus calendar (holidays off) for
/// P1 to P4. P0 is life safety: it always counts around the clock.
public struct SLAClock: Sendable, Equatable {
    public let workingHours: WorkingHours?
    public let zone: TimeZone

    public init(workingHours: WorkingHours?, zone: TimeZone) {
        self.workingHours = workingHours
        self.zone = zone
    }

    /// Every hour counts (no `SLA_WORKING_HOURS`).
    public static let aroundTheClock = SLAClock(workingHours: nil, zone: TimeZone(identifier: "UTC")!)

    /// The calendar `priority`'s clock runs on; nil: around the clock.
    func calendar(for priority: Priority) -> WorkingHours? {
        priority == .p0 ? nil : workingHours
    }

    /// The deadline of a `priority` ticket whose clock started at `start`.
    public func due(from start: Date, priority: Priority) -> Date {
        let seconds = priority.slaHours * 3600
        guard let hours = calendar(for: priority) else { return start.addingTimeInterval(TimeInterval(seconds)) }
        return hours.adding(seconds: seconds, to: start, in: zone)
    }

    /// The SLA as people say it: "4 hours" around the clock, "4 working hours" otherwise.
    public func text(for priority: Priority) -> String {
        guard calendar(for: priority) != nil else { return priority.slaText }
        return priority.slaHours == 1 ? "1 working hour" : "\(priority.slaHours) working hours"
    }
}
