import CampusKit
import Foundation
import HTTPTypes
import Hummingbird
import NIOCore

/// Calendars: `GET /bookings/calendar.ics` (the caller's confirmed bookings, with a token), and
/// the secret subscription address calendar apps fetch without one: `GET /bookings/feed` shows it
/// (made on first use), `POST /bookings/feed/reset` replaces it, and `GET /calendar/<secret>.ics`
/// and (faculty, admins) `GET /calendar/<secret>/rooms/<id>.ics` serve it.
struct CalendarController: Sendable {
    let bookings: any BookingRepository
    let rooms: any RoomRepository
    let feeds: any CalendarFeedRepository
    /// Whether a feed's owner still stands: an address ends with the account's tokens.
    let accounts: any AccountDirectory
    let now: @Sendable () -> Date

    func addRoutes(to group: RouterGroup<AuthenticatedContext>) {
        group.get("calendar.ics", use: calendar)
        group.get("feed", use: feed)
        group.post("feed/reset", use: resetFeed)
    }

    /// The subscription routes: no token, the secret in the path is the key.
    func addFeedRoutes(to router: Router<CampusRequestContext>) {
        // One parameter name at one depth (Hummingbird's router requires it): `{feed}` is
        // `<secret>.ics` in the first route and `<secret>` in the second.
        for method in [HTTPRequest.Method.get, .head] {
            router.on("/calendar/{feed}", method: method, use: subscribedCalendar)
            router.on("/calendar/{feed}/rooms/{room}", method: method, use: subscribedRoomCalendar)
        }
    }

    @Sendable func calendar(_ request: Request, context: AuthenticatedContext) async throws -> Response {
        try BookingPolicy.table.require(.bookRooms, for: context.identity)
        let events = try await bookings.held(userID: context.identity.userID).map(BookingCalendar.event)
        return Self.calendarResponse(
            ICalendar(name: "Room bookings of \(context.identity.name)", events: events, stamp: now().wholeSeconds), fileName: "bookings.ics")
    }

    // MARK: The subscription address

    /// `{"path","room_path_template","refresh_minutes","created_at"}`; the template is `null` for students.
    struct FeedAddress: Encodable, ResponseEncodable {
        let path: String
        let roomPathTemplate: String?
        let refreshMinutes: Int
        let createdAt: Date

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(path, forKey: .path)
            try container.encode(roomPathTemplate, forKey: .roomPathTemplate)
            try container.encode(refreshMinutes, forKey: .refreshMinutes)
            try container.encode(createdAt, forKey: .createdAt)
        }

        enum CodingKeys: String, CodingKey {
            case path, roomPathTemplate, refreshMinutes, createdAt
        }
    }

    static func address(_ feed: CalendarFeed) -> FeedAddress {
        FeedAddress(path: feed.path, roomPathTemplate: feed.roomPathTemplate, refreshMinutes: CalendarFeed.refreshMinutes, createdAt: feed.createdAt)
    }

    @Sendable func feed(_ request: Request, context: AuthenticatedContext) async throws -> FeedAddress {
        try Self.requireFeedOwner(context.identity)
        if let existing = try await feeds.feed(userID: context.identity.userID) {
            // An address from before the account's role or password changed no longer works: give a new one.
            if existing.role == context.identity.role, try await accounts.standing(of: existing.userID).allows(issuedAt: existing.createdAt) {
                return Self.address(existing)
            }
            let renewed = CalendarFeed.new(for: context.identity, now: now().wholeSeconds)
            try await feeds.replace(with: renewed)
            return Self.address(renewed)
        }
        return Self.address(try await feeds.create(.new(for: context.identity, now: now().wholeSeconds)))
    }

    @Sendable func resetFeed(_ request: Request, context: AuthenticatedContext) async throws -> FeedAddress {
        try Self.requireFeedOwner(context.identity)
        let feed = CalendarFeed.new(for: context.identity, now: now().wholeSeconds)
        try await feeds.replace(with: feed)
        return Self.address(feed)
    }

    /// Whoever books, or may follow rooms, has an address.
    static func requireFeedOwner(_ identity: Identity) throws {
        if BookingPolicy.table.allows(identity.role, .followRoomCalendars) { return }
        try BookingPolicy.table.require(.bookRooms, for: identity)
    }

    @Sendable func subscribedCalendar(_ request: Request, context: CampusRequestContext) async throws -> Response {
        let feed = try await currentFeed(context.parameters.get("feed").flatMap(CalendarFeed.stem))
        let since = now().addingTimeInterval(-CalendarFeed.history)
        let events = try await bookings.calendar(userID: feed.userID, since: since).map(BookingCalendar.event)
        let calendar = ICalendar(
            name: "Room bookings of \(feed.ownerName)", events: events, stamp: now().wholeSeconds, refreshMinutes: CalendarFeed.refreshMinutes)
        return Self.calendarResponse(calendar, fileName: "bookings.ics")
    }

    @Sendable func subscribedRoomCalendar(_ request: Request, context: CampusRequestContext) async throws -> Response {
        let feed = try await currentFeed(context.parameters.get("feed")?[...])
        guard feed.mayFollowRooms else {
            throw APIError.forbidden("Room calendars are for faculty and admins; this address follows its owner's own bookings.")
        }
        guard let stem = context.parameters.get("room").flatMap(CalendarFeed.stem), let roomID = Int(stem), roomID > 0,
            let room = try await rooms.find(id: roomID)
        else {
            throw APIError.notFound("No such room: room calendars are /calendar/<secret>/rooms/<room id>.ics.", code: "room_not_found")
        }
        let since = now().addingTimeInterval(-CalendarFeed.history)
        // Who booked and why stay private: a room's calendar says only when it is taken.
        let events = try await bookings.calendar(roomID: roomID, since: since).map { booking in
            BookingCalendar.event(booking, room: room, summary: "\(room.name): booked", description: "Booked through Campus Services Hub.")
        }
        let calendar = ICalendar(
            name: "\(room.name), \(room.building)", events: events, stamp: now().wholeSeconds, refreshMinutes: CalendarFeed.refreshMinutes)
        return Self.calendarResponse(calendar, fileName: "room-\(roomID).ics")
    }

    /// The feed a path's secret names. A malformed, reset or unknown secret is one 404: which of them is not said.
    func currentFeed(_ segment: Substring?) async throws -> CalendarFeed {
        guard let secret = segment.flatMap(CalendarFeed.secret(in:)), let feed = try await feeds.feed(secret: secret),
            try await accounts.standing(of: feed.userID).allows(issuedAt: feed.createdAt)
        else {
            // Unknown, reset, or its account deleted or changed since (like a token): one answer for all.
            throw APIError.notFound(
                "No calendar at this address. It may have been reset: copy the current address from your bookings page.",
                code: "calendar_not_found")
        }
        return feed
    }

    // MARK: Rendering

    static func calendarResponse(_ calendar: ICalendar, fileName: String) -> Response {
        Response(
            status: .ok,
            headers: [.contentType: ICalendar.mediaType, .contentDisposition: "inline; filename=\"\(fileName)\"", .cacheControl: "no-store"],
            body: .init(byteBuffer: ByteBuffer(string: calendar.render()))
        )
    }
}
