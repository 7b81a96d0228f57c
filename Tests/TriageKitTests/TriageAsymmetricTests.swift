import Foundation
import Testing

@testable import TriageKit
@testable import TriageTraining

/// The second layer of issue 13: the danger model's concepts, the recall-first thresholds, the
/// learned `safety_risk` and the scope of one space's fault. Sentences written for this test.
@Suite struct TriageAsymmetricTests {
    @Test func dangerCuesReadHazardExposureAndHarm() {
        let cues = DangerCues.cues(
            TriageFixtures.analysis("shelf", "the heavy shelf is hanging off its bracket over the desks and students are still sitting there").words)
        #expect(cues.hazards.contains(.falling))
        #expect(cues.contexts.isSuperset(of: [.people, .under, .still]))
        let features = DangerCues.features(TriageFixtures.analysis("shelf", "the shelf is hanging over the desks where students sit").words)
        #expect(features.contains("d:h=falling*under"))
        #expect(features.contains("d:h=falling*people"))
        // A cut is harm to a person, not a cut cable nor a power cut.
        for text in ["someone cut the cable to the projector", "third power cut this week"] {
            #expect(!DangerCues.cues(TriageFixtures.analysis("cable", text).words).contexts.contains(.harm), "\(text)")
        }
        #expect(DangerCues.cues(TriageFixtures.analysis("glass", "a student cut her hand on the broken glass").words).contexts.contains(.harm))
    }

    /// Something that bit or charged at someone is an animal hazard; "a bit loose", a glossed
    /// "lidt" (Danish "a bit"), a phone's charging point and German "wir bitten um" (we ask for) are not.
    @Test func aBitIsNoAnimal() {
        for text in [
            "the socket cover is a bit loose", "the charging point by the desk is dead", "Wir bitten um rasche Reparatur der Tür",
            "Dækpladen på stikkontakten er lidt løs og hænger lidt ud fra væggen",
        ] {
            #expect(!DangerCues.cues(TriageFixtures.analysis("socket", text).words).hazards.contains(.animal), "\(text)")
        }
        for text in ["it bit him on the hand by the bins", "she was bitten on the ankle in the car park", "it keeps charging at the students"] {
            #expect(DangerCues.cues(TriageFixtures.analysis("yard", text).words).hazards.contains(.animal), "\(text)")
        }
    }

    /// Negation removes only what it negates: "no one hurt" is nobody harmed, not harm; the shelf
    /// that fell is still a falling hazard.
    @Test func negationRemovesOnlyWhatItNegates() {
        let cues = DangerCues.cues(TriageFixtures.analysis("shelf down", "the shelf fell off the wall overnight, no one hurt").words)
        #expect(cues.hazards.contains(.falling))
        #expect(cues.contexts.contains(.nobody))
        #expect(!cues.contexts.contains(.harm))
        let hot = DangerCues.cues(TriageFixtures.analysis("radiator", "the radiator is not hot").words)
        #expect(!hot.hazards.contains(.heat))
    }

    /// Danger in plain words that no rule knows: the priority model's P0 probability is below one
    /// half but over the recall-first threshold, and the signals say so.
    @Test func recallFirstThresholdRaisesDangerTheRulesMiss() throws {
        let result = TriageFixtures.triage(
            "lads on the roof",
            "two of the contractors are up on the flat roof without any harness and the wind has really picked up, one nearly went over the edge just now",
            "Engineering block")
        #expect(result.priority == .p0)
        #expect(!result.signals.contains { $0.hasPrefix("rule: life-safety") }, "\(result.signals)")
        #expect(result.signals.contains { $0.contains("over the recall-first threshold") }, "\(result.signals)")
        #expect(result.signals.contains { $0.hasPrefix("danger model:") && $0.contains("edge × people") }, "\(result.signals)")
        // Critical out of caution, and the confidence says how likely the model finds it, not a
        // rule's 0.9 ("How sure 90 %" beside "the chance it is Critical is 24 %").
        let p0 = try #require(result.signals.first { $0.hasPrefix("model: P0 ") && $0.contains("recall-first") })
        // The signal has two decimals of the chance, the confidence three ("0.26" and 0.265): the same number.
        let said = try #require(Double(p0.dropFirst("model: P0 ".count).prefix(4)))
        #expect(abs(said - result.confidence) <= 0.0051, "\(result.confidence) \(p0)")
        #expect(result.confidence < 0.5)
    }

