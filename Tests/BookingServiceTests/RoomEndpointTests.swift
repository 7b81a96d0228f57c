import CampusKit
import CampusTesting
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

@testable import BookingService

/// The room catalogue: everyone browses it, admins manage it.
@Suite struct RoomEndpointTests {
    typealias Room = BookingHarness.SeededRoom

    @Test func theSeededCatalogueIsBrowsableWithFiltersAndPages() async throws {
        let h = try await BookingHarness()
        let student = try await h.token(.student, "301")
        try await h.app.test(.router) { client in
            let all = try await client.get("/rooms", student)
            #expect(all.status == .ok)
            #expect(all.headers[.totalCount] == "10")
            #expect(
                Set(all.jsonArray.first?.keys.map { $0 } ?? []) == [
                    "id", "name", "building", "capacity", "features", "faculty_only", "check_in_required", "approval_required", "approver",
                ])
            #expect(
                all.jsonArray.allSatisfy { $0["check_in_required"] as? Bool == false && $0["approval_required"] as? Bool == false && $0["approver"] is NSNull })
            let names = Dictionary(uniqueKeysWithValues: all.jsonArray.map { ($0["id"] as? Int ?? 0, $0["name"] as? String ?? "") })
            #expect(names[Room.seminarA101] == "Seminar Room A101" && names[Room.seminarB201] == "Seminar Room B201")
            #expect(names[Room.computerLab] == "Computer Lab C110" && names[Room.lectureHall1] == "Lecture Hall 1")
            // Lecture halls and labs are faculty only; seminar and study rooms are not.
            for room in all.jsonArray {
                let name = room["name"] as? String ?? ""
                let facultyOnly = name.contains("Lecture Hall") || name.contains("Lab")
                #expect(room["faculty_only"] as? Bool == facultyOnly, "\(name)")
            }

