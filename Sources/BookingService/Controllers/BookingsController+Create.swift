import CampusKit
import Foundation
import Hummingbird

extension BookingsController {
    struct CreateRequest: Decodable {
        let roomId: Int
        let date: String
        let startTime: String
        let endTime: String
        let purpose: String
        /// Faculty only: the number of weekly bookings, the first included (2–15).
        let repeatWeeks: Int?

        enum CodingKeys: String, CodingKey { case roomId, date, startTime, endTime, purpose, repeatWeeks }

        init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            roomId = try container.decode(WireID.self, forKey: .roomId).value
            date = try container.decode(String.self, forKey: .date)
            startTime = try container.decode(String.self, forKey: .startTime)
            endTime = try container.decode(String.self, forKey: .endTime)
            purpose = try container.decode(String.self, forKey: .purpose)
            repeatWeeks = try container.decodeWholeNumberIfPresent(forKey: .repeatWeeks)
        }
    }

    /// `POST /bookings`: 201 with the booking, or with `{"series_id","bookings"}` for a series.
    @Sendable func create(_ request: Request, context: AuthenticatedContext) async throws -> Response {
        try BookingPolicy.table.require(.bookRooms, for: context.identity)
        let limits = try BookingLimits.of(context.role)
        let body = try await request.decode(as: CreateRequest.self, context: context)
        let now = now()
        var plan = try planner.plan(
            .init(roomID: body.roomId, date: body.date, startTime: body.startTime, endTime: body.endTime, purpose: body.purpose, repeatWeeks: body.repeatWeeks),
            userID: context.identity.userID, limits: limits, now: now, seriesID: UUID().uuidString.lowercased()
        )
        plan.requester = Requester(name: context.identity.name, email: context.identity.email)
        let made: [Booking]
        do {
            made = try await bookings.book(plan, limits: limits, now: now)
        } catch BookingStoreError.unknownRoom {
            throw APIError.invalid("room_id", "there is no room \(body.roomId) in the catalogue")
        } catch BookingStoreError.conflict(let room, let existing, let date) {
            throw BookingRefusal.conflict(room: room.name, existing: existing?.spokenWhen, date: date, weeks: plan.occurrences.count)
        }
        guard let first = made.first else { preconditionFailure("a stored plan has at least one booking") }
        if let seriesID = plan.seriesID {
            return try Response.json(SeriesResponse(seriesId: seriesID, bookings: made.map(BookingResponse.init)), status: .created)
        }
        return try Response.json(BookingResponse(first), status: .created, headers: [.location: "/bookings/\(first.id)"])
    }
}
