import CampusKit
import Foundation
import Testing

@testable import MaintenanceService

/// SLA clocks on a campus calendar (`SLA_WORKING_HOURS`, `SLA_HOLIDAYS`): deadlines worked out
/// by hand in the comments, in a zone with daylight saving time.
@Suite struct WorkingHoursTests {
    let zone = TimeZone(identifier: "Europe/Berlin")!

    /// A moment on the campus's wall clock.
    func at(_ text: String) -> Date {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        let parts = text.split(whereSeparator: { "- :".contains($0) }).compactMap { Int($0) }
        return calendar.date(from: DateComponents(year: parts[0], month: parts[1], day: parts[2], hour: parts[3], minute: parts[4]))!
    }

    var clock: SLAClock {
        SLAClock(workingHours: WorkingHours("Mon-Fri 08:00-18:00", holidays: [CalendarDate("2026-12-25")!]), zone: zone)
    }

    @Test func workingHoursAreReadAsPeopleWriteThem() {
        #expect(WorkingHours("Mon-Fri 08:00-18:00")?.weekdays == [1, 2, 3, 4, 5])
        #expect(WorkingHours("mon,wed,fri-sun 07:30-19:00")?.weekdays == [1, 3, 5, 6, 7])
        #expect(WorkingHours("Mon-Fri 08:00-18:00")?.description == "Mon,Tue,Wed,Thu,Fri 08:00-18:00")
        for bad in ["", "Mon-Fri", "Fri-Mon 08:00-18:00", "Mon-Fri 18:00-08:00", "Mon-Fri 8:00-18:00", "Moon 08:00-18:00", "Mon-Fri 08:00-18:00 extra"] {
            #expect(WorkingHours(bad) == nil, "\(bad)")
        }
    }

    @Test func aDeadlineCountsOnlyWorkingHours() {
        // P1, 4 working hours, reported Friday 2026-12-04 at 16:00: 2 hours on Friday, 2 on Monday → Monday 10:00
        #expect(clock.due(from: at("2026-12-04 16:00"), priority: .p1) == at("2026-12-07 10:00"))
        // reported at night: the clock starts at 08:00 → 12:00
        #expect(clock.due(from: at("2026-12-08 23:30"), priority: .p1) == at("2026-12-09 12:00"))
        // reported on Saturday: Monday 08:00 + 4 h
        #expect(clock.due(from: at("2026-12-05 11:00"), priority: .p1) == at("2026-12-07 12:00"))
        // exactly at closing: nothing left that day
        #expect(clock.due(from: at("2026-12-08 18:00"), priority: .p1) == at("2026-12-09 12:00"))
        // P2, 24 working hours from Tuesday 09:00: 9 h Tue, 10 h Wed, 5 h Thu → Thursday 13:00
        #expect(clock.due(from: at("2026-12-08 09:00"), priority: .p2) == at("2026-12-10 13:00"))
    }

    @Test func holidaysDoNotCount() {
        // Thursday 24 December 17:00, P1: 1 h that day; Friday 25th is a holiday → Monday 28th 11:00
        #expect(clock.due(from: at("2026-12-24 17:00"), priority: .p1) == at("2026-12-28 11:00"))
    }

    @Test func daylightSavingTimeKeepsTheWallClock() {
        // Friday 2026-03-27 16:00, P1; clocks go forward on Sunday 29 March: Monday 10:00 on the wall clock
        #expect(clock.due(from: at("2026-03-27 16:00"), priority: .p1) == at("2026-03-30 10:00"))
    }

    @Test func p0CountsAroundTheClock() {
        #expect(clock.due(from: at("2026-12-05 23:30"), priority: .p0) == at("2026-12-06 00:30"))
        #expect(clock.text(for: .p0) == "1 hour")
        #expect(clock.text(for: .p1) == "4 working hours")
        #expect(SLAClock.aroundTheClock.text(for: .p1) == "4 hours")
    }

    @Test func aReopenedTicketsNewDeadlineCountsWorkingHours() throws {
        let triage = TriageResult(
            priority: .p1, category: "electrical", slaHours: 4,
            impact: Impact(systems: [], safetyRisk: false, scope: .room, peopleAffectedEstimate: 1), confidence: 0.8, signals: [])
        let opened = at("2026-12-01 09:00")
        var ticket = Ticket(
            id: 1, title: "t", description: "d", location: "l", roomID: nil, category: "electrical", priority: .p1, status: .resolved,
            slaDueAt: clock.due(from: opened, priority: .p1), slaBreached: false, triage: triage, createdBy: "3", assigneeID: nil,
            createdAt: opened, updatedAt: opened, resolution: "fixed", resolvedAt: at("2026-12-04 10:00"))
        let lines = try TicketReopen(reason: "still broken", by: TicketActor(id: "3", name: nil), clock: clock).apply(to: &ticket, now: at("2026-12-04 17:00"))
        #expect(ticket.slaDueAt == at("2026-12-07 11:00"))
        #expect(lines.contains("The SLA clock starts again: due within 4 working hours"))
        // a priority change counts from the reopening on the same calendar: P2, 24 h from Fri 17:00 → Fri 1 + Mon 10 + Tue 10 + Wed 3 → Wed 11:00
        _ = try TicketChange(priority: .p2, clock: clock).apply(to: &ticket, now: at("2026-12-07 09:00"))
        #expect(ticket.slaDueAt == at("2026-12-09 11:00"))
    }
}