            let big = try await client.get("/rooms?min_capacity=100", student)
            #expect(big.jsonArray.compactMap { $0["name"] as? String } == ["Lecture Hall 1", "Lecture Hall 2"])
            let computers = try await client.get("/rooms?feature=computers", student)
            #expect(computers.jsonArray.compactMap { $0["name"] as? String } == ["Computer Lab C110"])
            let video = try await client.get("/rooms?feature=Video%20Conferencing&min_capacity=20", student)
            #expect(video.jsonArray.compactMap { $0["name"] as? String } == ["Seminar Room B201", "Lecture Hall 1"])
            #expect(try await client.get("/rooms?feature=teleporter", student).headers[.totalCount] == "0")
            let page = try await client.get("/rooms?limit=3&offset=9", student)
            #expect(page.jsonArray.count == 1 && page.headers[.totalCount] == "10")
            for bad in ["min_capacity=-1", "min_capacity=ten", "limit=-5", "offset=abc", "feature=%24%24"] {
                #expect(try await client.get("/rooms?\(bad)", student).status == .unprocessableContent, "\(bad)")
            }
            #expect(try await client.get("/rooms/\(Room.seminarB201)", student).json["capacity"] as? Int == 30)
            #expect(try await client.get("/rooms/999", student).status == .notFound)
            #expect(try await client.get("/rooms/abc", student).status == .notFound)
            #expect(try await client.execute(uri: "/rooms", method: .get) { $0 }.status == .unauthorized)
        }
    }

    @Test(arguments: TestDatabase.backends)
    func adminsCreateUpdateAndDeleteRoomsOthersCannot(_ backend: TestDatabase.Backend) async throws {
        let h = try await BookingHarness(backend: backend)
        let admin = try await h.token(.admin, "101")
        let student = try await h.token(.student, "301")
        let faculty = try await h.token(.faculty, "201")
        let technician = try await h.token(.technician, "401")
        let newRoom = jsonBody([
            "name": " Seminar Room C301 ", "building": "Civic Centre", "capacity": 25, "features": ["Projector", "video-conferencing", "projector"],
        ])
        try await h.app.test(.router) { client in
            for token in [student, faculty, technician] {
                let response = try await client.execute(uri: "/rooms", method: .post, headers: bearer(token), body: newRoom) { $0 }
                #expect(response.status == .forbidden)
                #expect(response.problemCode == "role_not_allowed")
                #expect(
                    try await client.execute(uri: "/rooms/1", method: .put, headers: bearer(token), body: jsonBody(["capacity": 5])) { $0 }.status == .forbidden
                )
                #expect(try await client.delete("/rooms/1", token).status == .forbidden)
            }
            let created = try await client.execute(uri: "/rooms", method: .post, headers: bearer(admin), body: newRoom) { $0 }
            #expect(created.status == .created)
            #expect(created.json["name"] as? String == "Seminar Room C301")
            #expect(created.json["features"] as? [String] == ["projector", "video_conferencing"])
            #expect(created.json["faculty_only"] as? Bool == false)
            let id = try #require(created.json["id"] as? Int)
            #expect(created.headers[.location] == "/rooms/\(id)")

            let invalid: [(JSONObject, String)] = [
                (["name": "X", "building": "B", "capacity": 0], "capacity:"),
                (["name": "X", "building": "B", "capacity": "ten"], "capacity:"),
                (["name": "X", "building": "B", "capacity": 10.5], "capacity:"),
                (["name": "", "building": "B", "capacity": 10], "name:"),
                (["building": "B", "capacity": 10], "name:"),
                (["name": "X", "building": "B", "capacity": 10, "features": ["ok", "no/slash"]], "features[1]:"),
                (["name": "X", "building": "B", "capacity": 10, "faculty_only": "yes"], "faculty_only:"),
            ]
            for (body, field) in invalid {
                let response = try await client.execute(uri: "/rooms", method: .post, headers: bearer(admin), body: jsonBody(body)) { $0 }
                #expect(response.status == .unprocessableContent, "\(body)")
                #expect(response.detail.hasPrefix(field), "\(response.detail)")
            }
            let duplicate = try await client.execute(uri: "/rooms", method: .post, headers: bearer(admin), body: newRoom) { $0 }
            #expect(duplicate.status == .conflict)
            #expect(duplicate.problemCode == "room_name_taken")

            let updated = try await client.execute(
                uri: "/rooms/\(id)", method: .put, headers: bearer(admin), body: jsonBody(["capacity": 40, "faculty_only": true])
            ) { $0 }
            #expect(updated.status == .ok)
            #expect(updated.json["capacity"] as? Int == 40 && updated.json["faculty_only"] as? Bool == true)
            #expect(updated.json["name"] as? String == "Seminar Room C301")
            #expect(
                try await client.execute(uri: "/rooms/\(id)", method: .put, headers: bearer(admin), body: jsonBody(["name": "Lecture Hall 1"])) { $0 }.status
                    == .conflict)
            #expect(
                try await client.execute(uri: "/rooms/999", method: .put, headers: bearer(admin), body: jsonBody(["capacity": 3])) { $0 }.status == .notFound)

            // A room with an upcoming booking cannot be deleted until it is cancelled.
            let booking = try #require(try await client.book(faculty, room: id, date: h.day(1), "10:00", "11:00").json["id"] as? Int)
            let refused = try await client.delete("/rooms/\(id)", admin)
            #expect(refused.status == .conflict)
            #expect(refused.problemCode == "room_has_bookings")
            #expect(try await client.delete("/bookings/\(booking)", faculty).status == .noContent)
            #expect(try await client.delete("/rooms/\(id)", admin).status == .noContent)
            #expect(try await client.get("/rooms/\(id)", admin).status == .notFound)
            #expect(try await client.delete("/rooms/\(id)", admin).status == .notFound)
            // The deleted room is gone from booking too.
            #expect(try await client.book(faculty, room: id, date: h.day(1), "10:00", "11:00").detail.hasPrefix("room_id:"))
            #expect(try await client.get("/bookings/available?room_id=\(id)&date=\(h.day(1))", faculty).status == .notFound)
        }
    }
}
