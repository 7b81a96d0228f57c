import Foundation

/// How far a problem reaches, from the words of the location and the description.
///
/// Only explicit words count ("whole building", "every floor", "campus-wide", a location that
/// names a floor but no room): a bare building name ("Library") is where a problem is, not
/// how far it goes, so it stays `room` and the classifier judges the rest.
enum ScopeDetector {
    private static let wholeWords: Set<String> = ["whole", "entire", "all", "throughout", "across", "every", "everywhere", "anywhere", "any", "each"]
    private static let campusWords: Set<String> = ["campus", "university", "uni", "site"]
    private static let buildingWords: Set<String> = [
        "building", "buildings", "bldg", "block", "school", "faculty", "library", "centre", "center", "tower", "union",
        "halls", "wing", "flats", "floors", "levels", "rooms", "theatres", "labs", "offices", "classrooms",
    ]
    private static let floorWords: Set<String> = ["floor", "level", "flr", "storey"]
    /// Plural spaces that fill a floor as well as a building: "all the offices".
    private static let spacesOfAFloor: Set<String> = ["rooms", "theatres", "labs", "offices", "classrooms"]
    private static let wholeBuildingWords = buildingWords.subtracting(spacesOfAFloor)
    private static let floorOrdinals: Set<String> = [
        Tokenizer.ordinal, Tokenizer.number, "first", "second", "third", "fourth", "fifth", "sixth", "top", "ground",
    ]

    /// Whether the words name one floor by its number: "the 3rd floor", "first floor", "5 level".
    static func namesFloor(_ tokens: [String]) -> Bool {
        zip(tokens, tokens.dropFirst()).contains { floorOrdinals.contains($0) && floorWords.contains($1) }
    }
    /// Location words that name one room or space rather than a floor.
    private static let roomWords: Set<String> = [
        "room", "rm", "office", "lab", "laboratory", "flat", "kitchen", "toilet", "toilets", "studio", "suite",
        "cupboard", "theatre", "hall", "carrel", "carrels", "lt", "lh", "cl",
    ]

    /// The scope, and whether words say the whole space is affected ("whole floor") rather
    /// than the location merely naming a floor ("Library 2nd floor").
    static func scope(location: [String], text: [String]) -> (scope: Impact.Scope, explicit: Bool) {
        let all = location + [Tokenizer.boundary] + text
        if mentionsCampusWide(all) || namesOnlyTheCampus(location) || location.contains("everywhere") { return (.campus, true) }
        if mentionsWhole(all, of: buildingWords) || contains(all, "building", followedBy: "wide") {
            // "all offices are cold" on "the 5th floor": the floor's rooms.
            if namesFloor(all), !mentionsWhole(all, of: wholeBuildingWords) { return (.floor, true) }
            return (.building, true)
        }
        if mentionsWhole(all, of: floorWords) { return (.floor, true) }
        if location.contains(where: floorWords.contains), !location.contains(Tokenizer.number),
            !location.contains(where: roomWords.contains)
        {
            return (.floor, false)
        }
        return (.room, false)
    }

    /// Words a location may have beside "campus" and still be the whole campus ("Main campus",
    /// "the whole campus", "Campus inteiro"); any other word names a place on it ("North campus,
    /// Building 3", "Farm campus, dairy unit", "Campus Police HQ"): until the twelfth wave any
    /// location with the word in it was the campus, 33 of the 78 such outside tickets wrongly.
    private static let wordsOfTheWholeCampus: Set<String> = [
        "campus", "the", "main", "whole", "entire", "all", "our", "university", "uni", "site", "rest", "of", "and", "everywhere",
        "inteiro", "entero", "todo", "toda", "wide", Tokenizer.boundary,
    ]

    private static func namesOnlyTheCampus(_ location: [String]) -> Bool {
        location.contains("campus") && location.allSatisfy { wordsOfTheWholeCampus.contains($0) }
    }

    private static func mentionsCampusWide(_ tokens: [String]) -> Bool {
        for (index, token) in tokens.enumerated() {
            if campusWords.contains(token) {
                if index + 1 < tokens.count, tokens[index + 1] == "wide" { return true }
                if tokens[max(0, index - 3)..<index].contains(where: { wholeWords.contains($0) || ["over", "round", "around", "rest"].contains($0) }) {
                    return true
                }
                if index + 1 < tokens.count, ["inteiro", "entero", "todo", "toda"].contains(tokens[index + 1]) { return true }
            }
            // "multiple buildings", "three buildings": more than one building is the campus.
            if token == "buildings", index > 0,
                ["multiple", "several", "many", "two", "three", "four", "five", "#num", "various"].contains(tokens[index - 1])
            {
                return true
            }
            // "all buildings", "every building": more than one building is the campus.
            // "all building" (singular) is how some write "the whole building".
            if token == "buildings" || token == "building", index > 0,
                (token == "buildings" ? ["all", "every", "each"] : ["every", "each"]).contains(tokens[index - 1])
                    || (index > 1 && tokens[index - 2] == "all" && tokens[index - 1] == "the" && token == "buildings")
            {
                return true
            }
        }
        return false
    }

