import Foundation

/// Word lists of the hazard rules (``HazardRules``): what could hurt (the hazard), who is there
/// (the exposure). General building and first-aid vocabulary, not phrases of any data set.
enum HazardVocabulary {
    // MARK: Exposure

    /// Words that say people are in the way now: "students sitting under it", "class of 30",
    /// "people walk past every morning".
    static let presence: Set<String> = SafetyVocabulary.people.union([
        "ppl", "everyone", "everybody", "class", "lecture", "lectures", "sitting", "sat", "seated", "walking", "walk",
        "walks", "walked", "using", "queue", "queuing", "kids", "nursery", "occupied", "busy", "crowd", "crowded",
        "audience", "underneath", "passing", "pass", "lean", "leaning", "nurses", "nurse", "patients", "swimmers",
        "swimmer", "lifeguards", "chef", "chefs", "technicians", "porters", "customers", "guests", "residents",
    ])
    /// Places that prepare or serve food.
    static let foodAreas: Set<String> = [
        "kitchen", "kitchens", "cafe", "café", "canteen", "refectory", "cafeteria", "servery", "food", "catering",
        "restaurant", "bakery", "dining", "prep", "deli", "coffee", "pantry", "dairy", "milking", "creamery", "cocina",
        "cozinha", "comedor", "cantina", "mensa", "kantine",
    ]
    static let animals: Set<String> = [
        "bird", "birds", "pigeon", "pigeons", "bat", "bats", "mouse", "mice", "rat", "rats", "squirrel", "fox", "cat",
        "dog", "bee", "bees", "wasp", "wasps", "insect", "insects", "fly", "flies", "animal", "seagull", "gull",
        "possum", "possums", "raccoon", "owl", "goose", "geese", "monkey", "monkeys", "snake", "snakes",
        "lizard", "gecko", "hedgehog", "frog",
        // In the languages of the outside set's writers: "may ibon na trapped sa chapel" is a bird.
        "ibon", "kalapati", "paniki", "pusa", "ndege", "popo", "paka", "chim", "vogel", "taube", "fledermaus", "katze",
    ]

    /// Where people pass under or beside a hazard even when none is named: "over the entrance".
    static let thoroughfares: Set<String> = [
        "entrance", "entrances", "doors", "doorway", "walkway", "path", "pavement", "footpath", "stairs", "staircase", "corridor",
        "seats", "seating", "desks", "rows", "row", "benches", "tables", "counter", "queue", "exit", "route",
    ]
    /// Words near a hazard that make it a drill, training or a display. Unlike the alarm-word
    /// rules, a sign or notice here is a thing that can fall, not signage about a hazard.
    static let nonIncident: Set<String> = SafetyVocabulary.nonIncident.subtracting([
        "sign", "signs", "signage", "notice", "notices", "noticeboard", "banner", "banners", "poster", "posters", "map",
    ])

    // MARK: Chemical

