import Foundation
import CampusKit
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
        let error = try #require(throws: APIError.self) { try TicketRules.transition(from: from, to: to) }
        #expect(error.status == .unprocessableContent)
        #expect(error.code == "invalid_transition")
        #expect(error.detail.hasPrefix("status:"))
        for allowed in from.allowedNext { #expect(error.detail.contains(allowed.rawValue)) }
    }

    @Test func slaFollowsThePriority() {
        let opened = Date(timeIntervalSince1970: 1_800_000_000)
        #expect(Ticket.slaDue(createdAt: opened, priority: .p0) == opened.addingTimeInterval(3600))
        #expect(Ticket.slaDue(createdAt: opened, priority: .p2) == opened.addingTimeInterval(24 * 3600))
        #expect(Ticket.slaDue(createdAt: opened, priority: .p4) == opened.addingTimeInterval(168 * 3600))
    }
}
