import CampusKit
import Foundation
import Hummingbird

/// What an admin needs to take a room out of use: its bookings (anyone's), its closures, and
/// cancelling a booking with a reason its owner is told. `/rooms/{id}/bookings`,
/// `/rooms/{id}/closures[/{closure_id}]`, `POST /bookings/{id}/cancel`.
struct RoomAdminController: Sendable {
    let bookings: any BookingRepository
    let closures: any RoomClosureRepository
    let rooms: any RoomRepository
    let planner: BookingPlanner
    let now: @Sendable () -> Date

    func addRoutes(rooms group: RouterGroup<AuthenticatedContext>, bookings bookingGroup: RouterGroup<AuthenticatedContext>) {
        group.get("{id}/bookings", use: roomBookings)
        group.get("{id}/closures", use: listClosures)
        group.post("{id}/closures", use: close)
        group.delete("{id}/closures/{closure_id}", use: reopen)
        bookingGroup.post("{id}/cancel", use: cancel)
    }

    struct CloseRequest: Decodable {
        let fromDate: String
        let toDate: String
        let reason: String

        enum CodingKeys: String, CodingKey, CaseIterable { case fromDate, toDate, reason }

        init(from decoder: any Decoder) throws {
            try decoder.refuseUnknownKeys(besides: CodingKeys.self)
            let container = try decoder.container(keyedBy: CodingKeys.self)
            fromDate = try container.decode(String.self, forKey: .fromDate)
            toDate = try container.decode(String.self, forKey: .toDate)
            reason = try container.decode(String.self, forKey: .reason)
        }
    }

    struct CancelRequest: Decodable {
        let reason: String

        enum CodingKeys: String, CodingKey, CaseIterable { case reason }

        init(from decoder: any Decoder) throws {
            try decoder.refuseUnknownKeys(besides: CodingKeys.self)
            reason = try decoder.container(keyedBy: CodingKeys.self).decode(String.self, forKey: .reason)
        }
    }

    /// A closure and the confirmed bookings still inside it.
    struct ClosureResponse: Encodable, Sendable, ResponseEncodable {
        let id: Int
        let roomId: Int
        let fromDate: String
        let toDate: String
        let reason: String
        let createdBy: WireID
        let createdAt: Date
        let bookings: [BookingResponse]

        init(_ item: ClosureWithBookings) throws {
            let closure = item.closure
            id = closure.id
            roomId = closure.roomID
            fromDate = closure.fromDate.description
            toDate = closure.toDate.description
            reason = closure.reason
            createdBy = try WireID(stored: closure.createdBy)
            createdAt = closure.createdAt
            bookings = item.bookings.map(BookingResponse.init)
        }
    }

    /// The room's bookings, everyone's: by default those that have not ended (today on) and hold the room (pending or confirmed).
    @Sendable func roomBookings(_ request: Request, context: AuthenticatedContext) async throws -> Page<BookingResponse> {
        try BookingPolicy.table.require(.manageBookings, for: context.identity)
        let roomID = try await existingRoom(context)
        let query = request.uri.queryParameters
        let page = try Pagination(query: query)
        var filter = BookingFilter(roomID: roomID)
        filter.from = try query["from"].map { try BookingPlanner.date(String($0), field: "from") } ?? planner.grid.calendar.date(at: now())
        if let text = query["to"].map(String.init) { filter.to = try BookingPlanner.date(text, field: "to") }
        if let from = filter.from, let to = filter.to, to < from { throw APIError.invalid("to", "\(to) is before from \(from)") }
        if let status = query["status"].map(String.init) {
            guard let state = BookingStatus(rawValue: status) else {
                throw APIError.invalid("status", "\"\(status)\" is not one of \(BookingStatus.spokenValues)")
            }
            filter.status = state
        } else {
            // Those holding the room: confirmed bookings and requests waiting for approval.
            filter.statuses = BookingStatus.holding
        }
        let result = try await bookings.list(userID: nil, filter: filter, page: page)
        return Page(items: result.bookings.map(BookingResponse.init), total: result.total)
    }

    @Sendable func listClosures(_ request: Request, context: AuthenticatedContext) async throws -> Page<ClosureResponse> {
        try BookingPolicy.table.require(.manageRooms, for: context.identity)
        let roomID = try RoomsController.roomID(context)
        let page = try Pagination(query: request.uri.queryParameters)
        do {
            let result = try await closures.list(roomID: roomID, now: now(), page: page)
            return Page(items: try result.closures.map(ClosureResponse.init), total: result.total)
        } catch ClosureStoreError.notFound {
            throw RoomsController.noRoom(roomID)
        }
    }

    /// 201 with the closure and the bookings inside it, for the admin to cancel with a reason.
    @Sendable func close(_ request: Request, context: AuthenticatedContext) async throws -> Response {
        try BookingPolicy.table.require(.manageRooms, for: context.identity)
        let roomID = try RoomsController.roomID(context)
        let body = try await request.decode(as: CloseRequest.self, context: context)
        let closure = try planner.closure(
            roomID: roomID, from: body.fromDate, to: body.toDate, reason: body.reason, by: context.identity.userID, now: now())
        do {
            let made = try await closures.create(closure)
            return try Response.json(
                try ClosureResponse(made), status: .created, headers: [.location: "/rooms/\(roomID)/closures/\(made.closure.id)"])
        } catch ClosureStoreError.notFound {
            throw RoomsController.noRoom(roomID)
        }
    }

    @Sendable func reopen(_ request: Request, context: AuthenticatedContext) async throws -> Response {
        try BookingPolicy.table.require(.manageRooms, for: context.identity)
        let roomID = try RoomsController.roomID(context)
        let raw = context.parameters.get("closure_id") ?? ""
        guard let id = Int(raw) else { throw Self.noClosure(raw, roomID) }
        do {
            try await closures.delete(id: id, roomID: roomID)
        } catch ClosureStoreError.notFound {
            throw Self.noClosure(raw, roomID)
        }
        return Response(status: .noContent)
    }

    /// An admin cancels anyone's booking that has not begun; its owner is told why. 200 with the booking.
    @Sendable func cancel(_ request: Request, context: AuthenticatedContext) async throws -> BookingResponse {
        try BookingPolicy.table.require(.manageBookings, for: context.identity)
        let body = try await request.decode(as: CancelRequest.self, context: context)
        let reason = try BookingPlanner.reason(body.reason)
        let raw = context.parameters.get("id") ?? ""
        guard let id = Int(raw) else { throw APIError.notFound("There is no booking \(raw).") }
        do {
            return BookingResponse(try await bookings.cancel(id: id, reason: reason, by: context.identity.userID, now: now()))
        } catch BookingStoreError.notFound {
            throw APIError.notFound("There is no booking \(raw).")
        } catch BookingStoreError.alreadyStarted(let started) {
            let roomName = BookingNotices.roomName(try await rooms.find(id: started.roomID), id: started.roomID)
            throw APIError.conflict(
                "The booking of \(roomName), \(started.spokenWhen) has already begun and can no longer be cancelled.", code: "booking_started")
        }
    }

    private func existingRoom(_ context: AuthenticatedContext) async throws -> Int {
        let id = try RoomsController.roomID(context)
        guard try await rooms.find(id: id) != nil else { throw RoomsController.noRoom(id) }
        return id
    }

    static func noClosure(_ id: String, _ roomID: Int) -> APIError { APIError.notFound("Room \(roomID) has no closure \(id).") }
}