    /// "whole 3rd floor", "all the flats in block B", "throughout the library". "all" and
    /// "every" reach less far than "whole": "all the lights in the library reading room" is a
    /// room. A floor word between ("whole 2nd floor of arts") makes it a floor, except right
    /// after "every"/"all" ("every floor", "all floors" is the building).
    private static func mentionsWhole(_ tokens: [String], of targets: Set<String>) -> Bool {
        let lookingForBuilding = targets == buildingWords
        for (index, token) in tokens.enumerated() where wholeWords.contains(token) {
            let window = ["whole", "entire", "throughout", "everywhere", "anywhere"].contains(token) ? 5 : 3
            var position = index + 1
            while position < tokens.count, position <= index + window, tokens[position] != Tokenizer.boundary {
                let word = tokens[position]
                if targets.contains(word) { return true }
                if lookingForBuilding, position == index + 1, ["every", "each", "all", "any"].contains(token),
                    ["floor", "level", "room", "flat"].contains(word)
                {
                    return true
                }
                if lookingForBuilding, floorWords.contains(word) { break }
                position += 1
            }
        }
        return false
    }

    private static func contains(_ tokens: [String], _ first: String, followedBy second: String) -> Bool {
        zip(tokens, tokens.dropFirst()).contains { $0 == first && $1 == second }
    }

    // MARK: - Reach: the scope reported in `impact`

    /// Plant and fabric that serve a whole building: the roof, the façade, the boilers, the fire
    /// alarm panel. A fault in one reaches the building even when the words name only the part.
    /// A lift, a staircase or an entrance is one space: most people report them so.
    private static let buildingParts: Set<String> = [
        "facade", "façade", "parapet", "roof", "basement", "sprinkler", "sprinklers", "external", "boiler", "boilers", "chiller",
        "chillers", "substation",
    ]
    /// Words of a location that name a building or a place on campus.
    private static let placeWords: Set<String> = [
        "building", "library", "union", "centre", "center", "hall", "halls", "annexe", "annex", "chapel", "tower", "block", "lodge",
        "house", "school", "lake", "village",
    ]
    /// Shared spaces of one floor: a corridor, a landing, a riser.
    private static let floorParts: Set<String> = ["corridor", "corridors", "landing", "landings", "riser", "wing", "lobby"]

    /// How far the problem reaches, for `impact.scope`: the explicit scope when words give one;
    /// the campus when the location names several places; the floor when many things on a
    /// named floor fail; otherwise the reach of the part of the building the title or location
    /// names (the roof or the fire alarm panel serves the building, a corridor its floor);
    /// otherwise one room. A location that merely names a floor ("Library 2nd floor") is where
    /// one room is.
    ///
    /// Only `impact` uses this: the priority rule raises a level for explicitly building- and
    /// campus-wide problems only (a lift out of service is P1 by the rubric, not P0).
    static func reach(scope: Impact.Scope, explicit: Bool, location: [String], words: [String]) -> Impact.Scope {
        if explicit { return scope }
        if namesSeveralPlaces(location) { return .campus }
        // "Humanities, 3rd floor" and "none of the toilets flush": many things on that floor.
        if scope == .floor, words.contains(where: ["all", "none", "every", "along", "across", "throughout", "whole"].contains) { return .floor }
        let title = words.prefix { $0 != Tokenizer.boundary }
        let named = location + [Tokenizer.boundary] + title
        for (index, word) in named.enumerated() {
            let next = index + 1 < named.count ? named[index + 1] : ""
            if word == "panel", index > 0, named[index - 1] == "alarm" { return .building }
            // "lift lobby", "stair lobby": the landing of one floor.
            if buildingParts.contains(word), next == "lobby" { return .floor }
            // "Level 3 lift landing": the space by the lift doors (people report it so).
            if SafetyVocabulary.liftWords.contains(word), SafetyVocabulary.liftLandings.contains(next) { return .room }
            if buildingParts.contains(word), !(word == "roof" && (next == "space" || leaksInto(words))) { return .building }
        }
        if named.contains(where: floorParts.contains) { return .floor }
        // "none of the phones", "all telephones": a building's switchboard.
        if let phones = words.firstIndex(where: { $0 == "phones" || $0 == "telephones" }),
            words[max(0, phones - 4)..<phones].contains(where: { ["all", "none", "every", "any"].contains($0) })
        {
            return .building
        }
        return .room
    }