    static let chemicalAgents: Set<String> = [
        "chemical", "chemicals", "acid", "acids", "solvent", "solvents", "bleach", "ammonia", "chlorine", "fumes",
        "vapours", "vapors", "toxic", "mercury", "formaldehyde", "formalin", "dichloromethane", "acetone", "ether",
        "chloroform", "caustic", "corrosive", "alkali", "hydrochloric", "sulphuric", "sulfuric", "nitric", "phenol",
        "xylene", "toluene", "methanol", "reagent", "reagents", "anaesthetic", "anesthetic", "isoflurane", "sevoflurane", "halothane",
        "glutaraldehyde", "disinfectant", "pesticide", "pesticides",
    ]
    static let releaseWords: Set<String> = [
        "spill", "spills", "spilt", "spilled", "spillage", "leak", "leaking", "leaked", "smashed", "knocked", "broke",
        "dropped", "smell", "smells", "smelling", "stink", "stinks", "fumes", "everywhere", "release", "released",
    ]
    /// What makes people unwell with symptoms: a chemical, a smell, fumes, or a spill of something
    /// unnamed ("dropped a bottle of it ... two of us feel light-headed").
    static let symptomCauses: Set<String> = chemicalAgents.union(SafetyVocabulary.smellWords).union([
        "gas", "fumes", "smoke", "spill", "spilt", "spilled", "bottle", "leak", "leaking",
        // "mixed two cleaning products: a choking vapour".
        "vapour", "vapours", "vapor", "vapors", "products", "mixing", "mixed", "mixture",
        // Air that cannot be breathed: "misty round the dewars, the oxygen monitor reading low".
        "oxygen", "nitrogen", "dewar", "dewars", "cryogenic", "cryogen", "cryogens", "mist", "misty", "haze", "odour", "odor",
        "extract", "ventilation", "refrigerant", "co2", "exhaust",
    ])
    /// What breathing or touching a chemical does to people.
    static let symptoms: Set<String> = [
        "coughing", "cough", "coughs", "coughed", "dizzy", "dizziness", "headache", "headaches", "nausea", "nauseous",
        "sick", "vomiting", "vomited", "faint", "fainted", "fainting", "breathless", "breathe", "breathing", "wheezing", "breath",
        "choking", "streaming", "stinging", "watering", "unconscious", "lightheaded", "itchy", "rash", "throat",
        "chest", "eyes", "asthma", "passed", "headed",
    ]

    // MARK: Falling objects and falls

    /// Heavy things that can come down on people.
    static let heavyObjects: Set<String> = [
        "speaker", "speakers", "projector", "projectors", "light", "lights", "luminaire", "luminaires", "pendant",
        "fitting", "fittings", "panel", "panels", "tile", "tiles", "ceiling", "shelf", "shelves", "shelving",
        "bookshelf", "bookshelves", "bookcase", "unit", "sign", "cladding", "glass", "pane", "branch", "branches",
        "tree", "duct", "ducting", "tv", "television", "screen", "monitor", "mirror", "whiteboard", "heater", "coping", "render",
        "radiator", "beam", "gutter", "guttering", "slate", "slates", "cabinet", "rack", "canopy", "plaster",
        "stone", "masonry", "bracket", "clock", "fan", "lamp", "chandelier", "frame", "boiler", "pipe", "pipes",
        "tank", "cupboard", "wardrobe", "locker", "lockers", "scaffold", "scaffolding", "brick", "bricks", "coping",
    ]
    /// How a heavy thing shows it may fall: "hanging by its cable", "leaning over the desks".
    static let hangingWords: Set<String> = [
        "hanging", "hangs", "dangling", "dangles", "swinging", "swings", "leaning", "leans", "toppling", "tilting",
        "detached", "sagging", "bulging", "bowing", "wobbling", "bowed", "sagged", "bulged", "dropped", "drooping", "hangin", "danglin",
        "bubble", "bulge", "bulges", "ballooning", "bellying",
    ]
    /// "about to fall", "could fall any moment": a fall word that says it has not happened yet.
    static let imminentWords: Set<String> = ["about", "any", "moment", "minute", "soon", "going", "gonna", "could", "can", "will"]
    /// Where a falling thing would land: "over the seats", "above the doors everyone uses".
    static let overWords: Set<String> = ["over", "above", "under", "underneath", "beneath", "below", "onto", "on"]

    /// Barriers that stop falls from height.
    static let barriers: Set<String> = [
        "railing", "railings", "rail", "balustrade", "balustrades", "handrail", "handrails", "banister", "bannister",
        "barrier", "guardrail", "parapet",
    ]
    // MARK: Word sets the rules combine, built once (a `union` inside a rule would build one per match)

