import CampusKit
import Foundation
import Hummingbird

extension BookingsController {
    /// `PATCH /bookings/{id}`: any of the booking's fields, and for a series booking which ones.
    struct ChangeRequest: Decodable {
        let roomId: Int?
        let date: String?
        let startTime: String?
        let endTime: String?
        let purpose: String?
        let applyTo: ChangeScope

        enum CodingKeys: String, CodingKey, CaseIterable { case roomId, date, startTime, endTime, purpose, applyTo }

        init(from decoder: any Decoder) throws {
            try decoder.refuseUnknownKeys(besides: CodingKeys.self)
            let container = try decoder.container(keyedBy: CodingKeys.self)
            roomId = try container.decodeIfPresent(WireID.self, forKey: .roomId)?.value
            date = try container.decodeIfPresent(String.self, forKey: .date)
            startTime = try container.decodeIfPresent(String.self, forKey: .startTime)
            endTime = try container.decodeIfPresent(String.self, forKey: .endTime)
            purpose = try container.decodeIfPresent(String.self, forKey: .purpose)
            let scope = try container.decodeIfPresent(String.self, forKey: .applyTo) ?? ChangeScope.this.rawValue
            guard let applyTo = ChangeScope(rawValue: scope) else {
                throw APIError.invalid("apply_to", "\"\(scope)\" is not one of \(ChangeScope.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            self.applyTo = applyTo
        }

        var domain: BookingChangeRequest {
            BookingChangeRequest(roomID: roomId, date: date, startTime: startTime, endTime: endTime, purpose: purpose, scope: applyTo)
        }
    }

    /// Moves a booking (or it and the rest of its series) to another slot, day or room, or changes
    /// its purpose, all at once or not at all: 200 with the booking, or `{"series_id","bookings"}`.
    @Sendable func change(_ request: Request, context: AuthenticatedContext) async throws -> Response {
        try BookingPolicy.table.require(.bookRooms, for: context.identity)
        let limits = try BookingLimits.of(context.role)
        let body = try await request.decode(as: ChangeRequest.self, context: context)
        let booking = try await ownBooking(context)
        var affected = [booking]
        if body.applyTo == .following, let seriesID = booking.seriesID {
            let later = try await bookings.series(seriesID, userID: context.identity.userID)
                .filter { $0.status.holdsSlot && $0.startsAt > booking.startsAt }
            affected += later
        }
        let now = now()
        var move = try planner.change(affected, to: body.domain, limits: limits, now: now)
        move.requester = Requester(name: context.identity.name, email: context.identity.email)
        let changed: [Booking]
        do {
            changed = try await bookings.change(move, limits: limits, now: now)
        } catch BookingStoreError.unknownRoom {
            throw APIError.invalid("room_id", "there is no room \(body.roomId.map(String.init) ?? "") in the catalogue")
        } catch BookingStoreError.conflict(let room, let existing, let date) {
            throw BookingChangeRefusal.conflict(room: room.name, existing: existing?.spokenWhen, date: date, bookings: move.steps.count)
        } catch BookingStoreError.changedMeanwhile(let booking) {
            throw BookingChangeRefusal.changedMeanwhile(booking)
        }
        if body.applyTo == .following, let seriesID = booking.seriesID {
            return try Response.json(SeriesResponse(seriesId: seriesID, bookings: changed.map(BookingResponse.init)))
        }
        guard let first = changed.first else { preconditionFailure("a stored change has at least one booking") }
        return try Response.json(BookingResponse(first))
    }
}
