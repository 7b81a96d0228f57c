import CampusKit
import Foundation
import Hummingbird

/// `GET /internal/rooms/{id}/outlook?hours=`: a room's confirmed bookings that have not ended and
/// begin within `hours` (1–720, default 168), each with the nearest free room of the same kind
/// (``RoomOutlook``). Only maintenance may ask (a service token): a ticket on the room shows them,
/// and marking the room out of order tells their owners where they could go.
///
/// `PUT /internal/rooms/out-of-order`: maintenance states which rooms are out of order, whole
/// (``RoomFaults``), after every mark and every resolution and again every minute, so that a
/// statement lost while booking was down is made good. New bookings, and moves, into those rooms
/// are refused (409 `room_out_of_order`) and their slots show as taken.
struct RoomOutlookController: Sendable {
    let bookings: any BookingRepository
    let rooms: any RoomRepository
    let now: @Sendable () -> Date

    /// At most this many bookings are answered.
    static let limit = 50

    func addRoutes(to group: RouterGroup<AuthenticatedContext>) {
        group.get("rooms/{id}/outlook", use: outlook)
        group.put("rooms/out-of-order", use: outOfOrder)
    }

    struct OutOfOrderRequest: Decodable, Sendable {
        struct Entry: Decodable, Sendable {
            let roomId: WireID
            let ticketId: WireID
        }
        let rooms: [Entry]
    }

    @Sendable func outOfOrder(_ request: Request, context: AuthenticatedContext) async throws -> Response {
        try Self.requireMaintenance(context, "say which rooms are out of order")
        let body = try await request.decode(as: OutOfOrderRequest.self, context: context)
        guard body.rooms.count <= RoomFaults.maximumRooms else {
            throw APIError.invalid("rooms", "at most \(RoomFaults.maximumRooms) rooms at once")
        }
        var pairs: [(roomID: Int, ticketID: Int)] = []
        for (index, entry) in body.rooms.enumerated() {
            guard entry.roomId.value > 0, entry.ticketId.value > 0 else {
                throw APIError.invalid("rooms[\(index)]", "room_id and ticket_id are ids: whole numbers from 1")
            }
            pairs.append((entry.roomId.value, entry.ticketId.value))
        }
        try await rooms.markOutOfOrder(RoomFaults(pairs))
        return Response(status: .noContent)
    }

    private static func requireMaintenance(_ context: AuthenticatedContext, _ what: String) throws {
        guard context.identity.serviceName == .maintenance else {
            throw APIError.forbidden("Only the maintenance service may \(what).")
        }
    }

    struct EntryResponse: Encodable, Sendable {
        let id: Int
        let userId: WireID
        let startsAt: Date
        let endsAt: Date
        let purpose: String
        let alternative: RoomResponse?

        enum CodingKeys: String, CodingKey { case id, userId, startsAt, endsAt, purpose, alternative }

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(id, forKey: .id)
            try container.encode(userId, forKey: .userId)
            try container.encode(startsAt, forKey: .startsAt)
            try container.encode(endsAt, forKey: .endsAt)
            try container.encode(purpose, forKey: .purpose)
            try container.encode(alternative, forKey: .alternative)
        }
    }

    struct OutlookResponse: Encodable, Sendable, ResponseEncodable {
        let room: RoomResponse
        let bookings: [EntryResponse]
    }

    @Sendable func outlook(_ request: Request, context: AuthenticatedContext) async throws -> OutlookResponse {
        try Self.requireMaintenance(context, "ask for a room's outlook")
        let roomID = try RoomsController.roomID(context)
        guard let room = try await rooms.find(id: roomID) else { throw RoomsController.noRoom(roomID) }
        let raw = request.uri.queryParameters["hours"].map(String.init)
        guard let hours = raw.map({ Int($0) }) ?? 168, (1...720).contains(hours) else {
            throw APIError.invalid("hours", "\"\(raw ?? "")\" is not a whole number of hours from 1 to 720")
        }
        let now = now()
        let horizon = now.addingTimeInterval(TimeInterval(hours) * 3600)
        let occupancy = try await bookings.occupancy(roomID: nil, from: now, to: horizon)
        let busy = Dictionary(occupancy.map { ($0.roomID, $0.busy) }, uniquingKeysWith: +)
        let upcoming = try await bookings.upcoming(roomID: roomID, from: now, to: horizon, limit: Self.limit)
        let all = try await rooms.list(RoomFilter(), page: Pagination(limit: Pagination.maximumLimit)).rooms
        let outlook = RoomOutlook(room: room, bookings: upcoming, rooms: all, busy: busy)
        return OutlookResponse(
            room: RoomResponse(room),
            bookings: try outlook.bookings.map {
                EntryResponse(
                    id: $0.booking.id, userId: try WireID(stored: $0.booking.userID), startsAt: $0.booking.startsAt, endsAt: $0.booking.endsAt,
                    purpose: $0.booking.purpose, alternative: $0.alternative.map(RoomResponse.init))
            })
    }
}
