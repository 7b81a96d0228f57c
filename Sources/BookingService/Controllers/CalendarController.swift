import CampusKit
import Foundation
import Hummingbird
import NIOCore

/// `GET /bookings/calendar.ics`: the caller's confirmed bookings for any calendar app.
struct CalendarController: Sendable {
    let bookings: any BookingRepository
    let now: @Sendable () -> Date

    func addRoutes(to group: RouterGroup<AuthenticatedContext>) {
        group.get("calendar.ics", use: calendar)
    }

    @Sendable func calendar(_ request: Request, context: AuthenticatedContext) async throws -> Response {
        try BookingPolicy.table.require(.bookRooms, for: context.identity)
        let events = try await bookings.confirmed(userID: context.identity.userID).map { booking, room in
            let roomName = BookingNotices.roomName(room, id: booking.roomID)
            return ICalendar.Event(
                uid: "booking-\(booking.id)@campus-services-hub", startsAt: booking.startsAt, endsAt: booking.endsAt,
                summary: "\(roomName): \(booking.purpose)",
                location: room.map { "\($0.name), \($0.building)" } ?? roomName,
                description: "\(booking.purpose)\nBooked through Campus Services Hub (booking \(booking.id)).",
                created: booking.createdAt
            )
        }
        let body = ICalendar(name: "Room bookings of \(context.identity.name)", events: events, stamp: now().wholeSeconds).render()
        return Response(
            status: .ok,
            headers: [.contentType: ICalendar.mediaType, .contentDisposition: "inline; filename=\"bookings.ics\"", .cacheControl: "no-store"],
            body: .init(byteBuffer: ByteBuffer(string: body))
        )
    }
}
