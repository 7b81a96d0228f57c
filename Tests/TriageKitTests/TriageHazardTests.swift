import Foundation
import Testing

@testable import TriageKit
@testable import TriageTraining

/// Danger described without the classic alarm words (hazard × exposure), on the rules alone and
/// then on the outside test set. The sentences here are written for this test, in other words
/// than the data sets.
@Suite struct TriageHazardTests {
    func analysis(_ text: String, _ location: String = "Room 1.01") -> TicketAnalysis {
        TriageFixtures.analysis(text, "", location)
    }

    func floor(_ text: String, _ location: String = "Room 1.01") -> Priority? {
        analysis(text, location).safetyFloor
    }

    @Test(arguments: [
        // hazard with people exposed → P0
        ("acid got knocked over in the prep room and two of the technicians feel sick and dizzy", Priority.p0),
        ("the wall-mounted TV is dangling from one screw right above where the kids sit", .p0),
        ("the handrail on the mezzanine is loose and there's a 4 metre drop below it", .p0),
        ("a floor hatch has been left open in the walkway and people keep nearly stepping in", .p0),
        ("cracked pane hanging loose above the doors, students walking in and out underneath", .p0),
        ("workmen cut through a mains cable in the trench and it is fizzing", .p0),
        ("the distribution board in the plant room is too hot to touch", .p0),
        ("steam is pouring out of the vent and filling the stairwell", .p0),
        ("the urn tap broke and boiling water is spraying across the counter", .p0),
        ("raw sewage bubbling out of the drain behind the café counter", .p0),
        ("sewage is coming up out of the floor drain in the dairy, all round the bulk milk tank", .p0),
        ("a lorry reversed into the gable wall and now there are cracks inside the office", .p0),
        ("my flatmate is locked inside the bathroom and the handle came off", .p0),
        // the same hazard with nobody in the way → P1; safety systems and essential cooling → P1
        ("a big light fitting is hanging down by its wires in the empty store room", .p1),
        ("the distribution board is buzzing loudly", .p1),
        ("the eyewash station has no water coming out", .p1),
        ("the emergency lights in the stairwell don't work", .p1),
        ("the -80 freezer with our samples is alarming, reading minus 40 degrees and rising", .p1),
        ("a smell like hot plastic near the printer, no smoke that I can see yet", .p1),
        ("both fire extinguishers have been stolen from the landing, only the empty hooks left", .p1),
        ("knocked a bottle of disinfectant off the shelf and now I feel light-headed", .p0),
        ("a forklift backed into the warehouse wall and there are new cracks inside", .p0),
        ("the fire exit sign above the back door is not lit", .p1),
        // found by part L: negation removes only what it negates, other words for the same hazards
        ("access panel in the walkway floor has no cover on it: a hole half a metre deep, people walk past all day", .p0),
        ("lorry clipped the top deck guard rail, three metres of it now bent outwards and detached at its base, open drop to the road", .p0),
        ("the night cleaner mixed two toilet products and is coughing hard with eyes streaming from the vapour", .p0),
        ("he rang from the tank room: the door swung shut behind him and the inside push bar is broken. cannot get out", .p0),
        ("grey cloud creeping out under the drying room door and it smells like something burned", .p0),
        ("the socket by the sink is black around the holes and has partly melted, no smoke", .p1),
        // found by parts M–P: what people did, and more words for the same hazards
        ("the compressed air hose split and is whipping about, I got everyone out and shut the door", .p0),
        ("the winch cable is fraying with a cracking sound, I told the two students under the hull to come out", .p0),
        ("the slipway winch wire cracks when it is tight, I told the two students under the boat to come out", .p0),
        ("the ceiling has a big bubble of water right above the cot, we have moved him to the lounge", .p0),
        ("all staff have withdrawn to the corridor after a sharp smell from the unit", .p0),
        ("a lump of concrete came off the underside of the canopy over the entrance, cracks all round it", .p0),
        ("icicles over the main doors, one already came down onto the top step", .p0),
        ("stage lift lurched and tilted with two performers standing on it", .p0),
        // found by sealed part BM: an allergic person stung
        ("hornets in the waiting room, one patient stung on the neck and says she's allergic", .p0),
        ("speaker cab hanging off its safety bond, rows A to D directly underneath", .p0),
        ("the bathroom lock has jammed and he has been inside for forty minutes", .p0),
        ("hot water spraying out of the wall where the valve came off, burned my hand, super hot", .p0),
        ("the corridor is full of warm fog, you can't see the end, and a loud hiss by the plant room", .p0),
        ("the oxygen monitor reads low, the room is misty round the dewars and a student felt light-headed", .p0),
        ("little orange flashes from the light track over the tables, a snap every few seconds", .p0),
        ("the grass bank behind the barn is alight and spreading", .p0),
        ("two boards of the jetty have gone, a gap straight down to the water, rowers walk out on it at six", .p0),
        ("the sprinkler head in the store is weeping and the glass bulb is missing", .p1),
        ("roof leak in the control room, the stain has doubled since yesterday and is tracking along the ceiling", .p1),
        // found by part Q
        ("the inverter cabinet is buzzing loudly and the door is too hot to keep a hand on", .p0),
        ("a cut cable is poking out of the sand pit, it crackles when it moves, children were playing there", .p0),
        ("column on level 2 has a fresh crack, concrete chunks on the deck and the rebar showing", .p0),
    ])
    func hazardSetsAFloor(text: String, expected: Priority) {
        #expect(floor(text) == expected, "\(analysis(text).safety)")
    }

