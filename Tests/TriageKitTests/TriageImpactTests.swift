import CampusKit
import Foundation
import Testing

@testable import TriageKit

@Suite struct TriageImpactTests {
    @Test(arguments: [
        ("projector dead", "the projector won't turn on", "Lecture Theatre 2", Impact.Scope.room, 150),
        ("lock broken", "my office lock is broken", "Office 3.07", .room, 2),
        ("no heating", "the seminar room is cold", "Seminar room 1.04", .room, 25),
        // A location that names a floor is where one space is; words must say the floor is affected.
        ("light flickering", "one light flickers", "Library 2nd floor", .room, 40),
        ("lights out", "all the lights are out on the whole 2nd floor", "Library 2nd floor", .floor, 120),
        // A stopped lift reaches its building (most people say so); a lift's button is the lift's.
        // (Scope is learned from the writers' labels. They split on a boiler room's fault and on a
        // corridor's, so the model is not held to either here.)
        ("lift out of service", "the lift won't move, nobody inside", "Physics building lift", .building, 600),
        ("lift button dim", "the button for floor 4 inside the lift does not light, the lift still goes there", "Physics building lift", .room, 40),
        ("lift call button", "call button on this landing sticks", "Physics building, level 2 lift lobby", .room, 40),
        // A location that names only a building is the building; only a floor, the floor when
        // the fault is of a floor's size, else one space on it.
        // An outage rule's signal and the scope agree: "building without water" is the building's.
        ("no water", "nothing comes out of any tap or toilet in there", "Cricket Pavilion", .building, 600),
        ("emergency lights failed", "none of the emergency lights came on in the monthly test", "Arts Tower, Level 5", .floor, 120),
        ("socket loose", "a socket plate is loose", "Arts Tower, Level 5", .room, 20),
        // Rain through the roof reaches the room it falls into, not the building.
        ("rain through roof", "the roof leaks into my office when it rains, one steady drip", "Arts Tower, Office 6.12", .room, 2),
        // Requests are where the location says.
        ("fire drill date", "when is the fire drill this term please", "Elm Court residence", .building, 600),
        ("no heating", "no heating in the whole science building", "whole science building", .building, 600),
        ("wifi down", "no wifi anywhere", "campus-wide wifi", .campus, 8000),
        ("toilet blocked", "one toilet blocked", "Gents, ground floor library", .room, 10),
    ])
    func scopeAndPeopleFollowTheLocation(title: String, description: String, location: String, scope: Impact.Scope, people: Int) {
        let impact = TriageFixtures.triage(title, description, location).impact
        #expect(impact.scope == scope)
        #expect(impact.peopleAffectedEstimate == people)
    }

    @Test func systemsComeFromCategoryAndHazards() {
        let wet = TriageFixtures.triage("water on socket", "water dripping from the ceiling onto a socket and it's sparking", "Gym changing room")
        #expect(wet.impact.systems.contains("electrical") && wet.impact.systems.contains("plumbing"))
        #expect(wet.impact.safetyRisk)
        let wifi = TriageFixtures.triage("no wifi", "no wifi at all in 2.03", "Room 2.03")
        #expect(wifi.impact.systems == ["network"])
        #expect(!wifi.impact.safetyRisk)
        let paint = TriageFixtures.triage("paint peeling", "paint peeling by the lifts", "Corridor")
        #expect(!paint.impact.systems.contains("elevator"))
    }

    @Test func resultEncodesInTheContractsSnakeCase() throws {
        let result = TriageFixtures.triage("smoke", "smoke from the heater", "Room 1.01")
        let json = try #require(try JSONSerialization.jsonObject(with: CampusJSON.encoder.encode(result)) as? [String: Any])
        #expect(Set(json.keys) == ["priority", "category", "sla_hours", "impact", "confidence", "signals"])
        let impact = try #require(json["impact"] as? [String: Any])
        #expect(Set(impact.keys) == ["systems", "safety_risk", "scope", "people_affected_estimate"])
        #expect(json["priority"] as? String == "P0" && json["sla_hours"] as? Int == 1)
    }
}
