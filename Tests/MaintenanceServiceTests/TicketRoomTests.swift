import BookingService
import CampusKit
import CampusTesting
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

@testable import MaintenanceService

/// A ticket's `room_id` is checked against the booking catalogue, over HTTP.
@Suite struct TicketRoomTests {
    @Test func roomIdsComeFromTheBookingCatalogue() async throws {
        let base = await TestRuntime.make()
        let booking = try await BookingService.buildApplication(runtime: base, database: try TestDatabase.make(.sqlite))
        try await booking.test(.live) { bookingClient in
            var settings = base.settings
            settings.endpoints[.booking] = .init(host: "127.0.0.1", port: try #require(bookingClient.port))
            let runtime = ServiceRuntime(settings: settings, tokens: base.tokens, http: base.http)
            let maintenance = try await MaintenanceService.buildApplication(runtime: runtime, database: try TestDatabase.make(.sqlite))
            let student = try await TestRuntime.token(runtime, userID: "3", role: .student)
            try await maintenance.test(.router) { client in
                try await client.execute(
                    uri: "/tickets", method: .post, headers: bearer(student),
                    body: jsonBody(["title": "Projector dead", "description": "no picture", "location": "Seminar room", "room_id": 2])
                ) { response in
                    #expect(response.status == .created)
                    #expect(response.json["room_id"] as? Int == 2)
                }
                try await client.execute(
                    uri: "/tickets", method: .post, headers: bearer(student),
                    body: jsonBody(["title": "Projector dead", "description": "no picture", "location": "Seminar room", "room_id": 999])
                ) { response in
                    #expect(response.status == .unprocessableContent)
                    #expect((response.json["detail"] as? String)?.hasPrefix("room_id:") == true)
                }
                try await client.execute(uri: "/tickets/room-health", method: .get, headers: bearer(student)) { response in
                    #expect(response.jsonArray.count == 1)
                    #expect(response.jsonArray.first?["room_id"] as? Int == 2)
                }
            }
        }
    }
}
