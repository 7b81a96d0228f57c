import Foundation

/// Groups of words people use for how bad a problem is, given to the classifier as concept
/// features (`k:lex=minor`). With a few hundred tickets per level the classifier cannot learn
/// from scratch that "unbearable", "impossible" and "we cancelled the class" mean the same;
/// these lists are general English, not phrases of the data set.
enum SeverityLexicon {
    /// Single words, and two-word phrases written with a space.
    static let groups: [(name: String, cues: Set<String>)] = [
        (
            "unusable",
            [
                "unusable", "unbearable", "impossible", "cancelled", "canceled", "cancel", "dead", "completely",
                "cant use", "cant teach", "cant work", "cant get", "had to", "stopped using", "nobody can", "at all",
                "moved out", "not usable", "pitch dark", "out of order",
            ]
        ),
        (
            "minor",
            [
                "bit", "slightly", "little", "sometimes", "occasionally", "annoying", "minor", "small", "tiny",
                "still works", "works fine", "works ok", "usable", "just about", "now and then", "still usable",
                "bearable", "noticeable", "noisy", "squeaks", "wobbles", "loose", "stiff",
            ]
        ),
        (
            "request",
            [
                "request", "suggestion", "suggest", "idea", "could we", "can we", "any chance", "please can",
                "would like", "is there", "could someone", "can someone", "would be", "question", "asking",
                "when is", "plans", "could i", "can i", "permission",
            ]
        ),
        (
            "cosmetic",
            [
                "paint", "painted", "painting", "repaint", "peeling", "flaking", "stain", "stains", "stained",
                "graffiti", "scuff", "scuffs", "scuffed", "marks", "faded", "tatty", "shabby", "dusty", "dust",
                "dirty", "filthy", "grubby", "sticky", "clean", "cleaned", "cleaning", "wipe", "wiped", "mess",
                "messy", "litter", "rubbish", "cobwebs", "limescale", "smudged", "gum", "ugly", "cosmetic",
                "untidy", "tidy",
            ]
        ),
        (
            "spreading",
            [
                "spreading", "spreads", "worse", "growing", "bigger", "rising", "steady", "stream", "pouring",
                "soaked", "getting worse",
            ]
        ),
        (
            "outage",
            [
                "outage", "blackout", "power cut", "no power", "no electricity", "no water", "no heating", "no heat",
                "no internet", "no network", "offline", "failed", "failure", "down", "tripped", "lost power",
            ]
        ),
        (
            "essential",
            [
                "freezer", "freezers", "samples", "vaccines", "vaccine", "server", "servers", "fume", "accessible",
                "wheelchair", "disabled", "crutches", "exam", "exams", "patients", "secure", "security",
            ]
        ),
    ]

    /// Names of the groups the words touch, in the order of `groups`.
    static func groups(in words: [String]) -> [String] {
        let hit = PhraseTable.matches(in: words, table: table)
        return groups.indices.filter { hit.contains($0) }.map { groups[$0].name }
    }

    private static let table = PhraseTable(groups.map(\.cues))
}
