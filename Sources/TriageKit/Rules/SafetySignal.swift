import Foundation

/// One life-safety rule that a ticket's words set off, or mention only to deny.
struct SafetySignal: Sendable, Equatable {
    /// Short name shown in `signals`: `smoke`, `gas smell`, `trapped in lift`.
    var name: String
    /// The least urgent priority a ticket with this signal may get.
    let floor: Priority
    /// The words that matched, as typed after tokenizing: `smoke`, `smell of gas`.
    let evidence: String
    /// Why the last mention does not count, or nil when it does.
    let suppression: Suppression?
    /// For the hazard rules (``HazardRules``): which hazard, and the building system it involves.
    var hazard: HazardRules.Hazard? = nil
    var system: String? = nil

    enum Suppression: String, Sendable {
        /// "no smoke", "not sparking any more", "the smell has gone".
        case negated
        /// "if you smell gas", "in case of fire".
        case hypothetical
        /// About signage, drills or training: "gas safety poster", "fire drill".
        case notAnIncident = "not an incident"
        /// "flooding the floor a bit".
        case hedged
    }

    var isActive: Bool { suppression == nil }
}

/// Word lists of the life-safety rules. General building vocabulary, not phrases of the data
/// set: a rule fires on a hazard word, unless the words around it turn it into equipment
/// ("smoke detector"), signage ("Fire Safety Week banner"), a drill, a hypothesis or a denial.
enum SafetyVocabulary {
    /// Misspelt alarm words as people type them in a hurry ("sparkes", "smokin", "floodin"),
    /// mapped to a spelling the rules know. Only stems no harmless word shares.
    static func canonical(_ token: String) -> String {
        if token.hasPrefix("spark"), !token.hasPrefix("sparkl"), token.count <= 9 { return "sparking" }
        if token.hasPrefix("smok"), token.count <= 8, !["smoker", "smokers"].contains(token) { return "smoking" }
        if token.hasPrefix("flood"), token.count <= 9, !token.hasPrefix("floodl") { return "flooding" }
        return token
    }

