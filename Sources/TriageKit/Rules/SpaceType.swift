import Foundation

/// The kind of space a ticket is about, for the people estimate.
///
/// People affected, when the problem stays in that space (scope `room`). Typical occupancy of
/// a space of that kind on a teaching day, not its capacity: a lecture hall seats 150–300 but a
/// dead projector stops one class of about 150.
///
/// | space | people | | space | people |
/// |---|---|---|---|---|
/// | exam hall | 200 | | office | 2 |
/// | auditorium, theatre | 300 | | study room, carrel | 6 |
/// | lecture hall / theatre | 150 | | library area | 40 |
/// | cafeteria, café, bar | 100 | | toilets, showers | 10 |
/// | sports hall, gym, pool | 60 | | kitchen, staff room | 15 |
/// | seminar room, classroom | 25 | | corridor, stairs, foyer | 50 |
/// | computer lab | 30 | | lift | 40 |
/// | lab | 20 | | common room | 20 |
/// | workshop, studio | 15 | | flat | 6 |
/// | meeting room | 8 | | bedroom, dorm room | 1 |
/// | server room, data centre | 50 | | car park | 80 |
/// | plant room, store, cupboard | 3 | | outdoors (quad, path, pitch) | 30 |
/// | anything else | 20 | | | |
///
/// Wider scopes replace the table: floor 120, building 600, campus 8000 (see ``ImpactEstimator``).
enum SpaceType: String, Sendable, CaseIterable {
    case examHall, auditorium, lectureHall, cafeteria, sportsHall, computerLab, serverRoom, meetingRoom
    case seminarRoom, lab, workshop, studyRoom, office, toilet, kitchen, commonRoom, lift, circulation
    case bedroom, flat, carPark, outdoors, plantRoom, library, other

    var typicalPeople: Int {
        switch self {
        case .examHall: 200
        case .auditorium: 300
        case .lectureHall: 150
        case .cafeteria: 100
        case .sportsHall: 60
        case .computerLab: 30
        case .serverRoom: 50
        case .meetingRoom: 8
        case .seminarRoom: 25
        case .lab: 20
        case .workshop: 15
        case .studyRoom: 6
        case .office: 2
        case .toilet: 10
        case .kitchen: 15
        case .commonRoom: 20
        case .lift: 40
        case .circulation: 50
        case .bedroom: 1
        case .flat: 6
        case .carPark: 80
        case .outdoors: 30
        case .plantRoom: 3
        case .library: 40
        case .other: 20
        }
    }

    /// Single words and two-word phrases of each kind, most specific kinds first.
    private static let cues: [(SpaceType, [String])] = [
        (.examHall, ["exam hall", "examination hall"]),
        (.computerLab, ["computer lab", "computer room", "pc lab", "cl #num"]),
        (.lectureHall, ["lecture theatre", "lecture theater", "lecture hall", "lecture theatres", "lt #num", "lh #num"]),
        (.auditorium, ["auditorium", "theatre", "concert hall", "main hall"]),
        (.serverRoom, ["server room", "server", "data centre", "data center", "comms room"]),
        (.meetingRoom, ["meeting room", "conference room", "boardroom"]),
        (.commonRoom, ["common room", "lounge"]),
        (.studyRoom, ["study room", "group room", "group study", "study rooms", "carrel", "carrels", "pod"]),
        (.seminarRoom, ["seminar", "classroom", "tutorial", "teaching room"]),
        (.cafeteria, ["cafeteria", "canteen", "cafe", "café", "bar", "restaurant", "dining"]),
        (.sportsHall, ["sports hall", "gym", "pool", "sauna", "dance studio"]),
        (.lab, ["lab", "labs", "laboratory", "prep room", "cold room"]),
        (.workshop, ["workshop", "studio", "practice room"]),
        (.office, ["office"]),
        (.toilet, ["toilet", "toilets", "loo", "loos", "gents", "ladies", "washroom", "bathroom", "urinal", "cubicle", "shower", "showers", "changing"]),
        (.kitchen, ["kitchen", "kitchenette", "staff room", "laundry"]),
        (.lift, ["lift", "elevator"]),
        (.bedroom, ["bedroom", "dorm", "my room"]),
        (.flat, ["flat"]),
        (.carPark, ["car park", "carpark", "parking", "multistorey"]),
        (.plantRoom, ["plant room", "boiler room", "boiler house", "cupboard", "riser", "store", "stores"]),
        (
            .circulation,
            [
                "corridor", "hallway", "stairwell", "stairs", "staircase", "foyer", "entrance", "lobby", "atrium", "reception", "landing", "underpass",
                "footbridge",
            ]
        ),
        (.outdoors, ["quad", "courtyard", "path", "pitch", "grounds", "lawn", "bike shed", "garden", "outside"]),
        (.library, ["library"]),
    ]

    /// The kind named by the location, else by the text, else `.other`.
    static func detect(location: [String], text: [String]) -> SpaceType {
        detect(in: location) ?? detect(in: text) ?? .other
    }

    /// The kind named in `tokens` alone, if any.
    static func detect(in tokens: [String]) -> SpaceType? {
        // The first kind in `cues` order wins, wherever its phrase stands.
        PhraseTable.matches(in: tokens, table: table).min().map { cues[$0].0 }
    }

    private static let table = PhraseTable(cues.map { Set($0.1) })
}
