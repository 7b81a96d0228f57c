import Foundation

/// Danger described without the classic alarm words, read as hazard × exposure: what could hurt
/// (a chemical, a heavy thing about to fall, a drop, glass, live current, steam or scalding water,
/// sewage, a damaged structure, being shut in) and whether people are there now. With people
/// exposed the floor is P0 (docs/contract.md §9: "danger to people now"); the same hazard with
/// nobody in the way is P1, so a technician still comes within hours. Faulty safety systems and
/// failing essential cooling are P1 (the rubric's "safety system faulty", "essential service").
///
/// Under-rating danger costs far more than over-rating it, so these rules are deliberately
/// generous: a wrong P0 costs a technician a visit, a missed one costs a person.
enum HazardRules {
    typealias Words = HazardVocabulary

    enum Hazard: String, Sendable {
        case chemical, falling, sharp, energy, heat, biological, structural, entrapment, water
        /// What people did: moved others out of the way, told them to leave. Whatever the
        /// hazard, a reporter who clears people away is reporting danger to people now.
        case response
        /// Not a hazard itself: what protects people from one (fire alarms, emergency showers).
        case protection
        /// Not a hazard itself: cooling that samples, vaccines or servers depend on.
        case essential
    }

    struct Hit: Sendable {
        let range: ClosedRange<Int>
        let floor: Priority
        /// What was found, shown in `signals` after the hazard: `falling: hanging over people`.
        let name: String
    }

    struct Rule: Sendable {
        let hazard: Hazard
        let triggers: Set<String>
        /// False where the fault is itself said with a negation ("the emergency shower doesn't work").
        var negatable = true
        /// The building system the hazard involves, for `impact.systems`.
        var system: String? = nil
        let match: @Sendable (_ tokens: [String], _ index: Int, _ context: SafetyRuleContext) -> Hit?
    }

    static let rulesByTrigger: [String: [Int]] = {
        var table: [String: [Int]] = [:]
        for (index, rule) in rules.enumerated() {
            for word in rule.triggers { table[word, default: []].append(index) }
        }
        return table
    }()

    private static func near(_ tokens: [String], _ index: Int, _ radius: Int, _ words: Set<String>, acrossClauses: Bool = true) -> Int? {
        SafetyRules.nearest(tokens, index, within: radius, in: words, acrossClauses: acrossClauses)
    }

    private static func span(_ a: Int, _ b: Int) -> ClosedRange<Int> { SafetyRules.span(a, b) }

    /// "directly underneath", "right below it", "people sat right under it": where a falling
    /// thing would land on someone.
    static func directlyBeneath(_ tokens: [String], near index: Int) -> Int? {
        for position in max(0, index - 25)..<min(tokens.count, index + 25)
        where ["under", "underneath", "below", "beneath"].contains(tokens[position]) {
            if position > 0, ["directly", "right", "straight", "sat", "sitting", "standing", "walk", "walking", "stood"].contains(tokens[position - 1]) {
                return position
            }
        }
        return nil
    }

    /// P0 when people are exposed, P1 otherwise.
    private static func exposed(_ exposed: Bool, _ range: ClosedRange<Int>, _ withPeople: String, _ alone: String) -> Hit {
        exposed ? Hit(range: range, floor: .p0, name: withPeople) : Hit(range: range, floor: .p1, name: alone)
    }

    // MARK: - The rules

