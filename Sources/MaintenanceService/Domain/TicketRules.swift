import CampusKit
import Foundation

/// Validation of ticket input; every failure is a `FieldRefusal` naming the field.
public enum TicketRules {
    /// The categories a ticket may have: the ones triage knows.
    public static var categories: [String] { TriageCategories.all }

    /// A list's `order`: the technicians' queue (priority, then deadline) or newest first.
    public enum ListOrder: String, CaseIterable, Sendable {
        case queue, newest
    }

    public static func listOrder(_ raw: String) throws(FieldRefusal) -> ListOrder {
        guard let order = ListOrder(rawValue: raw) else { throw FieldRefusal("order", .notOneOf(value: raw, allowed: ListOrder.allCases.map(\.rawValue))) }
        return order
    }

    public static func categoryLabel(_ category: String) -> String { TriageCategories.label(category) }

    public static func text(_ raw: String, field: String, maximum: Int, required: Bool = true) throws(FieldRefusal) -> String {
        let text = raw.trimmingCharacters(in: .whitespacesAndNewlines)
        try TextRule.check(text, field: field, maximum: maximum, required: required, controls: .allowed)
        return text
    }

    public static func category(_ raw: String) throws(FieldRefusal) -> String {
        let category = raw.trimmingCharacters(in: .whitespaces).lowercased()
        guard categories.contains(category) else {
            throw FieldRefusal("category", .notOneOf(value: raw, allowed: categories))
        }
        return category
    }

    public static func priority(_ raw: String) throws(FieldRefusal) -> Priority {
        guard let priority = Priority(rawValue: raw.uppercased()) else {
            throw FieldRefusal("priority", .notOneOf(value: raw, allowed: Priority.allCases.map(\.rawValue)))
        }
        return priority
    }

    public static func status(_ raw: String, field: String = "status") throws(FieldRefusal) -> TicketStatus {
        guard let status = TicketStatus(rawValue: raw.lowercased()) else {
            throw FieldRefusal(field, .notOneOf(value: raw, allowed: TicketStatus.allCases.map(\.rawValue)))
        }
        return status
    }

    /// `created_from` and `created_to` (YYYY-MM-DD, both days included, on the campus clock) as the
    /// instants they span; either may be missing.
    public static func createdRange(from: String?, to: String?, timeZone: TimeZone) throws(FieldRefusal) -> Range<Date>? {
        guard from != nil || to != nil else { return nil }
        func day(_ raw: String?, _ field: String) throws(FieldRefusal) -> CalendarDate? {
            guard let raw else { return nil }
            guard let day = CalendarDate(raw) else { throw FieldRefusal(field, .notA(value: raw, kind: "a real day written as YYYY-MM-DD")) }
            return day
        }
        let first = try day(from, "created_from")
        let last = try day(to, "created_to")
        if let first, let last, last < first {
            throw FieldRefusal("created_to", .notA(value: "\(last)", kind: "a day on or after created_from (\(first))"))
        }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        func start(_ day: CalendarDate) -> Date {
            calendar.date(from: DateComponents(year: day.year, month: day.month, day: day.day)) ?? .distantPast
        }
        let lower = first.map(start) ?? .distantPast
        // A day past `distantFuture` (year 4001; the format allows 9999) finds nothing: an empty range, never an inverted one.
        return lower..<max(lower, last.map { start($0.adding(days: 1)) } ?? .distantFuture)
    }

    /// A refused move names the moves that are allowed.
    public static func transition(from current: TicketStatus, to next: TicketStatus) throws(TicketRefusal) {
        guard current != next else { return }
        guard current.canMove(to: next) else {
            throw TicketRefusal.invalidTransition(from: current, to: next)
        }
    }
}

/// What the ticket workflow refuses beyond a field's format.
public enum TicketRefusal: Error, Sendable, Equatable {
    /// `from` cannot move to `to` (the allowed moves are `from.allowedNext`).
    case invalidTransition(from: TicketStatus, to: TicketStatus)
    /// Resolving a ticket needs a resolution the reporter will read.
    case resolutionRequired
    /// A resolution is written when resolving, not at other times.
    case resolutionWithoutResolving
    /// A question for the reporter is asked when the ticket starts waiting on them, not otherwise.
    case questionWithoutWaiting
    /// Only the person who reported a ticket reopens it this way (technicians move it back to in progress).
    case reopenByOthers
    /// Only a resolved or closed ticket can be reopened.
    case notReopenable(TicketStatus)
    /// The reporter's time to reopen ended at `until`.
    case reopenWindowPassed(until: Date)
    /// A P0 is danger to people: its clock never stands still, so it does not wait on the reporter.
    case lifeSafetyCannotWait
    /// Only a ticket on a bookable room (`room_id`) can mark its room out of order.
    case noRoom
    /// A room is marked out of order (or back in order) only while its ticket is in work.
    case roomMarkNotInWork(TicketStatus)
}

/// The reporter's "still broken": a resolved or closed ticket goes back to work (in progress when
/// someone is assigned, open otherwise) within ``window`` of its resolution, its SLA clock starts
/// again, and the reason is on its history for the assignee to read.
public struct TicketReopen: TicketEdit, Equatable {
    /// How long after a resolution its reporter may reopen the ticket.
    public static let window: TimeInterval = 14 * 24 * 3600

    public let reason: String
    public let by: TicketActor
    /// How the new deadline is counted.
    public let clock: SLAClock

    public init(reason: String, by: TicketActor, clock: SLAClock = .aroundTheClock) {
        self.reason = reason
        self.by = by
        self.clock = clock
    }

    public func notices(for update: TicketUpdate, actor: String) throws -> [OutboxMessage] {
        try TicketNotices.reopened(update.after, reason: reason)
    }

    /// Applies the reopening to `ticket` at `now` and returns its history lines; refused, it changes nothing.
    public func apply(to ticket: inout Ticket, now: Date) throws(TicketRefusal) -> [String] {
        guard by.id == ticket.createdBy else { throw .reopenByOthers }
        guard let until = ticket.reopenableUntil else { throw .notReopenable(ticket.status) }
        guard now <= until else { throw .reopenWindowPassed(until: until) }
        var changed = ticket
        let next: TicketStatus = changed.assigneeID == nil ? .open : .inProgress
        let lines = [
            "Reopened by the reporter (\(changed.status.label) → \(next.label)): \(reason)",
            "The SLA clock starts again: due within \(clock.text(for: changed.priority))",
        ]
        changed.status = next
        changed.reopen(now: now, clock: clock)
        changed.updatedAt = now
        ticket = changed
        return lines
    }
}