    /// Someone who can be shut in: "my mate is locked in", "ppl stuck inside".
    static let someone: Set<String> = SafetyVocabulary.people.union(["mate", "ppl", "kid", "kids"])
    /// "we were inside": whoever writes from a stuck lift.
    static let liftOccupants: Set<String> = SafetyVocabulary.people.union(["were", "mate"])
    /// The only words between someone and "in"/"inside" that leave them in the lift: "my colleague
    /// is still inside", "I am in the lift", "she has been in the lift 20 minutes"; a verb between ("somebody vomited in the lift")
    /// says what happened there, not who is shut in.
    static let liftOccupantLinks: Set<String> = [
        "is", "are", "was", "were", "am", "be", "been", "has", "have", "had", "got", "still", "just", "now", "currently", "all",
        "both", "and", "me", "us", "them", "him", "her", "stuck", "trapped", "locked", "shut", "two", "three", "four",
    ]
    /// Where someone is when a door will not open: "inside", "in there"; with a door that
    /// won't open, "trapped" and "stuck" say it too.
    static let inside: Set<String> = ["inside"]
    static let shutInside: Set<String> = ["inside", "trapped", "stuck"]
    static let withdrawnFrom: Set<String> = responsePeople.union(["personnel", "room", "lab", "area", "all"])
    static let hardToBreathe: Set<String> = Negation.negators.union(["hard", "difficult", "struggling", "trouble"])
    static let concreteFailing: Set<String> = crackWords.union(["chunks", "spalling", "breaking", "crumbling"])
    static let mainsLeads: Set<String> = SafetyVocabulary.wireWords.union(["lead", "extension", "flex"])
    static let struckStructures: Set<String> = SafetyVocabulary.structures.union(["roof", "window", "windows", "house", "cottage", "shed", "barn"])
    static let waterOnFloor: Set<String> = waterWords.union(["floor"])
    static let coolingLost: Set<String> = warming.union(["failed", "tripped", "off", "down", "ceased", "stopped"])

    /// What a reporter does to keep people from a danger (``HazardRules/Hazard/response``).
    static let responseTriggers: Set<String> = [
        "told", "telling", "asked", "asking", "evacuated", "evacuating", "evacuate", "withdrawn", "withdrew", "vacated", "held", "holding",
        "keeping", "kept", "keep", "moved", "everyone", "everybody", "pulled",
    ]
    /// Whoever is moved, told or stood on something: people and the words that say they are there.
    static let responsePeople: Set<String> = presence.union(["everyone", "everybody", "ppl", "them", "players", "crowd"])
    /// "told them to come out", "telling people to walk round", "not to go down".
    static let awayWords: Set<String> = ["leave", "out", "away", "round", "around", "back", "clear", "evacuate", "not"]
    /// Who is moved out of the way: "moved him to the living room", "moved the family into the
    /// common room". Not students or a class moved off a dripping desk, nor a daughter moved
    /// into her flat: those are a room's problem or a move.
    static let movedPeople: Set<String> = ["him", "her", "everyone", "everybody", "family", "children", "kids", "baby", "residents", "patients"]
    /// Planned evacuations and their equipment: not an incident.
    static let responseNonIncident: Set<String> = [
        "drill", "drills", "map", "maps", "route", "routes", "plan", "plans", "chair", "chairs", "poster", "posters", "sign", "signs",
        "procedure", "procedures", "message", "messages", "training", "practice", "test", "tests", "testing", "notice", "notices", "strategy",
        "exercise", "rehearsal", "scheduled",
    ]
    /// Pieces of a building or of what lies on it, and words of their coming down.
    static let fragments: Set<String> = [
        "lump", "lumps", "chunk", "chunks", "piece", "pieces", "bits", "concrete", "masonry", "brick", "bricks", "stone", "stones",
        "slate", "slates", "ice", "icicle", "icicles", "snow", "render",
    ]
    static let fragmentFalls: Set<String> = [
        "fell", "fallen", "falling", "dropped", "dropping", "off", "down", "sliding", "slid", "crashing", "crashed", "landed", "spalling",
    ]
    static let overhead: Set<String> = [
        "above", "over", "overhead", "overhang", "underside", "canopy", "roof", "roofs", "ceiling", "soffit", "gutter", "eaves", "ledge", "parapet",
        "balcony", "height", "high",
    ]
    /// What people stand on that can drop: a stage lift, a deck, raked seating.
    static let platforms: Set<String> = [
        "lift", "platform", "deck", "stage", "seating", "scaffold", "scaffolding", "tower", "mezzanine", "balcony", "floor", "bleachers", "stand",
        "gantry", "walkway", "bridge",
    ]
    /// A barrier that would not hold someone.
    static let barrierWeakness: Set<String> = [
        "loose", "wobbly", "wobbles", "moves", "moving", "gives", "giving", "missing", "snapped", "detached", "bolt",
        "screw", "fixing", "broken", "collapsed", "shakes", "shaking", "away", "off", "bent",
    ]
    /// Height words: the fall a failed barrier lets happen.
    static let heights: Set<String> = [
        "drop", "storey", "storeys", "story", "stories", "high", "height", "atrium", "balcony", "mezzanine", "stairwell",
        "void", "floors", "gallery", "walkway",
    ]
    /// Openings people can step into.
    static let openings: Set<String> = ["hole", "holes", "void", "manhole", "pit", "shaft", "opening", "gap"]
    /// Covers over openings: "the floor hatch was left open", "a manhole cover lifted".
    static let covers: Set<String> = ["hatch", "hatches", "trapdoor", "cover", "covers", "grate", "grating", "grille", "panel", "panels", "slab", "lid"]
    static let uncovered: Set<String> = ["open", "lifted", "removed", "missing", "off", "gone"]
    static let walkedSurfaces: Set<String> = [
        "floor", "ground", "walkway", "path", "pavement", "corridor", "stairs", "step", "steps", "landing",
        "panel", "panels", "cover", "grate", "grating", "slab", "slabs", "hatch", "gym", "deck", "decking",
        "boards", "planks", "pontoon", "jetty", "bridge", "floorboards",
    ]
    /// A step into an opening: "nearly fell in", "someone stepped in it", "no barrier".
    static let fallExposure: Set<String> = [
        "fell", "fall", "falling", "almost", "nearly", "stepped", "step", "trip", "tripped", "barrier", "unguarded",
        "uncovered", "open", "deep", "walking", "walk", "people", "ppl", "someone", "students",
    ]