    /// Words after `fire` that make it equipment, procedure or signage rather than a fire.
    static let fireCompounds: Set<String> = [
        "alarm", "alarms", "door", "doors", "exit", "exits", "extinguisher", "extinguishers", "drill", "drills",
        "safety", "blanket", "blankets", "escape", "marshal", "marshals", "warden", "wardens", "action",
        "evacuation", "sign", "signs", "signage", "panel", "hose", "hoses", "sprinkler", "sprinklers",
        "assembly", "risk", "training", "notice", "plan", "proof", "proofing", "resistant", "rated",
        "retardant", "stopping", "strategy", "point", "call", "detection", "detector", "detectors",
        "service", "inspection", "test", "tests", "week", "officer", "curtain", "shutter", "damper",
        "dampers", "certificate", "equipment", "log", "logbook", "watch", "patrol", "patrols", "contractor", "contractors",
        "ext", "exts", "point", "engineer", "engineers", "brigade", "service", "panels",
    ]
    static let smokeCompounds: Set<String> = [
        "detector", "detectors", "alarm", "alarms", "sensor", "sensors", "head", "heads", "test", "testing",
        "shelter", "free", "break", "breaks", "ban", "area", "zone", "vent", "vents", "damper", "dampers",
        "extract", "curtain", "control", "effect", "effects", "machine", "machines", "sign", "signs", "sticker", "stickers",
        "policy",
    ]
    /// "people smoke by the door" is about smokers, not smoke.
    static let smokerSubjects: Set<String> = ["people", "students", "someone", "smokers", "staff", "they", "who", "to", "he", "she", "we"]
    /// "students are smoking there", "the cooks keep smoking by the bins": a person two words
    /// before, one of these between.
    static let smokerVerbs: Set<String> = ["are", "is", "was", "were", "keep", "keeps", "kept", "still", "always", "been"]
    static let gasCues: Set<String> = [
        "smell", "smells", "smelling", "smelt", "smelled", "leak", "leaks", "leaking", "leaked",
        "hiss", "hissing", "odour", "odor", "escape", "escaping", "whiff",
    ]
    static let gasCompounds: Set<String> = [
        "detector", "detectors", "engineer", "engineers", "safety", "cylinder", "cylinders", "meter",
        "meters", "bottle", "bottles", "bill", "mask", "sensor", "sensors", "certificate", "detection",
    ]
    static let floodCompounds: Set<String> = [
        "light", "lights", "lighting", "lamp", "lamps", "risk", "warning", "warnings", "defence", "defences",
        "barrier", "barriers", "plan", "alert", "alerts", "zone", "gate", "gates",
    ]
    /// "flooding the floor a bit" is a wet floor, not a flood.
    static let hedges: Set<String> = ["bit", "little", "slightly", "minor", "tiny"]
    /// Fixtures whose overflow wets one room: "the toilet is flooding the floor".
    static let fixtures: Set<String> = [
        "toilet", "toilets", "urinal", "urinals", "sink", "sinks", "basin", "shower", "bath", "cistern", "loo", "dishwasher",
    ]
    static let wireWords: Set<String> = ["wire", "wires", "wiring", "cable", "cables", "copper", "conductor", "conductors"]
    static let wireHazards: Set<String> = ["exposed", "bare", "live"]
    static let liftWords: Set<String> = ["lift", "lifts", "elevator", "elevators"]
    /// "lift lobby", "Level 3 lift landing": the space by the lift doors.
    static let liftLandings: Set<String> = ["lobby", "lobbies", "landing", "landings"]
    /// A lift named at `index`; not a chair's gas lift.
    static func isLift(_ tokens: [String], at index: Int) -> Bool {
        liftWords.contains(tokens[index]) && !(index > 0 && tokens[index - 1] == "gas")
    }
    static let people: Set<String> = [
        "someone", "somebody", "people", "person", "passenger", "passengers", "student", "students", "child",
        "children", "kid", "kids", "man", "woman", "guy", "i", "im", "me", "we", "us", "he", "she", "they", "hes", "shes", "theyre",
        "him", "her", "them", "cleaner", "porter", "worker", "workers", "staff", "user", "visitor", "visitors",
        "grandad", "grandma", "mum", "dad", "flatmate", "friend", "colleague", "colleagues", "patient", "baby",
        "technician", "technicians", "contractor", "contractors", "porters", "dancers", "performers", "delegates", "guests", "climbers",
        "rowers", "athletes", "members", "son", "daughter", "husband", "wife", "family", "housemate", "housemates", "flatmates", "engineer", "lecturer",
        "researcher", "chef", "warden", "nurse",
        "guard", "resident", "residents", "occupant", "occupants", "tenant", "pupil", "pupils", "child's", "mate",
        "roommate", "roommates", "roomie", "classmate", "classmates", "coworker", "coworkers", "teammate", "girlfriend", "boyfriend",
        "brother", "sister",
    ]
    static let structures: Set<String> = [
        "ceiling", "roof", "wall", "walls", "floor", "stair", "stairs", "staircase", "building", "beam", "beams",
        "column", "columns", "balcony", "bridge", "footbridge", "chimney", "parapet", "canopy", "masonry",
        "brick", "bricks", "concrete", "structure", "underpass", "stand", "scaffolding", "scaffold",
        "foundation", "foundations", "arch", "stairwell", "landing",
    ]
    /// Things that fall on people: a falling wall is "collapse", a fallen whiteboard is not.
    static let overhead: Set<String> = [
        "ceiling", "roof", "concrete", "brick", "bricks", "masonry", "stone", "stonework", "parapet", "canopy",
        "beam", "beams", "chunks", "chunk", "cladding", "coping", "render", "soffit", "cornice", "facade", "façade", "slates",
        "window", "windows", "pane", "frame",
    ]
    static let furniture: Set<String> = [
        "desk", "desks", "chair", "chairs", "seat", "seats", "table", "tables", "lectern", "shelf", "shelves",
        "bookcase", "cabinet", "bench", "bed", "stool", "sofa",
    ]
    static let crackDangers: Set<String> = [
        "widening", "wider", "growing", "bigger", "moving", "moves", "bulging", "sagging", "bowing", "dangerous",
        "unsafe", "falling", "fell", "dropped", "dropping", "opening", "sinking", "shaking", "shakes", "twisting", "leaning", "creaks",
        "creaking", "collapse", "crumbling",
    ]
    /// Food that burns without any fault of the building.
    static let cooking: Set<String> = ["toast", "food", "cooking", "cooked", "popcorn", "pizza", "pan", "dinner", "lunch", "breakfast", "rice", "bread"]
    static let smellWords: Set<String> = ["smell", "smells", "smelling", "smelt", "smelled", "odour", "odor", "stink", "stinks", "stench"]
    static let electricalParts: Set<String> = [
        "socket", "sockets", "plug", "plugs", "outlet", "outlets", "switch", "switches", "cable", "cables",
        "wire", "wires", "lead", "extension", "charger", "adapter", "fuse", "faceplate", "board", "panel",
    ]
    /// Words around a hazard word that make it signage, a drill, training or a display.
    static let nonIncident: Set<String> = [
        "poster", "posters", "banner", "banners", "sign", "signs", "signage", "notice", "notices", "noticeboard",
        "leaflet", "leaflets", "sticker", "stickers", "map", "course", "training", "demo",
        "demonstration", "drill", "drills", "awareness", "exhibition", "simulation", "isolation", "isolate",
    ]
    /// Words shortly before a hazard word that make it hypothetical: "if you smell gas", "in
    /// case of fire", "I don't think it would work in a fire". Not "could": "we could smell gas".
    static let hypothetical: Set<String> = ["if", "case", "incase", "whether", "hypothetically", "would", "might", "event"]
    /// Load-bearing parts: any crack in them is structural damage.
    static let loadBearing: Set<String> = ["column", "columns", "beam", "beams", "pillar", "pillars", "support", "supports", "lintel", "joist", "joists"]
}
