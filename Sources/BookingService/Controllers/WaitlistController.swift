import CampusKit
import Foundation
import Hummingbird

/// `/bookings/waitlist`: students and faculty wait for a taken slot (``Waitlist``).
struct WaitlistController: Sendable {
    let waitlist: any WaitlistRepository
    let planner: BookingPlanner
    let now: @Sendable () -> Date

    func addRoutes(to group: RouterGroup<AuthenticatedContext>) {
        group.post("waitlist", use: join)
        group.get("waitlist", use: list)
        group.delete("waitlist/{entry_id}", use: withdraw)
    }

    struct JoinRequest: Decodable {
        let roomId: Int
        let date: String
        let startTime: String
        let endTime: String
        let purpose: String?
        let autoBook: Bool?

        enum CodingKeys: String, CodingKey, CaseIterable { case roomId, date, startTime, endTime, purpose, autoBook }

        init(from decoder: any Decoder) throws {
            try decoder.refuseUnknownKeys(besides: CodingKeys.self)
            let container = try decoder.container(keyedBy: CodingKeys.self)
            roomId = try container.decode(WireID.self, forKey: .roomId).value
            date = try container.decode(String.self, forKey: .date)
            startTime = try container.decode(String.self, forKey: .startTime)
            endTime = try container.decode(String.self, forKey: .endTime)
            purpose = try container.decodeIfPresent(String.self, forKey: .purpose)
            autoBook = try container.decodeIfPresent(Bool.self, forKey: .autoBook)
        }
    }

    /// `{"id","room_id","date","start_time","end_time","purpose","auto_book","status","position","created_at","served_at","booking_id"}`.
    struct EntryResponse: Encodable, ResponseEncodable {
        let entry: WaitlistEntry

        enum CodingKeys: String, CodingKey {
            case id, roomId, date, startTime, endTime, purpose, autoBook, status, position, createdAt, servedAt, bookingId
        }

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(entry.id, forKey: .id)
            try container.encode(entry.roomID, forKey: .roomId)
            try container.encode(entry.date.description, forKey: .date)
            try container.encode(entry.startTime.description, forKey: .startTime)
            try container.encode(entry.endTime.description, forKey: .endTime)
            try container.encode(entry.purpose, forKey: .purpose)
            try container.encode(entry.autoBook, forKey: .autoBook)
            try container.encode(entry.status, forKey: .status)
            try container.encode(entry.position, forKey: .position)
            try container.encode(entry.createdAt, forKey: .createdAt)
            try container.encode(entry.servedAt, forKey: .servedAt)
            try container.encode(entry.bookingID, forKey: .bookingId)
        }
    }

    /// Joins the line for a slot someone else holds: checked as a booking of it would be (grid,
    /// length, advance, faculty-only rooms), so what is booked for the caller later is allowed.
    @Sendable func join(_ request: Request, context: AuthenticatedContext) async throws -> Response {
        try BookingPolicy.table.require(.bookRooms, for: context.identity)
        let limits = try BookingLimits.of(context.role)
        let body = try await request.decode(as: JoinRequest.self, context: context)
        let now = now()
        let purpose =
            body.purpose.map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }.flatMap { $0.isEmpty ? nil : $0 } ?? "Booked from the waiting list"
        let plan = try planner.plan(
            .init(roomID: body.roomId, date: body.date, startTime: body.startTime, endTime: body.endTime, purpose: purpose),
            userID: context.identity.userID, limits: limits, now: now, seriesID: ""
        )
        let entry = try await waitlist.join(plan, role: context.role, limits: limits, autoBook: body.autoBook ?? false, now: now)
        return try Response.json(EntryResponse(entry: entry), status: .created, headers: [.location: "/bookings/waitlist"])
    }

    @Sendable func list(_ request: Request, context: AuthenticatedContext) async throws -> Page<EntryResponse> {
        try BookingPolicy.table.require(.bookRooms, for: context.identity)
        let page = try Pagination(query: request.uri.queryParameters)
        let result = try await waitlist.list(userID: context.identity.userID, now: now(), page: page)
        return Page(items: result.entries.map(EntryResponse.init), total: result.total)
    }

    @Sendable func withdraw(_ request: Request, context: AuthenticatedContext) async throws -> Response {
        try BookingPolicy.table.require(.bookRooms, for: context.identity)
        let raw = context.parameters.get("entry_id") ?? ""
        guard let id = Int(raw), try await waitlist.withdraw(id: id, userID: context.identity.userID) else {
            throw APIError.notFound("You are not waiting in line \(raw).")
        }
        return Response(status: .noContent)
    }
}

extension WaitlistRefusal: ProblemConvertible {
    public var problem: APIError {
        switch self {
        case .slotFree(let room, let when):
            .conflict("\(room), \(when) is free: book it instead of waiting.", code: "slot_free")
        case .yours(let room, let when):
            .conflict("You hold \(room), \(when) yourself.", code: "slot_yours")
        case .alreadyWaiting(let room, let when):
            .conflict("You are already in line for \(room), \(when).", code: "already_waiting")
        case .tooMany(let max):
            .conflict("You can wait for at most \(max) slots at once; leave a line to join another.", code: "waitlist_limit")
        case .unknownRoom(let id):
            .invalid("room_id", "there is no room \(id) in the catalogue")
        }
    }
}