    @Test(arguments: [
        "the ethernet cable is cut, no internet at my desk",
        "wasp nest by the bins, nobody stung yet but I'm allergic to them",
        "the speakers crackle when the volume is low",
        "a cupboard door handle is hanging off",
        "please can the fire alarm test be moved to the afternoon",
        "emergency lighting test went fine, all lights came on",
        "steam room in the sports centre is not warm enough",
        "the hot water is not hot enough in the showers",
        "a bird got trapped in the atrium yesterday, please clean up the feathers",
        "I'm locked out of my office",
        "graffiti on the car park stairwell wall",
        "the freezer in our flat kitchen is not freezing",
        "the windowsills are flooded with dead flies, could they be hoovered",
        "burnt toast smell in the kitchen, someone was cooking",
        "haze machine on Thursday, please isolate the detectors; no actual smoke or fire",
        "the display in the lift shows the floor one out, the lift itself works",
        "no hot water in the flat, we're boiling kettles to wash",
        "someone has been sick on the stairs between levels 3 and 4, needs a cleaner",
        "the inspection certificate in the goods lift is out of date, the lift runs fine",
        "both car park barriers are stuck in the up position, staff can drive straight in",
        "the striker plate of my room door is hanging off so it will not latch",
        "a faint sewage smell along the corridor near the staff kitchen, toilets all flush fine",
        "the stair handrail wobbles a little at the top, still firmly fixed at the bottom",
        "passengers alight at stand C, the timetable display there is blank",
        "when is the evacuation drill for our block this term",
        "the lift has been withdrawn from service for its annual inspection",
        "we moved our daughter into her flat on Saturday and the oven is dirty",
        "the 'deep water' warning sign by the pond has fallen over",
        "the slats snapped and my bed frame dropped at one end",
        "heavy haze and a smoke effect in Thursday's show, please isolate the detectors",
        "the roof leak in my office is not spreading, one slow drip into a bucket",
    ])
    func harmlessWordsSetNoFloor(text: String) {
        let ticket = analysis(text)
        #expect(ticket.safetyFloor == nil || ticket.safetyFloor == .p4, "\(ticket.safety)")
    }

    @Test func theLastWordsOfALongTicketStillCount() {
        // The heat is 23 words after the cupboard: a long report must not hide it.
        let text = """
            the electrical cupboard near the stairs on level 2 has been making a really loud humming noise all morning, much \
            worse than usual, and the metal door is now hot when you touch it
            """
        #expect(floor(text) == .p0)
    }

    @Test func aStoppedLiftSaidToBeEmptyIsNotATrapping() {
        let ticket = analysis("the goods lift stopped between floors with the doors shut, nobody in it, we checked")
        #expect(ticket.safetyFloor != .p0, "\(ticket.safety)")
    }

    @Test func exposureDecidesBetweenP0AndP1() {
        #expect(floor("the ceiling speaker is hanging by its cable") == .p1)
        #expect(floor("the ceiling speaker is hanging by its cable over the front row, class in progress") == .p0)
    }

    @Test func overIsAPlaceNotAnEnding() {
        // "over" used to end a signal like "the sparking is over".
        #expect(floor("ceiling sagging over the seats") == .p0)
        #expect(floor("the sparking is over") == nil)
    }

    @Test func signalsNameHazardAndExposure() {
        let result = TriageFixtures.triage("shelving leaning", "the shelving is leaning forward over the desks and students are sitting there", "Library")
        #expect(result.priority == .p0)
        #expect(result.signals.contains { $0.contains("falling: about to fall on people") }, "\(result.signals)")
        #expect(result.impact.safetyRisk)
    }

    /// A degradation guard a little below what `campus triage eval` reports on the outside test
    /// set (6,000 tickets by forty writers, never trained on; a fifth of them mostly in other
    /// languages): P0 recall 0.995, none two levels low, macro-F1 0.917, within one 0.978,
    /// category 0.940, scope 0.890, safety_risk 0.953. Not all of issue 13's goals: within one
    /// level is not met there (README); a change that loses ground still fails here.
    @Test func outsideTestSetQualityDoesNotDegrade() async throws {
        let outside = try LabelledTicket.bundledOutside()
        #expect(outside.count >= 6000)
        #expect(outside.allSatisfy { $0.part != nil && $0.scope != nil && $0.safetyRisk != nil })
        let trainingTitles = Set(TriageFixtures.examples.map { $0.title + "\n" + $0.description })
        #expect(outside.allSatisfy { !trainingTitles.contains($0.title + "\n" + $0.description) }, "an outside ticket is in the training data")
        #expect(Set(outside.compactMap(\.part)).isDisjoint(with: Set(TriageFixtures.examples.compactMap(\.part))), "a writer's part on both sides")
        let evaluation = try await TriageFixtures.onItsOwnThread { TriageEvaluation.measure(TriageFixtures.engine, on: outside) }
        #expect(evaluation.p0Recall >= 0.98, "P0 recall \(evaluation.p0Recall)")
        #expect(evaluation.p0RatedTwoOrMoreLow == 0, "P0 rated two or more low: \(evaluation.p0RatedTwoOrMoreLow)")
        #expect(evaluation.priorityMacroF1 >= 0.905, "macro-F1 \(evaluation.priorityMacroF1)")
        #expect(evaluation.priorityWithinOne >= 0.972, "within one \(evaluation.priorityWithinOne)")
        #expect(evaluation.categoryMacroF1 >= 0.93, "category macro-F1 \(evaluation.categoryMacroF1)")
        #expect(try #require(evaluation.scopeAgreement) >= 0.88)
        #expect(try #require(evaluation.safetyAgreement) >= 0.948)
    }
}
