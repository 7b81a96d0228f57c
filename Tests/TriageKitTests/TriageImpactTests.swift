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
        // The plant of a building reaches it (a lift is one space); a corridor reaches its floor.
        ("boilers locked out", "both boilers are locked out", "Physics building boiler room", .building, 600),
        ("lift out of service", "the lift won't move, nobody inside", "Physics building lift", .room, 40),
        ("corridor lights out", "the corridor lights are off", "Maths 3rd floor corridor", .floor, 120),
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
