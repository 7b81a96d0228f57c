import CampusKit
import Foundation
import Testing

@testable import MaintenanceService

@Suite struct TicketWorkflowTests {
    @Test(arguments: [
        (TicketStatus.open, TicketStatus.inProgress), (.open, .cancelled), (.inProgress, .resolved), (.inProgress, .cancelled),
        (.resolved, .closed), (.resolved, .inProgress),
    ])
    func allowedMoves(from: TicketStatus, to: TicketStatus) throws {
        try TicketRules.transition(from: from, to: to)
    }

    @Test(arguments: [
        (TicketStatus.open, TicketStatus.resolved), (.open, .closed), (.inProgress, .open), (.resolved, .cancelled),
        (.closed, .open), (.closed, .inProgress), (.cancelled, .open), (.resolved, .open),
    ])
    func refusedMovesNameTheAllowedOnes(from: TicketStatus, to: TicketStatus) throws {
        let refusal = try #require(throws: TicketRefusal.self) { try TicketRules.transition(from: from, to: to) }
        #expect(refusal == .invalidTransition(from: from, to: to))
        let error = refusal.problem
        #expect(error.status == .unprocessableContent)
        #expect(error.code == "invalid_transition")
        #expect(error.detail.hasPrefix("status:"))
        for allowed in from.allowedNext { #expect(error.detail.contains(allowed.rawValue)) }
    }

    @Test func slaFollowsThePriority() {
        let opened = Date(timeIntervalSince1970: 1_800_000_000)
        let clock = SLAClock.aroundTheClock
        #expect(clock.due(from: opened, priority: .p0) == opened.addingTimeInterval(3600))
        #expect(clock.due(from: opened, priority: .p2) == opened.addingTimeInterval(24 * 3600))
        #expect(clock.due(from: opened, priority: .p4) == opened.addingTimeInterval(168 * 3600))
    }

    private func openTicket(at opened: Date) -> Ticket {
        let triage = TriageResult(
            priority: .p3, category: "furniture", slaHours: Priority.p3.slaHours,
            impact: Impact(systems: [], safetyRisk: false, scope: .room, peopleAffectedEstimate: 1), confidence: 0.8, signals: []
        )
        return Ticket(
            id: 7, title: "Wobbly chair", description: "", location: "A101", roomID: nil, category: "furniture", priority: .p3,
            status: .open, slaDueAt: SLAClock.aroundTheClock.due(from: opened, priority: .p3), slaBreached: false, triage: triage,
            createdBy: "3", assigneeID: nil, createdAt: opened, updatedAt: opened
        )
    }

    @Test func aChangeRewritesTheSLAAndSaysWhatChanged() throws {
        let opened = Date(timeIntervalSince1970: 1_800_000_000)
        var ticket = openTicket(at: opened)
        let later = opened.addingTimeInterval(2 * 3600)
        let tina = TicketActor(id: "4", name: "Tina Tech")
        let lines = try TicketChange(status: .inProgress, priority: .p0, assignee: .some(tina)).apply(to: &ticket, now: later)
        #expect(
            lines == [
                "Status changed from Open to In progress", "Priority raised from P3 · Low to P0 · Critical; now due within 1 hour of being reported",
                "Assigned to Tina Tech",
            ])
        #expect(ticket.status == .inProgress && ticket.priority == .p0 && ticket.assigneeID == "4" && ticket.assigneeName == "Tina Tech")
        // Raised to P0 two hours after opening: the one-hour deadline is already past.
        #expect(ticket.slaDueAt == opened.addingTimeInterval(3600) && ticket.slaBreached)
        #expect(ticket.updatedAt == later)
        // The same change again changes nothing and writes no history.
        let again = ticket
        #expect(try TicketChange(status: .inProgress, priority: .p0, assignee: .some(tina)).apply(to: &ticket, now: later) == [])
        #expect(ticket == again)
        #expect(try TicketChange(assignee: .some(nil)).apply(to: &ticket, now: later) == ["Unassigned"])
        #expect(ticket.assigneeID == nil && ticket.assigneeName == nil)
        let lowered = try TicketChange(priority: .p2).apply(to: &ticket, now: later)
        #expect(lowered == ["Priority lowered from P0 · Critical to P2 · Medium; now due within 24 hours of being reported"])
    }

    @Test func aRefusedMoveLeavesTheTicketAsItWas() throws {
        let opened = Date(timeIntervalSince1970: 1_800_000_000)
        var ticket = openTicket(at: opened)
        let before = ticket
        #expect(throws: TicketRefusal.invalidTransition(from: .open, to: .resolved)) {
            try TicketChange(status: .resolved, priority: .p1).apply(to: &ticket, now: opened)
        }
        #expect(ticket == before)
    }
}