    static let rules: [Rule] = [
        // People moved out of the way of something: "Everyone out, students held back at the
        // boat shed", "I told them to come out", "we have moved him to the living room", "all
        // personnel have withdrawn". Drills, evacuation maps and chairs are not an incident.
        Rule(hazard: .response, triggers: Words.responseTriggers) { tokens, index, _ in
            let word = tokens[index]
            let after = SafetyRules.next(tokens, index) ?? ""
            let people = Words.responsePeople
            if near(tokens, index, 6, Words.responseNonIncident) != nil { return nil }
            switch word {
            case "told", "telling", "asked", "asking":
                // "told them to come out", "telling ppl to walk round", "told everyone not to go down".
                guard let person = (index + 1..<min(tokens.count, index + 4)).first(where: { people.contains(tokens[$0]) }),
                    let away = (person + 1..<min(tokens.count, person + 9)).first(where: { Words.awayWords.contains(tokens[$0]) })
                else { return nil }
                return Hit(range: index...away, floor: .p0, name: "people told to keep away")
            case "evacuated", "evacuating", "evacuate":
                return Hit(range: index...index, floor: .p0, name: "people evacuated")
            case "withdrawn", "withdrew", "vacated":
                if after == "from" { return nil }  // "withdrawn from service": a lift's or a room's status
                guard near(tokens, index, 6, Words.withdrawnFrom) != nil else { return nil }
                return Hit(range: index...index, floor: .p0, name: "people withdrawn")
            case "held", "holding", "keeping", "kept", "keep", "pulled":
                // "students held back at the boat shed", "keeping people away from it".
                guard let away = (index + 1..<min(tokens.count, index + 4)).first(where: { ["back", "away", "clear"].contains(tokens[$0]) }),
                    near(tokens, index, 4, people, acrossClauses: false) != nil
                else { return nil }
                return Hit(range: index...away, floor: .p0, name: "people kept away")
            case "moved":
                // "we have moved him to the living room", "moved the family into the common room".
                let moved = ["the", "my", "our"].contains(after) ? (index + 2 < tokens.count ? tokens[index + 2] : "") : after
                guard Words.movedPeople.contains(moved) else { return nil }
                return Hit(range: index...min(tokens.count - 1, index + 2), floor: .p0, name: "people moved out of the way")
            default:
                // "Everyone out", "got everybody out".
                guard after == "out", SafetyRules.previous(tokens, index).map({ !["not", "locked", "shut"].contains($0) }) ?? true else { return nil }
                return Hit(range: index...index + 1, floor: .p0, name: "people cleared out")
            }
        },
        // Fumes or a spill with people coughing, dizzy, eyes streaming.
        Rule(hazard: .chemical, triggers: Words.symptoms) { tokens, index, _ in
            let word = tokens[index]
            if word == "sick", !["feel", "feeling", "felt", "feels", "being", "been", "was", "were", "got"].contains(SafetyRules.previous(tokens, index) ?? "")
            {
                return nil
            }
            // "someone's been sick on the stairs": vomit to clean up, not a symptom of fumes.
            if word == "sick", let after = SafetyRules.next(tokens, index),
                ["on", "in", "everywhere", "outside"].contains(after) || (after == "all" && SafetyRules.next(tokens, index + 1) == "over")
            {
                return nil
            }
            if word == "passed", SafetyRules.next(tokens, index) != "out" { return nil }
            if word == "headed", SafetyRules.previous(tokens, index) != "light" { return nil }
            // "a faint smell" is weak, not someone fainting.
            if word == "faint",
                !["feel", "feeling", "felt", "feels", "to", "going", "about", "might", "nearly", "almost"].contains(SafetyRules.previous(tokens, index) ?? "")
            {
                return nil
            }
            if ["eyes", "chest", "throat"].contains(word),
                near(tokens, index, 3, ["stinging", "burning", "streaming", "watering", "tight", "sore", "itchy", "hurt", "hurts", "red"]) == nil
            {
                return nil
            }
            if ["breathe", "breathing"].contains(word), near(tokens, index, 3, Words.hardToBreathe) == nil {
                return nil
            }
            if word == "breath", SafetyRules.previous(tokens, index) != "of" || near(tokens, index, 2, ["short", "shortness", "out"]) == nil { return nil }
            guard let agent = near(tokens, index, 60, Words.symptomCauses) else { return nil }
            return Hit(range: span(index, agent), floor: .p0, name: "fumes or spill with people unwell")
        },
        // A chemical released, nobody reported unwell (yet).
        Rule(hazard: .chemical, triggers: Words.chemicalAgents) { tokens, index, _ in
            if tokens[index] == "fumes", SafetyRules.previous(tokens, index) == "exhaust" { return nil }
            guard let release = near(tokens, index, 5, Words.releaseWords.subtracting(["smell", "smells", "smelling", "stink", "stinks"])) else {
                return nil
            }
            return Hit(range: span(index, release), floor: .p1, name: "chemical released")
        },
        // Something heavy hanging, leaning or about to come down; P0 over people.
        Rule(hazard: .falling, triggers: Words.hangingWords.union(["fall", "falling", "topple", "come", "coming", "bolt", "screw", "fixing", "loose"])) {
            tokens, index, context in
            let word = tokens[index]
            switch word {
            case "fall", "falling", "topple":
                guard near(tokens, index, 3, Words.imminentWords, acrossClauses: false) != nil else { return nil }
            case "come", "coming":
                // "coming away from the wall": still up there. "came off" has already fallen.
                guard word == "coming" || SafetyRules.previous(tokens, index) == "has", let after = SafetyRules.next(tokens, index),
                    ["away", "off", "loose"].contains(after),
                    near(tokens, index, 10, ["over", "above", "overhead", "ceiling", "wall", "bracket", "hanging"]) != nil
                else { return nil }
            case "loose":
                // "coping stones loose above the entrance": loose only counts overhead.
                guard near(tokens, index, 8, ["over", "above", "overhead"]) != nil else { return nil }
            case "bolt", "screw", "fixing":
                guard let before = SafetyRules.previous(tokens, index), ["one", "single", "last"].contains(before) else { return nil }
            default:
                // "people leaning on the radiator" is about the people.
                if let before = SafetyRules.previous(tokens, index), Words.presence.contains(before) { return nil }
            }
            // "one side of the bed frame just dropped": furniture that has already given way.
            if word == "dropped", near(tokens, index, 6, ["bed", "chair", "stool", "sofa", "desk", "table", "seat", "slats"]) != nil { return nil }
            // "the shelf is sagging a little, the unit is fixed to the wall and solid".
            if near(tokens, index, 3, Words.slightly, acrossClauses: false) != nil, let fixed = near(tokens, index, 20, Words.stillFixed),
                !Negation.isNegated(tokens, at: fixed)
            {
                return nil
            }
            // "the handle of the cupboard hanging off": a small part, not the cupboard.
            if near(
                tokens, index, 15,
                ["handle", "knob", "hook", "label", "flap", "curtain", "blind", "poster", "picture", "hinge", "catch", "keeper", "latch", "lock", "strike"])
                != nil
            {
                return nil
            }
            // "the sub cab has sheared a shackle and is hanging off its safety bond, rows A to D
            // directly underneath": whatever it is, it hangs over people.
            let underneath = directlyBeneath(tokens, near: index)
            guard let thing = near(tokens, index, 10, Words.heavyObjects) ?? underneath else { return nil }
            if tokens[thing] == "light", SafetyRules.next(tokens, thing) == "switch" { return nil }
            if underneath != nil, ["hanging", "hangs", "dangling", "dangles", "swinging", "swings", "sagging", "leaning", "tilting"].contains(word) {
                return Hit(range: span(index, thing), floor: .p0, name: "about to fall on people")
            }
            // Over an entrance, the seats, a walkway: people pass beneath even when none is named.
            let overPassage = near(tokens, index, 12, Words.overWords) != nil && near(tokens, index, 14, Words.thoroughfares) != nil
            return exposed(context.peoplePresent || overPassage, span(index, thing), "about to fall on people", "about to fall")
        },
        // Pieces already coming down from overhead where people pass: concrete, render, ice, slates.
        Rule(hazard: .falling, triggers: Words.fragments) { tokens, index, context in
            // "a row of icicles over the main doors, one already came down on the top step".
            guard
                let fall = near(tokens, index, 6, Words.fragmentFalls, acrossClauses: false) ?? near(tokens, index, 14, ["came", "fell", "fallen", "dropped"]),
                near(tokens, index, 15, Words.overhead) != nil
            else { return nil }
            if tokens[fall] == "off" || tokens[fall] == "down",
                !["came", "come", "coming", "fell", "falling", "dropped", "dropping", "sliding", "slid"].contains(
                    SafetyRules.previous(tokens, fall) ?? "")
            {
                return nil
            }
            let passing = context.peoplePresent || near(tokens, index, 25, Words.thoroughfares) != nil
            return exposed(passing, span(index, fall), "pieces falling where people pass", "pieces falling from above")
        },
        // A floor, stage or lift that has dropped or tilted with people on it.
        Rule(hazard: .falling, triggers: ["lurched", "dropped", "tilted", "tilting", "collapsed", "sank", "sunk", "gave", "slumped"]) { tokens, index, _ in
            if tokens[index] == "gave", SafetyRules.next(tokens, index) != "way" { return nil }
            guard let platform = near(tokens, index, 8, Words.platforms),
                let on = near(tokens, index, 20, ["on"]),
                near(tokens, on, 3, Words.responsePeople) != nil
            else { return nil }
            return Hit(range: span(index, platform), floor: .p0, name: "platform gave way with people on it")
        },
        // Concrete breaking up: "fresh crack full width, concrete chunks on the deck, rebar showing".
        Rule(hazard: .structural, triggers: ["rebar", "reinforcement", "reinforcing"], system: "structural") { tokens, index, _ in
            guard near(tokens, index, 4, ["showing", "exposed", "visible", "bare", "out"]) != nil,
                let crack = near(tokens, index, 25, Words.concreteFailing),
                !Negation.isNegated(tokens, at: crack)
            else { return nil }
            return Hit(range: span(index, crack), floor: .p0, name: "concrete breaking up")
        },
        // A railing or balustrade that would not hold someone, over a drop.
        Rule(hazard: .falling, triggers: Words.barriers) { tokens, index, _ in
            // "barrier lvl 6 NE corner, a 2m section now bent outwards": the weakness may come a clause later.
            guard let weakness = near(tokens, index, 14, Words.barrierWeakness) else { return nil }
            // "wobbles at the top end, still firmly fixed at the bottom": a fixing to tighten.
            // ("a bit wobbly" alone is understatement, not safety: it still counts.)
            if let fixed = near(tokens, index, 20, Words.stillFixed), !Negation.isNegated(tokens, at: fixed) { return nil }
            let height = near(tokens, index, 30, Words.heights) ?? highFloor(tokens, near: index)
            guard height != nil else { return Hit(range: span(index, weakness), floor: .p4, name: "barrier loose") }
            return Hit(range: span(index, weakness), floor: .p0, name: "barrier would not hold, over a drop")
        },
        // A hole, void or missing floor panel people could step into.
        Rule(hazard: .falling, triggers: Set(["hole", "holes", "void", "manhole", "pit", "shaft", "gap"]).union(Words.uncovered)) { tokens, index, context in
            // "a gap like 40cm straight down" in a walkway; not the gap under a door.
            if tokens[index] == "gap", near(tokens, index, 12, ["down", "drop", "deep", "water", "fall", "fell"]) == nil { return nil }
            // "a hole about 40 cm across now and the boards round it flex".
            let surfaceRadius = tokens[index] == "gap" ? 20 : 10
            if let before = SafetyRules.previous(tokens, index), ["tiny", "small", "little", "pin", "screw", "nail"].contains(before) { return nil }
            let surface: Int
            if Words.uncovered.contains(tokens[index]) {
                // "the floor hatch was left open", "two floor panels lifted": a cover off an opening.
                guard let cover = near(tokens, index, 4, Words.covers),
                    near(tokens, cover, 3, ["floor", "ground", "walkway", "path", "pavement", "manhole"]) != nil
                else { return nil }
                surface = cover
            } else {
                guard let found = near(tokens, index, surfaceRadius, Words.walkedSurfaces) else { return nil }
                // "has no cover on it: a hole": the missing cover is the hazard, not a denial of it.
                // "two boards have gone, a gap straight down": the missing boards are the hazard too.
                surface = (Words.covers.contains(tokens[found]) && Negation.isNegated(tokens, at: found)) || tokens[index] == "gap" ? index : found
            }
            let risk = context.peoplePresent || near(tokens, index, 20, Words.fallExposure) != nil
            return exposed(risk, span(index, surface), "opening people could fall into", "opening in a floor")
        },
        // Broken glass still hanging in its frame.
        Rule(hazard: .sharp, triggers: Words.glassWords) { tokens, index, context in
            guard let loose = near(tokens, index, 8, Words.glassLoose) else { return nil }
            return exposed(context.peoplePresent, span(index, loose), "glass hanging over people", "glass hanging in a frame")
        },
        // A cut or crackling mains cable.
        Rule(hazard: .energy, triggers: Words.cableDamage, system: "electrical") { tokens, index, _ in
            guard let cable = near(tokens, index, 4, Words.mainsLeads, acrossClauses: false),
                near(tokens, cable, 4, Words.lowVoltageCables) == nil
            else { return nil }
            return Hit(range: span(index, cable), floor: .p0, name: "damaged live cable")
        },
        // Crackling or sizzling from electrics: arcing.
        Rule(hazard: .energy, triggers: Words.arcingSounds.union(["flash", "flashes"]), system: "electrical") { tokens, index, _ in
            // "little orange flashes from the light rail, every few seconds a snap": a flash with a
            // sound or a burning smell is an arc; a light flashing on and off is a flicker.
            if ["flash", "flashes"].contains(tokens[index]),
                near(tokens, index, 20, ["snap", "snapping", "crack", "bang", "pop", "buzz", "burning", "burnt", "smell", "sparks"]) == nil
            {
                return nil
            }
            // "a thick black cable sticking out of the sand by the swings. Cut end. It makes a little crackling noise."
            // In its own sentence the part may be further: "the socket next to my bed make small blue flash and crackle".
            guard
                let part = near(tokens, index, 6, Words.arcingParts) ?? near(tokens, index, 12, Words.arcingParts, acrossClauses: false)
                    ?? near(tokens, index, 20, SafetyVocabulary.wireWords),
                near(tokens, index, 6, ["speaker", "speakers", "audio", "microphone", "mic", "radio", "line", "headphones", "fire", "log"]) == nil
            else { return nil }
            return Hit(range: span(index, part), floor: .p0, name: "arcing sounds")
        },
        // An electrical panel or cupboard hot to the touch (P0) or buzzing loudly (P1).
        Rule(hazard: .energy, triggers: Words.enclosures, system: "electrical") { tokens, index, _ in
            let isElectrical = Words.electricalWords.contains(tokens[index]) || near(tokens, index, 3, Words.electricalWords) != nil
            guard isElectrical else { return nil }
            if let heat = near(tokens, index, 30, Words.enclosureHeat), !Negation.isNegated(tokens, at: heat) {
                return Hit(range: span(index, heat), floor: .p0, name: "electrical panel overheating")
            }
            guard let noise = near(tokens, index, 8, Words.enclosureNoise) else { return nil }
            return Hit(range: span(index, noise), floor: .p1, name: "electrical panel buzzing")
        },
        // Steam filling a space.
        Rule(hazard: .heat, triggers: Words.steamWords, system: "hvac") { tokens, index, _ in
            if let after = SafetyRules.next(tokens, index), ["room", "iron", "cleaner", "cleaning", "oven", "wand"].contains(after) { return nil }
            // "full of like warm fog ... a whistling hiss near the plant room": fog indoors that is hot is steam.
            if ["fog", "foggy"].contains(tokens[index]),
                near(tokens, index, 20, ["hot", "warm", "hiss", "hissing", "whistling", "boiling", "sauna", "steam", "humid"]) == nil
            {
                return nil
            }
            // "hot steam comming out from the plant area in basement and now the whole corridor is white".
            guard let release = near(tokens, index, 16, Words.steamRelease) else { return nil }
            // "so thick you can't see the end of it": the denial is how dense it is.
            if tokens[release] == "see", Negation.isNegated(tokens, at: release) { return Hit(range: index...index, floor: .p0, name: "steam release") }
            return Hit(range: span(index, release), floor: .p0, name: "steam release")
        },
        // Scalding water: spraying or burning people (P0), or just too hot (P1).
        Rule(hazard: .heat, triggers: Words.scaldWords.union(["hot"]), system: "plumbing") { tokens, index, _ in
            // "boiling kettles to wash": the remedy, not the hazard.
            if let after = SafetyRules.next(tokens, index), ["kettle", "kettles", "pans", "pan", "eggs", "pasta"].contains(after) { return nil }
            if tokens[index] == "hot" {
                // "super hot water", or hot water already spraying: "hot water spraying out of the wall".
                let intensified = ["very", "too", "extremely", "really", "dangerously", "boiling", "super", "scalding", "burning"].contains(
                    SafetyRules.previous(tokens, index) ?? "")
                let spraying =
                    SafetyRules.next(tokens, index) == "water" && near(tokens, index, 4, ["spraying", "gushing", "spurting", "jet", "pouring"]) != nil
                guard intensified || spraying else { return nil }
            }
            guard let water = near(tokens, index, 6, Words.hotWater) else { return nil }
            if let reach = near(tokens, index, 12, Words.scaldExposure), !Negation.isNegated(tokens, at: reach) {
                return Hit(range: span(index, reach), floor: .p0, name: "scalding water reaching people")
            }
            guard tokens[index] != "hot" || SafetyRules.next(tokens, index) == "water" else { return nil }
            return Hit(range: span(index, water), floor: .p1, name: "scalding water")
        },
        // Someone stung or bitten who is allergic: "one patient stung on the neck and says she's
        // allergic", "got stung, he has an EpiPen". Not "I'm allergic to dust".
        Rule(hazard: .biological, triggers: ["allergic", "anaphylaxis", "anaphylactic", "epipen", "epipens"]) { tokens, index, _ in
            guard let stung = near(tokens, index, 12, ["stung", "stinging", "bitten", "sting", "stings"]) else { return nil }
            return Hit(range: span(index, stung), floor: .p0, name: "someone stung and allergic")
        },
        // Sewage coming up; in a kitchen or café, P0.
        Rule(hazard: .biological, triggers: Words.sewageWords.union(Words.dirtyWater), system: "plumbing") { tokens, index, context in
            let word = tokens[index]
            if Words.dirtyWater.contains(word) {
                // "dark water with a very unpleasant smell began coming up through the floor drain".
                guard SafetyRules.next(tokens, index) == "water", near(tokens, index, 12, Words.drainWords) != nil else { return nil }
            }
            if word == "foul", let after = SafetyRules.next(tokens, index), !["water", "drain", "drains", "waste", "sewer"].contains(after) { return nil }
            // "a sewage smell across level 5": a smell of drains, not sewage coming up.
            if near(tokens, index, 2, SafetyVocabulary.smellWords, acrossClauses: false) != nil, near(tokens, index, 8, Words.risingWords) == nil {
                return nil
            }
            if context.foodArea { return Hit(range: index...index, floor: .p0, name: "sewage in a food area") }
            guard let rising = near(tokens, index, 8, Words.risingWords) else { return nil }
            return Hit(range: span(index, rising), floor: .p1, name: "sewage coming up")
        },
        // A tree or vehicle on the building, with fresh cracks inside.
        Rule(hazard: .structural, triggers: Words.impactors, system: "structural") { tokens, index, _ in
            if SafetyRules.next(tokens, index) == "park" { return nil }
            // "Elm Row", "Pine Hall", "Oak Court": a tree's name is often a building's.
            if Words.treeNames.contains(tokens[index]), let after = SafetyRules.next(tokens, index), Words.placeNameWords.contains(after) { return nil }
            // "the big pine came down onto the back of House 9 last night, it's resting on the roof".
            guard let structure = near(tokens, index, 18, Words.struckStructures)
            else { return nil }
            if let crack = near(tokens, index, 60, Words.crackWords), !Negation.isNegated(tokens, at: crack) {
                return Hit(range: span(index, crack), floor: .p0, name: "impact with cracks inside")
            }
            guard near(tokens, index, 4, ["on", "onto", "through", "into", "hit", "across", "fell", "down"]) != nil else { return nil }
            return Hit(range: span(index, structure), floor: .p1, name: "impact on the building")
        },
        // Someone shut in anywhere (lifts have their own rule).
        Rule(hazard: .entrapment, triggers: Words.confinement) { tokens, index, context in
            guard !context.mentionsLift else { return nil }
            // "locked in the cold store"; "stuck on the roof with the hatch shut".
            guard let after = SafetyRules.next(tokens, index),
                ["in", "inside", "into"].contains(after)
                    || (after == "on" && near(tokens, index, 3, ["roof", "ledge", "scaffold", "scaffolding", "balcony"]) != nil)
            else { return nil }
            if near(tokens, index, 5, Words.animals) != nil { return nil }
            guard let person = near(tokens, index, 6, Words.someone, acrossClauses: false) else { return nil }
            // "the barriers at both staff car parks are stuck in the up position": a thing stuck, not the staff.
            if tokens[min(person, index)...max(person, index)].contains(where: Words.stuckThings.contains) { return nil }
            return Hit(range: span(index, person), floor: .p0, name: "someone shut in")
        },
        // "can't get out": the denial is the hazard, so this rule is not negatable. The person may
        // be a sentence away: "Door has swung shut behind him and the push bar is broken. Cannot get out."
        Rule(hazard: .entrapment, triggers: ["out"], negatable: false) { tokens, index, context in
            guard !context.mentionsLift, index >= 2, tokens[index - 1] == "get", ["cant", "cannot", "couldnt"].contains(tokens[index - 2]),
                near(tokens, index, 5, Words.animals) == nil,
                let person = near(tokens, index, 6, Words.someone, acrossClauses: false)
                    ?? near(tokens, index, 25, SafetyVocabulary.people),
                near(tokens, index, 25, ["door", "doors", "inside", "locked", "shut", "room", "store", "cupboard", "hatch"]) != nil,
                near(tokens, index, 8, ["car", "cars", "park", "parking", "road", "traffic", "bed", "queue"]) == nil
            else { return nil }
            return Hit(range: span(index, person), floor: .p0, name: "someone shut in")
        },
        // Someone inside a room whose door will not open: "he is inside and the door cannot be opened".
        Rule(hazard: .entrapment, triggers: ["open", "opened", "opening", "budge", "unlock", "unlocked", "jammed", "seized"], negatable: false) {
            tokens, index, context in
            guard !context.mentionsLift, near(tokens, index, 8, Words.animals) == nil else { return nil }
            // "the bathroom lock has jammed and he's been inside 40 minutes".
            if ["jammed", "seized"].contains(tokens[index]) {
                guard near(tokens, index, 4, ["lock", "door", "handle", "latch"]) != nil, !Negation.isNegated(tokens, at: index) else { return nil }
            } else if !Negation.isNegated(tokens, at: index) {
                return nil
            }
            // "my friend is inside the dome and the door not open from inside": any mention of
            // someone inside nearby, not only the nearest "inside". A door that won't budge needs
            // someone in there; a stuck aisle with staff outside it is not a person shut in.
            let insideWords = ["open", "opened", "opening"].contains(tokens[index]) ? Words.shutInside : Words.inside
            let candidates = (max(0, index - 25)..<min(tokens.count, index + 25)).filter {
                insideWords.contains(tokens[$0]) || (tokens[$0] == "there" && $0 > 0 && tokens[$0 - 1] == "in")
            }
            guard let inside = candidates.first(where: { near(tokens, $0, 6, Words.someone, acrossClauses: false) != nil }) else { return nil }
            return Hit(range: span(index, inside), floor: .p0, name: "someone shut in")
        },
        // A leak that is spreading (rubric P1: "a spreading leak"): "now tracking along the
        // ceiling, the stain has doubled"; not "it isn't spreading".
        Rule(hazard: .water, triggers: ["spreading", "spread", "doubled", "tracking", "worse", "bigger"], system: "plumbing") { tokens, index, _ in
            let word = tokens[index]
            if ["worse", "bigger"].contains(word), SafetyRules.previous(tokens, index) != "getting" { return nil }
            guard let leak = near(tokens, index, 14, ["leak", "leaks", "leaking", "drip", "drips", "dripping", "water", "damp", "stain"]) else { return nil }
            return Hit(range: span(index, leak), floor: .p1, name: "leak spreading")
        },
        // Standing water deep enough to flood a space: "ankle deep in the corridor", "water coming in fast".
        Rule(hazard: .water, triggers: ["deep", "ankle", "ankles", "knee", "knees", "inches", "inch", "fast", "gushing", "burst"], system: "plumbing") {
            tokens, index, _ in
            // "a burst main gushing into the basements, where the electrical intake is".
            if ["gushing", "burst"].contains(tokens[index]),
                near(tokens, index, 25, ["basement", "basements", "intake", "switchroom", "substation", "electrical", "electrics", "rising"]) == nil
            {
                return nil
            }
            if tokens[index] == "fast", !["coming", "pouring", "rising", "gushing", "spreading"].contains(SafetyRules.previous(tokens, index) ?? "") {
                return nil
            }
            // "the 'DANGER - DEEP WATER' sign by the pond has fallen over".
            if near(tokens, index, 4, ["sign", "signs", "notice", "poster", "warning", "danger"]) != nil { return nil }
            guard let water = near(tokens, index, 8, Words.waterOnFloor) ?? near(tokens, index, 30, ["water"]),
                near(tokens, index, 30, ["water", "leak", "burst", "flooding", "pouring", "rain", "main", "mains"]) != nil
            else { return nil }
            return Hit(range: span(index, water), floor: .p0, name: "deep water spreading")
        },
        // Water reaching live electrics: P0 where they fail or it reaches sockets and boards, P1 in a light fitting.
        Rule(hazard: .energy, triggers: Words.waterWords, system: "electrical") { tokens, index, _ in
            guard let part = near(tokens, index, 6, Words.liveParts) else { return nil }
            // A power strip, not a strip light or a weather strip; an extension lead, not the
            // building's new extension or extension 4432.
            if ["strip", "strips"].contains(tokens[part]), SafetyRules.previous(tokens, part) != "power" { return nil }
            if ["extension", "extensions"].contains(tokens[part]),
                !["lead", "leads", "cable", "cables", "cord", "cords", "reel", "reels", "socket", "sockets", "block", "board", "boards"]
                    .contains(SafetyRules.next(tokens, part) ?? "")
            {
                return nil
            }
            if ["light", "lights"].contains(tokens[part]), let after = SafetyRules.next(tokens, part), ["switch", "switches"].contains(after) { return nil }
            let failing = near(tokens, index, 14, Words.liveFailing) != nil
            let fitting = ["fitting", "fittings", "light", "lights"].contains(tokens[part])
            if failing || !fitting { return Hit(range: span(index, part), floor: .p0, name: "water on live electrics") }
            return Hit(range: span(index, part), floor: .p1, name: "water in a light fitting")
        },
        // A safety system that does not work: emergency shower, fire alarm, fume hood, extinguisher.
        Rule(hazard: .protection, triggers: Words.safetySystems, negatable: false, system: "fire_safety") { tokens, index, _ in
            let word = tokens[index]
            let standalone: Set<String> = ["eyewash", "defibrillator", "defib", "aed", "sprinkler", "sprinklers", "extinguisher", "extinguishers", "lev"]
            guard standalone.contains(word) || near(tokens, index, 2, Words.safetyQualifiers, acrossClauses: false) != nil else { return nil }
            // A sign about the system is not the system: "fire extinguisher sign got nicked",
            // "Sign at fire alarm button" (an illuminated exit sign is a system of its own).
            if !["sign", "signs"].contains(word),
                near(tokens, index, 3, ["sign", "signs", "signage", "sticker", "stickers", "label", "labels", "placard", "poster"], acrossClauses: false) != nil
            {
                return nil
            }
            // "fire alarm test tomorrow", "sprinkler service": planned work, not a fault.
            if let after = SafetyRules.next(tokens, index), Words.plannedWork.contains(after) { return nil }
            // A sprinkler head that drips or was knocked may discharge.
            if ["sprinkler", "sprinklers"].contains(word),
                let damage = near(tokens, index, 10, ["dripping", "leaking", "weeping", "knocked", "bent", "damaged", "hit", "missing", "cracked"])
            {
                return Hit(range: span(index, damage), floor: .p1, name: "safety system not working")
            }
            // Korean says "there is none" at the end ("소화기가 없어요" → "extinguisher 가 no"); not
            // Portuguese "extintor no corredor", in the corridor.
            if ["extinguisher", "extinguishers"].contains(word),
                let none = near(tokens, index, 2, ["no", "none"], acrossClauses: false), none > index,
                none + 1 == tokens.count || tokens[none + 1] == Tokenizer.boundary
            {
                return Hit(range: index...none, floor: .p1, name: "safety system not working")
            }
            var position = index + 1
            while position < tokens.count, position <= index + 16 {
                let candidate = tokens[position]
                if Words.faultWords.contains(candidate) {
                    let isWorkWord = [
                        "work", "working", "works", "pulling", "close", "closes", "closing", "shut", "shuts", "latch", "latching", "come", "came",
                        "coming", "lit", "illuminated",
                    ].contains(candidate)
                    if !isWorkWord || Negation.isNegated(tokens, at: position) {
                        return Hit(range: index...position, floor: .p1, name: "safety system not working")
                    }
                }
                position += 1
            }
            return nil
        },
        // A fire door that does not close, said in another language (``AlarmWordsAbroad/fireDoors``):
        // "la puerta cortafuegos no cierra sola", "usa antifoc nu se mai închide", "Brandschutztür fällt nicht zu".
        Rule(hazard: .protection, triggers: AlarmWordsAbroad.fireDoors, negatable: false, system: "fire_safety") { tokens, index, _ in
            AlarmWordsAbroad.fireDoorNotClosing(tokens, index).map { Hit(range: $0, floor: .p1, name: "fire door not closing") }
        },
        // An extinguisher gone or empty, said abroad: "faltan 2 extintores en el pabellón", "gaśnica pusta".
        Rule(hazard: .protection, triggers: AlarmWordsAbroad.extinguishers, negatable: false, system: "fire_safety") { tokens, index, _ in
            AlarmWordsAbroad.extinguisherMissing(tokens, index).map { Hit(range: $0, floor: .p1, name: "extinguisher missing or empty") }
        },
        // Cooling that samples, vaccines or servers depend on, warming up.
        Rule(hazard: .essential, triggers: Words.coldStores) { tokens, index, _ in
            let word = tokens[index]
            switch word {
            case "cold", "comms", "server", "servers":
                guard let after = SafetyRules.next(tokens, index), ["room", "rooms", "store", "cupboard"].contains(after) else { return nil }
            case "conditioning", "aircon", "cooling", "crac":
                guard near(tokens, index, 15, ["server", "servers", "comms", "samples", "vaccines", "racks", "switches"]) != nil else { return nil }
            case "freezer", "freezers", "incubator":
                guard near(tokens, index, 20, ["samples", "lab", "research", "vaccines", "specimens", "cells", "ultra", "ult", "minus", "80"]) != nil else {
                    return nil
                }
            default: break
            }
            // "reading 15 degrees", "at 31C" (the tokenizer splits 31C into a number and c).
            let temperature = (max(0, index - 24)...min(tokens.count - 1, index + 24)).first { position in
                tokens[position] == Tokenizer.number && position + 1 < tokens.count && ["c", "degrees", "deg"].contains(tokens[position + 1])
            }
            guard let warm = near(tokens, index, 12, Words.coolingLost) ?? temperature
            else { return nil }
            return Hit(range: span(index, warm), floor: .p1, name: "essential cooling failing")
        },
    ]

    /// "on the 3rd floor", "top floor": a floor high enough that a fall from it hurts.
    private static func highFloor(_ tokens: [String], near index: Int) -> Int? {
        for position in max(0, index - 30)...min(tokens.count - 1, index + 30) where ["floor", "flr", "level", "storey"].contains(tokens[position]) {
            if position > 0, ["#ord", "#num", "second", "third", "fourth", "fifth", "top", "upper"].contains(tokens[position - 1]) { return position }
        }
        return nil
    }
}