    // MARK: Sharp

    static let glassWords: Set<String> = ["glass", "glas", "pane", "panes", "shards", "shard", "fanlight", "glazing", "skylight"]
    /// Glass that has left its frame or is leaving it.
    static let glassLoose: Set<String> = [
        "hanging", "hangin", "dangling", "dropping", "falling", "loose", "swinging", "slipped", "slipping", "sliding", "slid",
    ]

    // MARK: Energy

    /// Cables that carry no dangerous current: a cut network cable is an IT fault.
    static let lowVoltageCables: Set<String> = [
        "ethernet", "network", "data", "hdmi", "usb", "vga", "phone", "fibre", "fiber", "internet", "tv", "aerial",
        "lan", "audio", "aux", "charger", "charging", "laptop", "mouse", "keyboard", "displayport", "speaker",
    ]
    /// What a live conductor does when it is damaged.
    static let cableDamage: Set<String> = [
        "cut", "severed", "crackling", "crackle", "crackles", "sizzling", "sizzle", "fizzing", "snapped", "ripped",
        "torn", "chewed", "dug", "sparking", "smoking", "melted", "melting", "burning",
    ]
    /// Sounds of arcing.
    /// What arcs: electrical parts, enclosures, fittings.
    static let arcingParts: Set<String> = SafetyVocabulary.electricalParts.union(enclosures).union([
        "light", "lights", "fitting", "electric", "electrical", "electrics",
    ])
    static let arcingSounds: Set<String> = ["crackling", "crackle", "crackles", "sizzling", "sizzle", "fizzing", "popping", "poping", "pops", "zapping"]
    /// Electrical enclosures that overheat before they burn.
    static let enclosures: Set<String> = Set([
        "panel", "board", "db", "fusebox", "fuse", "distribution", "consumer", "switchboard", "breaker", "breakers",
        "riser", "meter", "transformer", "substation", "box", "cupboard", "switchgear", "isolator", "cabinet", "inverter", "inverters",
    ]).union(fuseBoxesAbroad)
    /// Fuse boxes and distribution boards in the languages of the training parts: electrical by their name.
    static let fuseBoxesAbroad: Set<String> = [
        "verdeelkast", "meterkast", "groepenkast", "sikringsskap", "sikringsskab", "säkringsskåp", "elskåp", "elcentral",
        "sicherungskasten", "verteilerkasten", "stromkasten", "rozdzielnia", "rozdzielnica", "rozvaděč", "biztosítéktábla",
        "sikringsskapet", "sikringsskabet", "säkringsskåpet", "elskåpet", "elcentralen",
    ]
    static let enclosureHeat: Set<String> = [
        "hot", "melting", "melted", "smoking", "scorching", "roasting", "boiling", "heet", "glovarmt", "glovarm", "heiß", "heiss",
        "rovente", "bollente", "brûlant", "brulant", "gorąca", "gorący", "horký", "forró", "fierbinte",
    ]
    static let enclosureNoise: Set<String> = [
        "buzzing", "humming", "hum", "buzz", "bzzz", "crackling", "clicking", "noise", "noisy", "zoemt", "brommt", "surrer",
        "brummt", "surrar", "buczy", "bzučí", "zümmög", "bâzâie",
    ]
    /// The enclosure is electrical: "electric cupboard", "DB board", "riser".
    static let electricalWords: Set<String> = Set([
        "electric", "electrical", "electrics", "electricity", "db", "fuse", "fusebox", "distribution", "consumer",
        "breaker", "breakers", "switchboard", "riser", "meter", "transformer", "substation", "switchgear", "isolator",
        "power", "mcb", "rcd", "inverter", "inverters",
    ]).union(fuseBoxesAbroad)

