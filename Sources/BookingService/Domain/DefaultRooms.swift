/// The catalogue seeded on first start (a migration, so it happens exactly once; rooms an
/// admin deletes later stay deleted). Lecture halls and labs are faculty only.
public enum DefaultRooms {
    public static let catalogue: [NewRoom] = [
        NewRoom(
            name: "Seminar Room A101", building: "Arts Building", capacity: 20,
            features: ["projector", "whiteboard"], facultyOnly: false),
        NewRoom(
            name: "Seminar Room B201", building: "Business School", capacity: 30,
            features: ["projector", "whiteboard", "video_conferencing"], facultyOnly: false),
        NewRoom(
            name: "Study Room L1", building: "Library", capacity: 4,
            features: ["whiteboard"], facultyOnly: false),
        NewRoom(
            name: "Study Room L2", building: "Library", capacity: 6,
            features: ["whiteboard", "display_screen"], facultyOnly: false),
        NewRoom(
            name: "Group Study Room L3", building: "Library", capacity: 10,
            features: ["whiteboard", "video_conferencing", "display_screen"], facultyOnly: false),
        NewRoom(
            name: "Computer Lab C110", building: "Computing Centre", capacity: 40,
            features: ["computers", "projector", "printer"], facultyOnly: true),
        NewRoom(
            name: "Chemistry Lab S210", building: "Science Building", capacity: 24,
            features: ["fume_hoods", "lab_benches", "safety_shower"], facultyOnly: true),
        NewRoom(
            name: "Lecture Hall 1", building: "Main Building", capacity: 200,
            features: ["projector", "microphone", "lecture_capture", "video_conferencing"], facultyOnly: true),
        NewRoom(
            name: "Lecture Hall 2", building: "Main Building", capacity: 120,
            features: ["projector", "microphone", "whiteboard"], facultyOnly: true),
        NewRoom(
            name: "Meeting Room M5", building: "Administration", capacity: 12,
            features: ["video_conferencing", "display_screen", "whiteboard"], facultyOnly: false),
    ]
}