    @Test func dangerModelExplainsHazardAndExposure() {
        let result = TriageFixtures.triage(
            "mirror coming away",
            "the big mirror in the dance studio has come away from the wall at the top and is leaning out over the barre, the class is stretching right under it",
            "Dance studio 2")
        #expect(result.priority == .p0)
        #expect(result.signals.contains { $0.hasPrefix("danger model:") && $0.contains("falling × under") && $0.hasSuffix("→ at least P0") })
        #expect(result.impact.safetyRisk)
    }

    /// A threshold far below one half is still a threshold: minor faults stay where they are.
    @Test func minorFaultsAreNotRaised() {
        let chair = TriageFixtures.triage("chair squeaks", "my desk chair squeaks when I lean back", "Room 4.12")
        #expect(chair.priority == .p3)
        #expect(!chair.impact.safetyRisk)
        #expect(!chair.signals.contains { $0.contains("→ at least") })
    }

    /// One space's fault is the room's even where the location names only a building, and a last
    /// part after a dash names a space in any language.
    @Test func oneSpacesFaultIsTheRoom() {
        #expect(TriageFixtures.triage("projector dead", "projector in here is dead, no picture at all", "Sports Pavilion").impact.scope == .room)
        #expect(TriageFixtures.triage("oven not heating", "the main oven is not heating up", "RU - cozinha principal").impact.scope == .room)
        #expect(ScopeDetector.namedByLocation(Tokenizer.tokens("Sports Pavilion")) == .building)
        #expect(ScopeDetector.namedByLocation(Tokenizer.tokens("Bloco C, térreo, banheiro masculino")) == nil)
        #expect(ScopeDetector.namedByLocation(Tokenizer.tokens("Linacre Court, Block A")) == .building)
    }

    /// A ticket in words the model never learnt is at least P1, says why, and does not claim to be
    /// sure. (Lithuanian, which neither a training part nor the glossary knows; the Hungarian
    /// fire-drill request that was the example until the glossary is now read, and is P4:
    /// `GlossaryTests`.)
    @Test func aTicketTheModelCannotReadIsAtLeastP1() {
        let result = TriageFixtures.triage(
            "Priešgaisrinių pratybų data",
            "Laba diena. Studijų skyrius norėtų suderinti priešgaisrinių pratybų laiką A pastate kitą semestrą",
            "A pastatas")
        #expect(result.priority >= .p1)
        #expect(result.signals.contains { $0.hasPrefix("model: ") && $0.hasSuffix("% of the words unknown → at least P1") }, "\(result.signals)")
        #expect(result.confidence < 0.5)
        let english = TriageFixtures.triage("chair squeaks", "my desk chair squeaks when I lean back", "Room 4.12")
        #expect(!english.signals.contains { $0.contains("words unknown") })
    }

    @Test func aSpacedHyphenIsADash() {
        #expect(Tokenizer.tokens("RU - kitchen") == ["ru", Tokenizer.boundary, "kitchen"])
        #expect(Tokenizer.tokens("self-closing door") == ["self", "closing", "door"])
    }

    /// The thresholds and the three classifiers travel in the model file, so a model is always
    /// read with the decision rule it was measured with.
    @Test func theModelCarriesItsDecisionRule() throws {
        let model = try TriageModel.bundled()
        #expect(
            model.settings.modelP0 < 500 && model.settings.dangerP0 <= 500 && model.settings.safetyThreshold(at: .p0) < 500
                && model.settings.safetyThreshold(at: .p1) < 500)
        #expect(model.danger.classifier.classes == DangerClassifier.classes)
        #expect(model.safety.classes == TriageModel.safetyClasses)
        #expect(model.danger.classifier.weights.keys.allSatisfy { $0.hasPrefix("d:") || $0.hasPrefix("k:") })
    }
}