    /// Water reaching live electrics: "water coming through the light fitting", "up to the sockets".
    static let waterWords: Set<String> = ["water", "leak", "leaking", "dripping", "drips", "pouring", "rain", "rainwater", "flooded", "flooding", "wet"]
    static let liveParts: Set<String> = [
        "socket", "sockets", "electrics", "fuse", "fusebox", "consumer", "wiring", "db", "switchboard", "distribution", "outlet", "outlets",
        "plug", "plugs", "fitting", "fittings", "light", "lights", "switchroom", "switchgear", "substation", "transformer",
        // What a room's plugs hang from: "dripping onto the power strip", "the extension lead".
        "extension", "extensions", "powerboard", "powerboards", "powerstrip", "powerstrips", "multiplug", "multiplugs", "strip", "strips",
    ]
    /// Signs the wet electrics are live and failing.
    static let liveFailing: Set<String> = [
        "flickering", "flicker", "flickered", "buzzing", "sparking", "tripped", "tripping", "crackling", "fizzing", "popping", "smoking",
    ]

    // MARK: Heat

    static let steamWords: Set<String> = ["steam", "steaming", "vapour", "vapor", "fog", "foggy"]
    /// Steam in a quantity that burns and blinds.
    static let steamRelease: Set<String> = [
        "filling", "filled", "full", "pouring", "escaping", "billowing", "everywhere", "hissing", "hiss", "jet",
        "clouds", "cloud", "thick", "pressure", "pressurised", "pressurized", "white", "see", "coming", "blowing", "gushing",
        "spraying", "leak", "leaking", "fill", "fills", "fog", "foggy", "comming", "misty",
    ]
    static let scaldWords: Set<String> = ["scalding", "scalded", "scald", "scalds", "boiling"]
    static let hotWater: Set<String> = ["water", "tap", "taps", "shower", "showers", "pipe", "basin", "urn", "boiler", "kettle", "calorifier"]
    /// Hot water reaching people: "spraying everywhere", "burnt her hand".
    static let scaldExposure: Set<String> = [
        "spraying", "spray", "sprays", "sprayed", "gushing", "pouring", "everywhere", "jet", "burst", "burnt", "burned",
        "burn", "burns", "scalded", "blister", "blisters", "shooting", "spurting",
    ]

    // MARK: Biological

    static let sewageWords: Set<String> = ["sewage", "sewer", "foul", "faeces", "feces", "excrement", "poo", "effluent"]
    /// "dirty water coming up the drain" is sewage in other words.
    static let dirtyWater: Set<String> = ["dirty", "black", "brown", "filthy", "smelly", "stinking", "dark"]
    static let drainWords: Set<String> = ["drain", "drains", "gully", "gullies", "up", "backing", "overflowing", "toilet"]
    static let risingWords: Set<String> = ["up", "backing", "overflowing", "flooding", "spreading", "bubbling", "pouring", "everywhere"]

