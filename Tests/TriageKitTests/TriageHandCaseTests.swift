import Foundation
import Testing

@testable import TriageKit
@testable import TriageTraining

/// Tickets written for these tests, not taken from the data set, triaged by the shipped model.
@Suite struct TriageHandCaseTests {
    static let p0: [HandCase] = [
        HandCase(
            "smoke in the print room", "there is grey smoke drifting out of the big printer in the print room and a hot smell",
            "Print room, Humanities 1st floor", .p0),
        HandCase("fire!!", "bin fire in the courtyard right next to the bike shelter, flames getting higher", "Courtyard behind the engineering block", .p0),
        HandCase("gas", "I can smell gas in the corridor outside the chemistry prep lab, really strong", "Chemistry building level 2 corridor", .p0),
        HandCase(
            "stuck in the elevator", "my friend and I are stuck in the elevator at the music building, it's stopped between 2 and 3", "Music building", .p0),
        HandCase(
            "water pouring in, room flooded", "a pipe burst behind the wall and B115 is flooded, water is over the carpet and reaching the sockets",
            "Room B115", .p0),
        HandCase(
            "bare live wires in stairwell", "the cover of the junction box in stairwell C fell off and there are bare live wires sticking out at hand height",
            "Stairwell C", .p0),
        HandCase(
            "ceiling came down", "half the ceiling in the seminar room collapsed this morning, plaster and boards on the tables", "Seminar room 2.08", .p0),
        HandCase("the whole law school has no power", "power's off across the entire law school building since 8, every floor dark", "Law school", .p0),
    ]
    static let p1: [HandCase] = [
        HandCase(
            "no heating anywhere in the chemistry building", "the heating is off in the whole chemistry building, all labs and offices are cold",
            "Chemistry building", .p1),
        HandCase("lift out of order", "the lift in the humanities building is out of order, nobody inside, it just won't come", "Humanities building", .p1),
        HandCase("fire alarm panel fault", "fire alarm panel at the library entrance keeps beeping and says fault on zone 2", "Library entrance", .p1),
        HandCase(
            "water dripping through the ceiling and spreading",
            "water dripping through the ceiling in room 1.40 and the wet patch is getting bigger every hour", "Room 1.40", .p1),
        HandCase("no network in the whole physics building", "the network is down in the whole physics building, wired and wifi", "Physics building", .p1),
        HandCase("burning smell in office", "there's a burning smell in my office near the socket, no smoke though", "Office 3.22", .p1),
    ]
    static let p2: [HandCase] = [
        HandCase("projector not working", "the projector in lecture theatre 3 won't turn on, lecture with 150 students at 11", "Lecture Theatre 3", .p2),
        HandCase("no heating in my office", "my office radiator is cold and the room is 14 degrees, the rest of the corridor is warm", "Office 2.11", .p2),
        HandCase("office lock broken", "can't lock my office, the lock is broken and the door just swings open", "Office 4.12", .p2),
        HandCase("toilet blocked", "the toilet in the accessible loo on floor 1 is blocked", "Accessible toilet, 1st floor arts", .p2),
        HandCase("no wifi in room", "no wifi at all in seminar room 2.03, students can't log in to the quiz", "Seminar room 2.03", .p2),
    ]
    static let p3: [HandCase] = [
        HandCase("light flickering", "the light above my desk flickers now and then", "Office 1.09", .p3),
        HandCase("tap dripping", "kitchen tap keeps dripping", "Staff kitchen 2nd floor", .p3),
        HandCase("door squeaks", "the door to room 3.10 squeaks every time it opens", "Room 3.10", .p3),
        HandCase("chair broken", "one of the chairs in 2.12 has a broken leg", "Room 2.12", .p3),
        HandCase("wifi a bit weak", "wifi signal is a bit weak at the back of the library reading room", "Library reading room", .p3),
        // A denied hazard: what is left is a marked socket cover, minor (P3) or cosmetic (P4).
        HandCase(
            "socket not sparking any more",
            "the socket sparked last week but it's not sparking anymore after the electrician came, only the cover is a bit marked", "Room 0.14", .p3, or: .p4),
    ]
    static let p4: [HandCase] = [
        HandCase("paint peeling in corridor", "paint is peeling off the wall near the lifts, looks scruffy", "Corridor, 2nd floor maths", .p4),
        HandCase("graffiti", "someone drew graffiti on the toilet door", "Gents, ground floor library", .p4),
        HandCase("please move desks", "could the desks in 2.05 be moved into groups of four for next week's workshop", "Room 2.05", .p4),
        HandCase("Fire Safety Week poster torn", "the Fire Safety Week poster by the lift is torn, could someone replace it", "Arts building foyer", .p4),
        HandCase("old leak stain", "the ceiling stain in 1.12 is from an old leak, it isn't leaking any more, just looks bad", "Room 1.12", .p4),
        HandCase("smoke detector test", "could we book a smoke detector test for our new flat? no issues, just want it checked", "Halls block C flat 4", .p4),
        HandCase("gas safety leaflet", "the gas safety leaflets in the rack by reception have run out", "Main reception", .p4),
        // Title only: alarming words in a harmless request must not lean on a description.
        HandCase("Health and Safety week poster ripped", "", "Canteen", .p4),
    ]

    @Test(arguments: p0 + p1 + p2 + p3 + p4)
    func handWrittenTicketGetsTheRubricPriority(_ ticket: HandCase) {
        let result = TriageFixtures.triage(ticket.title, ticket.description, ticket.location)
        let accepted = [ticket.expected] + (ticket.alsoAcceptable.map { [$0] } ?? [])
        #expect(accepted.contains(result.priority), "got \(result.priority.rawValue); \(result.signals)")
        #expect(result.slaHours == result.priority.slaHours)
        #expect((0...1).contains(result.confidence))
    }

    @Test func handWrittenCasesAreNotInTheDataSet() {
        let known = Set(TriageFixtures.examples.map { ($0.title + "\n" + $0.description).lowercased() })
        for ticket in Self.p0 + Self.p1 + Self.p2 + Self.p3 + Self.p4 {
            #expect(!known.contains((ticket.title + "\n" + ticket.description).lowercased()), "\(ticket.title) is in the data set")
        }
        #expect([Self.p0, Self.p1, Self.p2, Self.p3, Self.p4].allSatisfy { $0.count >= 4 })
    }

    @Test func signalsExplainTheRuleAndTheModel() {
        let result = TriageFixtures.triage("smoke from socket", "smoke coming out of the wall socket by my desk", "Office 2.02")
        #expect(result.priority == .p0)
        #expect(result.signals.contains("rule: life-safety 'smoke' → at least P0"))
        #expect(result.signals.contains { $0.hasPrefix("model: P") })
        #expect(result.impact.safetyRisk)
        #expect(result.impact.systems.contains("electrical"))
    }

    @Test func categoryFollowsTheProblem() {
        #expect(TriageFixtures.triage("no wifi", "wifi doesn't connect in my office", "Office 1.10").category == "network")
        #expect(TriageFixtures.triage("tap dripping", "the hot tap in the kitchen drips", "Kitchen").category == "plumbing")
        #expect(TriageFixtures.triage("projector dead", "the projector won't turn on", "Lecture theatre 2").category == "av_equipment")
        #expect(TriageFixtures.triage("lift broken", "the lift won't come to any floor", "Library").category == "elevator")
    }
}
