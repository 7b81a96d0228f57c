import CampusKit
import Foundation
import Hummingbird

/// `GET /bookings/available`: the slot grid of a day with what is free, for one room or all.
/// One query per request, however many rooms and slots. A slot that has begun is not available.
struct AvailabilityController: Sendable {
    let bookings: any BookingRepository
    let grid: SlotGrid
    let now: @Sendable () -> Date
    let cache: AvailabilityCache

    func addRoutes(to group: RouterGroup<AuthenticatedContext>) {
        group.get("available", use: available)
    }

    struct SlotResponse: Codable, Sendable, Equatable {
        let startTime: String
        let endTime: String
        let available: Bool
    }

    struct RoomSlotsResponse: Codable, Sendable, Equatable {
        let roomId: Int
        let roomName: String
        let slots: [SlotResponse]
    }

    /// A list like every other (docs/contract.md §2): paged (by room without `room_id`, by slot with it), with `X-Total-Count`.
    @Sendable func available(_ request: Request, context: AuthenticatedContext) async throws -> Response {
        try BookingPolicy.table.require(.browseRooms, for: context.identity)
        let query = request.uri.queryParameters
        let page = try Pagination(query: query)
        let now = now()
        // Without a date: today on campus.
        let date = try query["date"].map { try BookingPlanner.date(String($0), field: "date") } ?? grid.calendar.date(at: now)
        let roomID = try WireID.query(query, "room_id")?.value
        let key = AvailabilityCache.Key(date: date, roomID: roomID, page: page)
        // Read before the query: a booking committed meanwhile makes this answer stale at once.
        let version = cache.changes.version(of: date)
        if let answer = cache.answer(key, version: version, now: now) { return answer.response }

        let hours = grid.openingHours(on: date)
        let occupancy = try await bookings.occupancy(roomID: roomID, from: hours.from, to: hours.to)
        let daySlots = grid.slots(on: date)
        func slots(_ room: RoomOccupancy) -> [SlotResponse] {
            daySlots.map { slot in
                let taken = room.busy.contains { $0.start < slot.endsAt && $0.end > slot.startsAt }
                return SlotResponse(startTime: slot.start.description, endTime: slot.end.description, available: !taken && slot.startsAt > now)
            }
        }
        let answer: AvailabilityCache.Answer
        if let roomID {
            guard let room = occupancy.first else { throw Self.noRoom(String(roomID)) }
            answer = try .init(Page(all: slots(room), page: page), version: version, slots: daySlots, now: now)
        } else {
            let rooms = occupancy.map { RoomSlotsResponse(roomId: $0.roomID, roomName: $0.roomName, slots: slots($0)) }
            answer = try .init(Page(all: rooms, page: page), version: version, slots: daySlots, now: now)
        }
        cache.store(answer, for: key)
        return answer.response
    }

    static func noRoom(_ id: String) -> APIError { APIError.notFound("There is no room \(id).") }
}