    // MARK: Structural impact and entrapment

    static let impactors: Set<String> = [
        "tree", "branch", "branches", "van", "lorry", "truck", "car", "vehicle", "bus", "crane", "digger", "tractor", "forklift", "trailer",
        "oak", "beech", "sycamore", "pine", "birch", "elm", "poplar", "willow", "chestnut", "limb", "trunk",
    ]
    static let treeNames: Set<String> = ["oak", "beech", "sycamore", "pine", "birch", "elm", "poplar", "willow", "chestnut"]
    /// What follows a tree's name when it names a place: "Elm Row", "Pine Hall".
    static let placeNameWords: Set<String> = [
        "row", "hall", "halls", "court", "house", "cottage", "cottages", "lodge", "block", "building", "road", "close", "lane", "street",
        "avenue", "residence", "village", "wing", "gardens", "centre", "center", "terrace", "drive", "way", "walk", "grove",
    ]
    static let crackWords: Set<String> = ["crack", "cracks", "cracked", "cracking", "racked", "split"]
    static let confinement: Set<String> = ["stuck", "trapped", "locked", "shut", "jammed"]
    /// Things that get stuck in a position: "barriers stuck in the up position".
    static let stuckThings: Set<String> = [
        "barrier", "barriers", "gate", "gates", "park", "parks", "car", "cars", "window", "windows", "drawer", "drawers", "lid", "valve",
        "shutter", "shutters", "blind", "blinds",
    ]
    /// Words that make a defect slight: "wobbles slightly", "sagging a little".
    static let slightly: Set<String> = ["slightly", "little", "bit", "tiny"]
    /// "still firmly fixed", "solid": what holds.
    static let stillFixed: Set<String> = ["firmly", "solid", "secure", "securely", "sturdy"]

    // MARK: Safety systems and essential cooling

    /// Equipment that protects people; when it fails, no one is in danger yet (P1).
    static let safetySystems: Set<String> = [
        "shower", "eyewash", "defibrillator", "defib", "aed", "sprinkler", "sprinklers", "extinguisher",
        "extinguishers", "ext", "exts", "hood", "lev", "extract", "extraction", "alarm", "alarms", "detector", "detectors", "lights",
        "lighting", "door", "doors", "cupboard", "valve", "sign", "signs", "panel", "blanket",
    ]
    /// Only with "emergency", "fire", "safety" or "fume" in front: a shower or an alarm of any other kind is plumbing or AV.
    static let safetyQualifiers: Set<String> = [
        "emergency", "fire", "safety", "fume", "smoke", "gas", "eye", "panic", "refuge", "co", "sprinkler", "exit", "detection", "alarm",
    ]
    static let faultWords: Set<String> = [
        "broken", "failed", "failing", "fault", "faulty", "dead", "nothing", "isolated", "disabled", "beeping", "tripped",
        "work", "working", "works", "pulling", "empty", "discharged", "missing", "snapped", "propped", "low", "alarm",
        "close", "closes", "closing", "shut", "shuts", "latch", "latching", "come", "came", "coming", "covered", "covers",
        "bagged", "capped", "disappeared", "gone", "stolen", "removed", "taken", "lit", "illuminated",
    ]
    /// Words right after a safety system that make the ticket about planned work.
    static let plannedWork: Set<String> = [
        "test", "tests", "testing", "drill", "drills", "schedule", "certificate", "service", "servicing", "inspection", "sign", "signs",
        "signage", "training", "log", "check", "checks",
    ]
    static let coldStores: Set<String> = [
        "freezer", "freezers", "cold", "comms", "server", "servers", "crac", "incubator", "conditioning", "aircon", "cooling",
    ]
    static let warming: Set<String> = ["warming", "warm", "degrees", "rising", "climbing", "alarm", "alarming", "defrosting", "thawing"]
}
