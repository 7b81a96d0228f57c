import Foundation
import Testing

@testable import TriageKit

@Suite struct GlossaryTests {
    /// A small glossary of its own, so each rule is seen apart from the shipped file's contents.
    let glossary = Glossary(
        lines: """
            # language\tform\tgloss
            es\tsin\twithout
            es\tluz\tlight
            es\tedificio\tbuilding
            es\tcalefaccion\theating
            tr\tön\tfront
            tr\tkapı\tdoor
            es\tapagad*\toff
            it\tluce\tlight
            it\tedificio\tbuilding
            it\tsenza\twithout
            pl\tzepsut*\tbroken
            pl\twinda\tlift
            cs\tkouř*\tsmoke
            cs\tzásuvk*\tsocket
            bad line without tabs
            """)

    @Test func glossesAWordInTheLanguageMostOfTheTicketIsIn() {
        let words = Tokenizer.tokens("Todo el edificio sin luz")
        #expect(glossary.glosses(words) == ["sin": ["without"], "luz": ["light"], "edificio": ["building"]])
        // "edificio" is Italian too; an Italian ticket reads it in Italian.
        #expect(glossary.glosses(Tokenizer.tokens("edificio senza luce")) == ["edificio": ["building"], "senza": ["without"], "luce": ["light"]])
    }

    @Test func oneLoanwordInAnEnglishTicketGlossesNothing() {
        #expect(glossary.glosses(Tokenizer.tokens("The edificio sign has fallen off")).isEmpty)
    }

    @Test func stemsAndWordsTypedWithoutAccentsAreFound() {
        let glosses = glossary.glosses(Tokenizer.tokens("Winda zepsuta od rana"))
        #expect(glosses == ["winda": ["lift"], "zepsuta": ["broken"]])
        // The file lists the form without accents; a ticket's word is found with or without them.
        #expect(glossary.glosses(Tokenizer.tokens("calefaccion apagada")) == ["calefaccion": ["heating"], "apagada": ["off"]])
        #expect(glossary.glosses(Tokenizer.tokens("CALEFACCIÓN apagada")) == ["calefacción": ["heating"], "apagada": ["off"]])
        // A stem with accents meets a word typed with them: a quarter of the file's stems did not.
        #expect(glossary.glosses(Tokenizer.tokens("ze zásuvky jde kouře")) == ["zásuvky": ["socket"], "kouře": ["smoke"]])
    }

    @Test func theFilesFormsAreNeverFoldedIntoEnglishWords() {
        // "ön" (Turkish: front) is in the file; "on" of an English ticket is not "ön".
        #expect(glossary.glosses(Tokenizer.tokens("kapı ön")) == ["kapı": ["door"], "ön": ["front"]])
        #expect(glossary.glosses(Tokenizer.tokens("kapı on")) == [:])
    }

    /// Chinese and Japanese have no spaces and Korean attaches its particles: a run of their
    /// characters is cut into the glossary's longest forms, left to right, a character no form
    /// starts standing alone; one character of them is a word for the glossary.
    @Test func chineseJapaneseAndKoreanAreCutIntoTheLongestForms() {
        let cjk = Glossary(
            lines: "zh\t电梯\tlift\nzh\t坏了\tbroken\nzh\t火\tfire\nja\t水漏れ\tleak\nja\t水\twater\nko\t화재\tfire\nko\t났어요\thappened")
        let chinese = cjk.segmented(Tokenizer.tokens("电梯坏了，有火"))
        #expect(chinese == ["电梯", "坏了", "有", "火"])
        #expect(cjk.glosses(chinese) == ["电梯": ["lift"], "坏了": ["broken"], "火": ["fire"]])
        #expect(cjk.segmented(Tokenizer.tokens("トイレで水漏れ")) == ["ト", "イ", "レ", "で", "水漏れ"])
        #expect(cjk.segmented(Tokenizer.tokens("화재가 났어요")) == ["화재", "가", "났어요"])
        #expect(cjk.segmented(Tokenizer.tokens("A栋 lift broken")) == ["a", "栋", "lift", "broken"])
    }

    @Test func glossedWordsGiveTheModelEnglishWordsWithNegationMarked() {
        let ticket = TicketAnalysis(title: "Todo el edificio sin luz", description: "", location: "")
        guard !ticket.glosses.isEmpty else {
            Issue.record("the shipped glossary glosses nothing of a Spanish power cut")
            return
        }
        let names = Set(FeatureExtractor.features(ticket, settings: .standard).map(\.name))
        #expect(names.contains("w:building"))
        #expect(names.contains("w:not_light"))
        #expect(names.contains("w:luz"))
        // An English ticket is read as before: no glosses.
        #expect(TicketAnalysis(title: "No light in the whole building", description: "", location: "").glosses.isEmpty)
    }

    /// End to end with the shipped glossary and model: a Hungarian request for a fire-drill date,
    /// which no training part is written in, is read as one (P4, fire safety), not held at P1 for
    /// its unknown words as before the glossary.
    @Test func aHungarianFireDrillRequestIsReadAsARequest() {
        let result = TriageFixtures.triage(
            "Tűzriadó gyakorlat időpontja",
            "Jó reggelt. A tanulmányi osztály szeretne időpontot kérni a tűzriadó gyakorlathoz az A épületben a következő félévre",
            "A épület")
        #expect(result.priority == .p4, "\(result.signals)")
        #expect(result.category == "fire_safety")
        #expect(!result.signals.contains { $0.contains("words unknown") })
    }
}