    /// "Main Library, Student Union and Sports Centre", "between the halls and the lake", "all
    /// staff car parks", "All residences": a location of several places is the campus.
    private static func namesSeveralPlaces(_ location: [String]) -> Bool {
        if location.contains("between") || location.contains("buildings") || location.contains("parks") { return true }
        if location.contains("and"), Set(location.filter(placeWords.contains)).count >= 2 { return true }
        // "All residences", "all student cottages", "every hall".
        if let first = location.first, ["all", "every", "each"].contains(first), location.count <= 4 { return true }
        // "everywhere?? library, Summit Hall, Birch Hall".
        if location.contains("everywhere") { return true }
        return false
    }

    /// Rain or water coming in through the roof: it reaches the room or floor it falls into,
    /// not the building ("roof leak in my office").
    private static let leakWords: Set<String> = ["leak", "leaks", "leaking", "leaky", "drip", "drips", "dripping", "rain", "raining", "water"]
    private static func leaksInto(_ words: [String]) -> Bool {
        words.contains(where: leakWords.contains)
    }

    // MARK: - Reported: `impact.scope`

    /// Words of a location that name a space inside a building, beyond the kinds of
    /// ``SpaceType``: "Council Chamber", "organ loft", "north elevation", "field edge".
    private static let insideWords: Set<String> = [
        "room", "rm", "rooms", "chamber", "jcr", "mcr", "loft", "nave", "aisle", "stacks", "veranda", "bay", "bays", "wall", "walls",
        "elevation", "exterior", "side", "door", "doors", "gate", "yard", "site", "road", "field", "edge", "area", "desk", "ward",
        "clinic", "hatch", "balcony", "walkway", "gallery", "wc", "wcs", "servery", "point", "bench", "benches", "window", "windows",
        "shelf", "bin", "bins", "plant", "compound", "tank", "pit", "car", "stage", "box", "booth", "kiosk", "island",
        "cell", "bed", "beds", "bedroom", "pool", "barn", "shed", "greenhouse", "ramp", "steps", "porch", "terrace", "path",
    ]
    /// Rooms that share their name with buildings ("the Great Hall" is one room, "Pine Hall" a residence).
    private static let hallRooms: Set<String> = ["great", "recital", "assembly", "dining", "sports", "concert", "lecture", "exam", "main", "common", "sport"]
    /// Words before a number that make it a building's number ("Bldg 14"), not a room's ("Harrow 2.14").
    private static let buildingNumberWords: Set<String> = ["building", "bldg", "block", "blk", "tower", "hall", "house", "annexe", "annex", "unit", "phase"]

    /// What a location names by itself: a whole building ("Sports Pavilion", "Bldg 14", "halls
    /// block A") or a floor of one ("Arts Tower, Level 2", "engineering 4th flr"), or nil when it
    /// names a space inside ("Library, Room 2.14", "Great Hall", "Bldg 4 L1 corridor").
    static func namedByLocation(_ parts: [String]) -> Impact.Scope? {
        // "Restaurant - main kitchen", "Bloco C, térreo, banheiro": a last part without a
        // building's or a floor's word names a space inside, in whatever language.
        let segments = parts.split(separator: Tokenizer.boundary)
        if segments.count >= 2, let last = segments.last,
            !last.contains(where: { placeWords.contains($0) || buildingNumberWords.contains($0) || floorWords.contains($0) }),
            !namesFloor(Array(last)), !(last.first == "l" && last.dropFirst().first == Tokenizer.number)
        {
            return nil
        }
        let location = parts.filter { $0 != Tokenizer.boundary }
        guard !location.isEmpty, [nil, .library].contains(SpaceType.detect(in: location)) else { return nil }
        for (index, word) in location.enumerated() {
            if insideWords.contains(word) || roomWords.contains(word) { return nil }
            if word == "hall", index > 0, hallRooms.contains(location[index - 1]) { return nil }
            if word == Tokenizer.number, index == 0 || !buildingNumberWords.contains(location[index - 1]) {
                // "Level 4" and "L2" name a floor; any other number a room.
                if index == 0 || !(floorWords.contains(location[index - 1]) || location[index - 1] == "l") { return nil }
            }
        }
        if location.contains(where: floorWords.contains) || namesFloor(location)
            || zip(location, location.dropFirst()).contains(where: { $0 == "l" && $1 == Tokenizer.number })
        {
            return .floor
        }
        return .building
    }
}
