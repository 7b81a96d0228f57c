import Foundation
import Testing

@testable import TriageKit

@Suite struct PriorityTests {
    @Test func slaHoursFollowTheContract() {
        #expect(Priority.allCases.map(\.slaHours) == [1, 4, 24, 72, 168])
        #expect(Priority.allCases.map(\.rawValue) == ["P0", "P1", "P2", "P3", "P4"])
        // As people say it: a week, not "168 hours".
        #expect(Priority.allCases.map(\.slaText) == ["1 hour", "4 hours", "24 hours", "3 days", "7 days"])
    }

    @Test func raisingNeverGoesAboveP0() {
        #expect(Priority.p2.raised(by: 1) == .p1)
        #expect(Priority.p4.raised(by: 2) == .p2)
        #expect(Priority.p0.raised(by: 1) == .p0)
        #expect(Priority.p1.raised(by: 5) == .p0)
        #expect(Priority.p3.lowered(by: 3) == .p4)
    }

    @Test func moreUrgentComparesGreater() {
        #expect(Priority.p0 > .p1)
        #expect([Priority.p3, .p0, .p2].max() == .p0)
        #expect(Priority.allCases.sorted() == [.p4, .p3, .p2, .p1, .p0])
    }

    @Test func decodesOnlyTheContractsSpelling() throws {
        #expect(try JSONDecoder().decode([Priority].self, from: Data(#"["P0","P4"]"#.utf8)) == [.p0, .p4])
        #expect(throws: DecodingError.self) { try JSONDecoder().decode([Priority].self, from: Data(#"["p1"]"#.utf8)) }
    }
}
