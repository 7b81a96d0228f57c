import Foundation

/// What a ticket says about danger, as a handful of general concepts the danger model
/// (``TriageModel/danger``) weighs: which **hazard** could hurt (energy, chemical, falling, an
/// edge or hole, heat, entrapment, machinery, biological, an animal, structure, blocked exits),
/// who is **exposed** (people there, still there, underneath, children, a food area), whether
/// someone is already **harmed**, whether the writer is **urgent** or has **acted** (roped it
/// off, told people to move), and the products hazard × exposure, hazard × harm, hazard ×
/// urgency.
///
/// The model learns from these concepts, never from a ticket's words, so a writer who says
/// "the plate is hanging from a worn chain over the students" in words no training ticket used
/// still lands on *falling × underneath*. Cues are word stems ("hang" covers hanging, hangs,
/// hangin), general English with a few common words of other languages people mix in, and the
/// commonest danger words of Spanish, Portuguese, French, Malay and Indonesian; a cue a
/// negator denies in its clause ("no one hurt", "not hot") does not count.
package enum DangerCues {
    package enum Hazard: String, CaseIterable, Sendable {
        case energy, chemical, falling, edge, heat, entrapment, machinery, biological, animal, structure, egress, water
    }

    package enum Context: String, CaseIterable, Sendable {
        /// People named: students, staff, kids, "someone", a trade.
        case people
        /// "still using it", "still coming", "keep trying": exposure continuing now.
        case still
        /// Under, below, beneath, over the seats: in the path of what comes down.
        case under
        case children
        case food
        /// Already happened to someone: fainted, burnt a hand, bleeding, a shock, with the nurse.
        case harm
        /// Now, asap, come quickly, jaldi, help.
        case urgent
        /// The writer acted: roped off, told them to move, put a chair under it, evacuated.
        case acted
        /// Nobody there, empty, closed, locked, overnight: nobody exposed.
        case nobody
        /// Big, heavy, loud, very, metres, kilos: it is a lot.
        case intense
    }

    /// The concept features of one ticket, `d:` names, sorted for a stable order.
    package static func features(_ words: [String]) -> [String] {
        let found = cues(words)
        var names: Set<String> = []
        for hazard in found.hazards { names.insert(hazardName(hazard)) }
        for context in found.contexts { names.insert("d:c=" + context.rawValue) }
        let pairWith: [Context] = [.people, .still, .under, .children, .food, .harm, .urgent, .acted, .nobody, .intense]
        for hazard in found.hazards {
            for context in pairWith where found.contexts.contains(context) {
                names.insert(pairName(hazard, context))
            }
        }
        if found.hazards.count >= 2 { names.insert("d:hazards>=2") }
        for (first, second) in [(Context.people, Context.urgent), (.harm, .urgent), (.people, .still), (.people, .acted), (.still, .urgent)]
        where found.contexts.contains(first) && found.contexts.contains(second) {
            names.insert("d:c=" + first.rawValue + "*" + second.rawValue)
        }
        return names.sorted()
    }

    /// The contexts that put someone in a hazard's way (``TrainingSettings/jointP0``).
    static let exposures: [Context] = [.people, .still, .under, .children, .food, .harm]

    /// True when `features` (``features(_:)``'s names) pair a hazard with someone exposed to it.
    package static func namesAnExposedHazard(_ features: [String]) -> Bool {
        pairs(in: features).contains { exposures.contains($0.context) }
    }

    /// A hazard's feature name, "d:h=falling", and a hazard × context pair's, "d:h=falling*under":
    /// the one statement of the names ``hazards(in:)`` and ``pairs(in:)`` read back.
    static func hazardName(_ hazard: Hazard) -> String { "d:h=" + hazard.rawValue }
    static func pairName(_ hazard: Hazard, _ context: Context) -> String { hazardName(hazard) + "*" + context.rawValue }

    /// The hazards named among `features` (``features(_:)``'s names), in their order.
    package static func hazards(in features: [String]) -> [Hazard] {
        features.compactMap { name in
            guard name.hasPrefix("d:h="), !name.contains("*") else { return nil }
            return Hazard(rawValue: String(name.dropFirst(4)))
        }
    }

    /// The hazard × context pairs named among `features` (``features(_:)``'s names), in their order.
    package static func pairs(in features: [String]) -> [(hazard: Hazard, context: Context)] {
        features.compactMap { name in
            guard name.hasPrefix("d:h="), let star = name.firstIndex(of: "*"),
                let hazard = Hazard(rawValue: String(name[name.index(name.startIndex, offsetBy: 4)..<star])),
                let context = Context(rawValue: String(name[name.index(after: star)...]))
            else { return nil }
            return (hazard, context)
        }
    }

    /// Hazards and contexts named in `words` and not denied.
    package static func cues(_ words: [String]) -> (hazards: Set<Hazard>, contexts: Set<Context>) {
        var hazards: Set<Hazard> = []
        var contexts: Set<Context> = []
        for (index, word) in words.enumerated() where word != Tokenizer.boundary {
            var labels = lexicon.labels(of: word)
            if index + 1 < words.count, let pair = lexicon.phrases[word + " " + words[index + 1]] { labels.append(contentsOf: pair) }
            guard !labels.isEmpty else { continue }
            for label in labels {
                switch label {
                case .hazard(let hazard):
                    if !Negation.isNegated(words, at: index) { hazards.insert(hazard) }
                case .context(.nobody):
                    contexts.insert(.nobody)
                case .context(let context):
                    // "no one hurt", "nobody under it": a denied person or harm is nobody there.
                    if Negation.isNegated(words, at: index) {
                        if context == .people || context == .harm || context == .under { contexts.insert(.nobody) }
                    } else {
                        contexts.insert(context)
                    }
                }
            }
        }
        return (hazards, contexts)
    }

    enum Label: Sendable, Equatable {
        case hazard(Hazard)
        case context(Context)
    }

    /// Stems match any word they begin; short words match exactly; two-word
    /// phrases are written with a space.
    struct Lexicon: Sendable {
        let exact: [String: [Label]]
        let phrases: [String: [Label]]
        /// The stems by their first ``headLength`` characters: one lookup per word, then a prefix
        /// check per stem of that head, instead of a lookup (and a string) per stem length.
        let stemsByHead: [String: [(stem: String, labels: [Label])]]

        init(_ entries: [(Label, [String])]) {
            var exact: [String: [Label]] = [:]
            var stems: [String: [Label]] = [:]
            var phrases: [String: [Label]] = [:]
            for (label, cues) in entries {
                for cue in cues {
                    if cue.contains(" ") {
                        phrases[cue, default: []].append(label)
                    } else if cue.hasSuffix("*") {
                        stems[String(cue.dropLast()), default: []].append(label)
                    } else {
                        exact[cue, default: []].append(label)
                    }
                }
            }
            let headLength = stems.keys.map(\.count).min() ?? 1
            self.exact = exact
            self.phrases = phrases
            self.headLength = headLength
            stemsByHead = Dictionary(grouping: stems.sorted { $0.key < $1.key }.map { (stem: $0.key, labels: $0.value) }) {
                String($0.stem.prefix(headLength))
            }
        }

        /// The shortest stem's length: every stem is found under its first `headLength` characters.
        let headLength: Int

        func labels(of word: String) -> [Label] {
            var labels = exact[word] ?? []
            guard word.count >= headLength, let candidates = stemsByHead[String(word.prefix(headLength))] else { return labels }
            for candidate in candidates where word.hasPrefix(candidate.stem) { labels.append(contentsOf: candidate.labels) }
            return labels
        }
    }

    // "word*" is a stem; other entries match whole words.
    static let lexicon = Lexicon([
        (
            .hazard(.energy),
            [
                "live", "bare", "exposed", "crackl*", "crakl*", "flash*", "arc", "arcing", "buzz*", "humming", "shock*", "tingl*",
                "zap*", "electrocut*", "spark*", "sprk*", "wire", "wires", "wiring", "cable", "cables", "isolator", "fusebox",
                "breaker", "socket*", "switchboard", "switchgear", "transformer", "inverter", "substation", "volt*", "kv",
                "earthing", "plug", "extension", "charger", "battery", "batteries", "melted", "melting", "scorch*", "charred",
                "blackened", "burning", "smoke", "smoking", "smouldering", "smoldering", "fire", "flames", "flame", "electric*",
                "chamas", "labaredas", "llamaradas", "flammes", "flammen", "fiamme", "vlammen",
            ]
        ),
        (
            .hazard(.chemical),
            [
                "chemical*", "acid*", "solvent*", "bleach", "ammonia", "chlorin*", "fume", "fumes", "vapour*", "vapor*", "toxic",
                "mercury", "formal*", "caustic", "corrosive", "reagent*", "pesticide*", "fertili*", "diesel", "petrol", "fuel",
                "gas", "gases", "lpg", "propane", "cylinder*", "nitrogen", "oxygen", "co2", "carbon", "monoxide", "exhaust",
                "smell*", "stink*", "odour", "odor", "reek*", "cough*", "dizzy", "dizziness", "headache*", "nause*", "choking",
                "eyes", "throat", "breath*", "breathing", "wheez*", "lightheaded", "spill*", "spilt", "leaking", "solder*",
                "paint thinner", "cleaning products", "asbestos", "dust cloud", "refrigerant",
            ]
        ),
        (
            .hazard(.falling),
            [
                "hang*", "hung", "dangl*", "swing*", "swaying", "sway", "lean*", "sag*", "bulg*", "tilt*", "topple*", "toppl*",
                "wobbl*", "frayed", "fraying", "worn", "snapp*", "snapped", "bent", "creep*", "slipping", "slid*", "collaps*",
                "falling", "fell", "fall", "falls", "drop*", "came off", "come off", "coming off", "coming down", "come down",
                "came down", "give way", "gave way", "giving way", "about to", "overhead", "above", "ceiling", "heavy", "tonne*",
                "ton", "tons", "kg", "kilo*", "bracket", "hook", "chain", "rope", "bolt", "bolts", "loose", "shelving", "stack*",
                "rigging", "hoist", "winch", "truss", "bar", "pane", "glass", "shard*", "branch*", "limb", "tree", "sheet",
                "cladding", "tile", "tiles", "plaster", "masonry", "brick*", "coping", "gutter*", "latak*", "girne",
            ]
        ),
        (
            .hazard(.edge),
            [
                "edge", "drop", "gap", "hole", "holes", "opening", "shaft", "pit", "manhole", "sump", "trench", "excavation",
                "unguarded", "unfenced", "railing*", "rail", "handrail*", "balustrade", "barrier*", "balcony", "balconies",
                "ledge", "parapet", "roof", "roofs", "scaffold*", "ladder*", "stairwell", "jetty", "pontoon", "river",
                "deep", "metres", "meters", "feet", "storey*", "stories", "plank*", "missing", "cover",
            ]
        ),
        (
            .hazard(.heat),
            [
                "steam*", "boil*", "scald*", "hot", "hotter", "burnt", "burned", "burn", "burns", "sizzl*", "sear*", "sauna",
                "kiln", "furnace", "oven", "fryer", "oil", "degrees", "temperature", "overheat*", "heatstroke", "fainted",
                "faint", "cloud", "fog", "mist", "jal", "garam",
            ]
        ),
        (
            .hazard(.entrapment),
            [
                "stuck", "jammed", "jam", "trapped", "trap", "shut in", "locked in", "locked inside", "cant get out", "cannot get out",
                "inside", "banging", "shouting", "handle", "snapped off", "no key", "cold room", "coldroom", "freezer", "walk-in",
                "lift", "elevator", "between floors", "confined", "enclosed", "padlock*", "chained",
            ]
        ),
        (
            .hazard(.machinery),
            [
                "guard", "guards", "e stop", "e-stop", "estop", "emergency stop", "interlock*", "spinning", "rotating", "blade*",
                "lathe", "saw", "press", "mill", "grinder", "conveyor", "forklift*", "tractor*", "vehicle*", "lorry", "truck",
                "bus", "car", "reversing", "crane", "machine*", "motor", "pump*", "suction", "pulling", "sucking", "drain",
                "outlet", "grate", "valve*", "pressure", "compressor", "hydraulic*",
            ]
        ),
        (
            .hazard(.biological),
            [
                "sewage", "sewer*", "faec*", "excrement", "poo", "raw", "needle*", "syringe*", "sharps", "blood*",
                "bodily", "vomit*", "mould*", "mold*", "legionell*", "rats", "rat", "rodent*", "maggot*", "contaminat*",
                "dirty water", "black water", "brown water", "dark water", "coming up", "backing up", "backed up", "overflow*",
            ]
        ),
        (
            .hazard(.animal),
            [
                "bull", "bulls", "horse*", "stallion*", "cow", "cows", "cattle", "dog", "dogs", "snake*", "bees", "swarm*",
                // Not "loose" by itself: a loose cable, tile or handle is no animal.
                "wasps", "hornet*", "monkey*", "boar", "got loose", "running loose", "stray", "roaming", "escaped", "aggressive", "bite",
                "kicked", "stung",
                // Only with whom it bit or charged at: "a bit loose" is a quantity (and 133 glossary
                // words of other languages, "lidt", "bietjie", "kidogo", gloss as "bit"), a charging
                // point is for phones, and "wir bitten um" is German for "we ask for".
                "bit me", "bit him", "bit her", "bit them", "bit someone", "bit somebody", "bit my", "bit his", "bit their", "bit us",
                "was bitten", "got bitten", "been bitten", "bitten by", "charging at", "charged at", "charging towards", "charged towards",
            ]
        ),
        (
            .hazard(.structure),
            [
                "crack*", "split*", "subsid*", "sunk", "sinking", "shift*", "moving", "moved", "column*", "beam*",
                "lintel*", "joist*", "wall", "walls", "foundation*", "structur*", "rebar", "spalling", "buckl*",
                "deflect*", "movement", "settl*", "leaning", "undermin*", "washed", "eroded", "erosion", "landslide",
            ]
        ),
        (
            .hazard(.egress),
            [
                "exit", "exits", "fire door", "fire doors", "escape", "evacuat*", "crush", "crowd*", "packed", "blocked",
                "push bar", "push bars", "only way", "only route", "only exit", "locked",
            ]
        ),
        (
            .hazard(.water),
            [
                "water", "wet", "puddle*", "drip*", "pouring", "flood*", "pool", "submerged", "rising", "fast", "current",
                "drown*", "swimm*", "leak", "leaks", "soaked",
            ]
        ),
        (
            .context(.people),
            [
                "people", "ppl", "persons", "person", "student*", "staff", "pupils", "kids", "children", "child", "baby",
                "babies", "toddler*", "someone", "somebody", "everyone", "everybody", "anyone", "guys", "boys", "girls",
                "men", "women", "man", "woman", "he", "she", "him", "her", "them", "they", "us", "we", "public", "visitors",
                "audience", "crowd", "cast", "dancers", "swimmers", "players", "workers", "worker", "helper*", "operator",
                "colleague*", "patients", "residents", "customers", "guests", "class", "lecture", "session", "team",
                "crew", "porter*", "cleaner*", "chef*", "cook*", "technician*", "contractor*", "labourers", "milkers",
                "parents", "mums", "elderly", "disabled", "wheelchair", "queue*", "juniors", "freshers", "members",
                "log", "bhai", "bachche", "watu", "wanafunzi", "gente", "alumnos", "estudiantes", "niños", "leute",
            ]
        ),
        (
            .context(.still),
            [
                "still", "keep", "keeps", "keeping", "continu*", "refus*", "not listening", "wont listen", "ignoring",
                "carrying on", "right now", "at the moment", "currently", "rn", "in progress", "ongoing", "open now",
                "on now", "underway", "during", "while", "every day", "all day", "busy", "full", "packed", "abhi",
            ]
        ),
        (
            .context(.under),
            [
                "under", "underneath", "beneath", "below", "over", "above", "directly", "right next", "next to", "beside",
                "around", "near", "nearby", "by the", "across", "along", "path", "walkway", "route", "entrance", "doorway",
                "seats", "rows", "row", "tables", "desks", "benches", "stage", "niche", "neeche",
            ]
        ),
        (
            .context(.children),
            [
                "kids", "children", "child", "baby", "babies", "toddler*", "nursery", "creche", "crèche", "playground",
                "school", "pupils", "infant*", "daycare", "bachche", "niños",
            ]
        ),
        (
            .context(.food),
            [
                "kitchen*", "canteen*", "cafe", "café", "cafeteria", "refectory", "servery", "food", "catering", "restaurant",
                "bakery", "dining", "meals", "lunch", "dinner", "breakfast", "cooking", "serving", "bar", "ice", "sabzi", "khana",
            ]
        ),
        (
            .context(.harm),
            [
                "hurt", "hurts", "injur*", "bleed*", "blood", "fainted", "faint*", "collapsed", "unconscious", "passed out",
                "burnt", "burned", "scalded", "shocked", "got a shock", "electrocut*", "bruis*", "broken arm",
                // A cut to a person, not "a cut cable" nor "a power cut".
                "cut his", "cut her", "cut my", "cut their", "cut your", "cut himself", "cut herself", "cut themselves",
                "cut myself", "got cut", "deep cut", "nasty cut", "bad cut",
                "hit", "struck", "knocked", "nurse", "ambulance", "paramedic*", "first aid", "a&e", "hospital", "casualty",
                "treated", "twisted", "sprain*", "fracture*", "concuss*", "vomiting", "dizzy", "coughing", "cant breathe",
                "short of breath", "panic attack", "hyperventilat*", "asthma attack", "seizure", "chest pain", "jal gaya", "chot",
                "herido", "quemadura*", "ameumia", "ameumizwa",
            ]
        ),
        (
            .context(.urgent),
            [
                "now", "asap", "urgent*", "immediate*", "quick*", "hurry", "fast", "help", "emergency", "jaldi", "turant",
                "haraka", "hatari", "urgente", "rapido", "rápido", "peligro*", "ayuda", "dringend", "hilfe", "gefahr", "vite",
                "danger*", "unsafe", "serious*", "scary", "scared", "terrified", "frightened", "worried", "panic*", "risk",
                "before someone", "before anyone", "someone will", "somebody will", "going to", "could kill", "kill", "die",
                "dying", "death", "fatal", "please come", "come now", "send someone", "send somebody", "someone come",
                "pls come", "plz", "pls", "khatra", "khatarnak", "bachao",
                // The fire brigade called: "Acionados bombeiros", "on a appelé les pompiers".
                "firefighters", "firemen", "fire brigade", "fire service", "bombeiros", "bomberos", "pompiers", "feuerwehr", "brandweer",
            ]
        ),
        (
            .context(.acted),
            [
                "roped", "cordon*", "taped", "coned", "fenced off", "blocked off", "closed off", "shut off", "kept away",
                "keep away", "keep out", "told them", "told everyone", "told people", "told the", "asked them", "moved them",
                "moved everyone", "cleared", "evacuat*", "got everyone", "got them", "pulled", "stopped the", "put a chair",
                "put a bucket", "tied", "standing guard", "guarding", "stopped people", "hato", "redirect*",
            ]
        ),
        (
            .context(.nobody),
            [
                "nobody", "noone", "empty", "unoccupied", "vacant", "closed", "overnight", "unused", "disused", "storage",
                "no one", "no-one", "nobodys", "fenced", "cordoned", "safe now", "made safe", "isolated", "switched off",
                "turned off", "out of hours", "weekend", "holiday", "locked",
            ]
        ),
        (
            .context(.intense),
            [
                "very", "really", "badly", "bad", "huge", "massive", "big", "large", "heavy", "loud*", "serious*", "whole",
                "lot", "lots", "everywhere", "spreading", "worse", "growing", "bahut", "sana", "muy", "sehr", "tonne*", "kg",
                "metre*", "meter*", "approx", "half",
            ]
        ),
        // The same concepts in the languages most tickets not in English are written in (Spanish,
        // Portuguese, French, Malay and Indonesian), with and without accents: without them a
        // ticket in those languages reached the danger model as no cue at all, and "mixed bleach with
        // drain cleaner, I can't stop coughing, my colleague is dizzy" in Spanish was a P4.
        (
            .hazard(.energy),
            [
                "chispa*", "chispea*", "cortocircuit*", "enchufe*", "pelados", "faísca*", "faisca*", "desencapad*", "curto-circuito",
                "étincel*", "etincel*", "dénudé*", "denude*", "court-circuit", "percikan", "korsleting", "konslet*", "renjatan",
                "wayar", "humo", "humareda", "fumaça", "fumaca", "fumée", "fumee", "incendio", "incêndio", "llamas", "chamas",
                "estalando", "crepitando", "choque", "electrocut*", "eletrocut*", "électrocut*", "stromschlag*", "folgorat*",
                "porażon*", "porażeni*", "prądem", "iskrz*", "áramüt*", "curentat*", "funken", "vonken", "scintill*",
            ]
        ),
        (
            .hazard(.chemical),
            [
                "lejia", "lejía", "amoniaco", "quimic*", "químic*", "olor", "olores", "huele", "gases", "toser", "tosiendo", "tose",
                "mareo", "mareada", "mareado", "garganta", "ojos", "irrita*", "derrame*", "fuga", "fugas", "cheiro*", "tosse*",
                "tossindo", "tontura", "vazamento", "vazando", "olhos", "odeur*", "toux", "tousse*", "vertige*",
                "fuite", "javel", "gorge", "yeux", "batuk", "pening", "sesak", "bocor", "kimia", "hangit",
            ]
        ),
        (
            .hazard(.falling),
            [
                "colgando", "cuelga*", "caer", "cayendo", "cayó", "desprend*", "tambale*", "pendurad*", "caindo", "despenc*",
                "tomber", "tombé", "tombe", "décroch*", "decroch*", "tergantung", "jatuh", "runtuh", "longgar",
            ]
        ),
        (
            .hazard(.heat),
            [
                "quema*", "hirviendo", "ardiendo", "caliente", "queimad*", "fervendo", "quente", "brûl*", "bouillant*",
                "panas", "melecur",
            ]
        ),
        (
            .hazard(.structure),
            ["grieta*", "rachadura*", "fissure*", "fissura*", "retak*"]
        ),
        (
            .context(.people),
            [
                "personas", "pessoas", "alumn*", "estudiant*", "niña*", "niño*", "crianças", "criancas", "compañer*",
                "companer*", "trabajador*", "personnes", "élèves", "eleves", "étudiant*", "etudiant*", "enfants", "orang",
                "pelajar", "pekerja", "murid", "mahasiswa",
            ]
        ),
        (
            .context(.harm),
            [
                "herid*", "sangr*", "desmay*", "inconsciente", "mareada", "mareado", "tosiendo", "ferid*", "desmai*", "sangue",
                "blessé*", "blesse*", "évanoui*", "evanoui*", "saign*", "cedera", "pengsan", "berdarah", "luka", "kopnęło",
                "electrocutad*", "eletrocutad*", "électrocuté*", "folgorat*", "porażon*",
            ]
        ),
        (
            .context(.urgent),
            ["ahora", "agora", "socorro", "maintenant", "secours", "segera", "cepat", "tolong", "bahaya", "perigo*"]
        ),
        (
            .context(.under),
            ["debajo", "encima", "embaixo", "abaixo", "dessous", "bawah"]
        ),
    ])
}
