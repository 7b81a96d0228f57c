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

    /// The deadline of a `priority` ticket whose clock started at `start` and has since stood
    /// still for `paused` seconds of the time it counts (waiting on the reporter).
    public func due(from start: Date, priority: Priority, paused: Int = 0) -> Date {
        let seconds = priority.slaHours * 3600 + max(0, paused)
        guard let hours = calendar(for: priority) else { return start.addingTimeInterval(TimeInterval(seconds)) }
        return hours.adding(seconds: seconds, to: start, in: zone)
    }

    /// The seconds of `start..<end` that a `priority` ticket's clock counts: all of them around
    /// the clock, the working ones otherwise.
    public func counted(from start: Date, to end: Date, priority: Priority) -> Int {
        guard let hours = calendar(for: priority) else { return max(0, Int(end.timeIntervalSince(start).rounded(.down))) }
        return hours.seconds(from: start, to: end, in: zone)
    }

    /// A stretch of counted time as people say it: "2 h 5 min" ("of working time" on working hours).
    public func durationText(_ seconds: Int, priority: Priority) -> String {
        // To the nearest minute: 63 s is "1 min", 29 s "under a minute".
        let minutes = (seconds + 30) / 60
        let text =
            minutes == 0
            ? "under a minute" : minutes < 60 ? "\(minutes) min" : minutes % 60 == 0 ? "\(minutes / 60) h" : "\(minutes / 60) h \(minutes % 60) min"
        return calendar(for: priority) == nil ? text : "\(text) of working time"
    }

    /// The SLA as people say it: "4 hours" around the clock, "4 working hours" otherwise.
    public func text(for priority: Priority) -> String {
        guard calendar(for: priority) != nil else { return priority.slaText }
        return priority.slaHours == 1 ? "1 working hour" : "\(priority.slaHours) working hours"
    }
}
