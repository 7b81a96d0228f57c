import CampusKit
import Foundation
import Hummingbird

/// `/bookings` of docs/contract.md §6 for the people who book: their list, one booking, cancelling.
/// Another user's booking answers 404, as if it did not exist.
struct BookingsController: Sendable {
    let bookings: any BookingRepository
    let rooms: any RoomRepository
    let planner: BookingPlanner
    let checkIns: any BookingCheckIns
    let now: @Sendable () -> Date

    func addRoutes(to group: RouterGroup<AuthenticatedContext>) {
        group.get(use: list)
        group.post(use: create)
        group.get("limits", use: limits)
        group.get("{id}", use: show)
        group.patch("{id}", use: change)
        group.post("{id}/check-in", use: checkIn)
        group.delete("{id}", use: cancel)
        group.delete("series/{series_id}", use: cancelSeries)
    }

    @Sendable func list(_ request: Request, context: AuthenticatedContext) async throws -> Page<BookingResponse> {
        try BookingPolicy.table.require(.bookRooms, for: context.identity)
        let query = request.uri.queryParameters
        let page = try Pagination(query: query)
        var filter = BookingFilter()
        if let text = query["from"].map(String.init) { filter.from = try BookingPlanner.date(text, field: "from") }
        if let text = query["to"].map(String.init) { filter.to = try BookingPlanner.date(text, field: "to") }
        if let from = filter.from, let to = filter.to, to < from {
            throw APIError.invalid("to", "\(to) is before from \(from)")
        }
        if let text = query["status"].map(String.init) {
            guard let status = BookingStatus(rawValue: text) else {
                throw APIError.invalid("status", "\"\(text)\" is not one of \(BookingStatus.spokenValues)")
            }
            filter.status = status
        }
        let result = try await bookings.list(userID: context.identity.userID, filter: filter, page: page)
        return Page(items: result.bookings.map(BookingResponse.init), total: result.total)
    }

    /// The caller's limits and how much of them is in use, so the page can show them before a refusal.
    @Sendable func limits(_ request: Request, context: AuthenticatedContext) async throws -> LimitsResponse {
        try BookingPolicy.table.require(.bookRooms, for: context.identity)
        let limits = try BookingLimits.of(context.role)
        let upcoming = try await bookings.upcomingCount(userID: context.identity.userID, now: now())
        return LimitsResponse(limits, upcoming: upcoming)
    }

    @Sendable func show(_ request: Request, context: AuthenticatedContext) async throws -> BookingResponse {
        try BookingPolicy.table.require(.bookRooms, for: context.identity)
        return BookingResponse(try await ownBooking(context))
    }

    @Sendable func cancel(_ request: Request, context: AuthenticatedContext) async throws -> Response {
        try BookingPolicy.table.require(.bookRooms, for: context.identity)
        let booking = try await ownBooking(context)
        do {
            _ = try await bookings.cancel(id: booking.id, userID: context.identity.userID, now: now())
        } catch BookingStoreError.notFound {
            throw Self.noBooking(String(booking.id))
        } catch BookingStoreError.alreadyStarted(let started) {
            let roomName = BookingNotices.roomName(try await rooms.find(id: started.roomID), id: started.roomID)
            throw APIError.conflict(
                "Your booking of \(roomName), \(started.spokenWhen) has already begun and can no longer be cancelled.", code: "booking_started")
        }
        return Response(status: .noContent)
    }

    /// The owner is there: from the window's opening until it closes; again is no change.
    @Sendable func checkIn(_ request: Request, context: AuthenticatedContext) async throws -> BookingResponse {
        try BookingPolicy.table.require(.bookRooms, for: context.identity)
        let booking = try await ownBooking(context)
        let now = now()
        if try booking.checkInAllowed(now: now) { return BookingResponse(booking) }
        guard let checkedIn = try await checkIns.markCheckedIn(booking, now: now) else {
            throw BookingChangeRefusal.changedMeanwhile(booking)
        }
        return BookingResponse(checkedIn)
    }

    @Sendable func cancelSeries(_ request: Request, context: AuthenticatedContext) async throws -> Response {
        try BookingPolicy.table.require(.bookRooms, for: context.identity)
        let seriesID = context.parameters.get("series_id") ?? ""
        do {
            _ = try await bookings.cancelSeries(seriesID, userID: context.identity.userID, now: now())
        } catch BookingStoreError.notFound {
            throw APIError.notFound("You have no booking series \(seriesID).")
        }
        return Response(status: .noContent)
    }

    /// The caller's booking named in the path; anyone else's is "not found".
    func ownBooking(_ context: AuthenticatedContext) async throws -> Booking {
        let raw = context.parameters.get("id") ?? ""
        guard let id = Int(raw), let booking = try await bookings.find(id: id), booking.userID == context.identity.userID else {
            throw Self.noBooking(raw)
        }
        return booking
    }

    static func noBooking(_ id: String) -> APIError { APIError.notFound("You have no booking \(id).") }
}
