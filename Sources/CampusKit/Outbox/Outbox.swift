import FluentKit
import Foundation

/// A message for another service: POSTed to `path` of `destination` with the payload's JSON
/// object plus `event_id`, which the receiver uses to drop duplicates.
public struct OutboxMessage: Sendable {
    public let eventID: String
    public let destination: ServiceName
    public let path: String
    public let body: String

    public init(destination: ServiceName, path: String, payload: some Encodable, eventID: String = UUID().uuidString.lowercased()) throws {
        guard var object = try JSONSerialization.jsonObject(with: CampusJSON.encoder.encode(payload)) as? [String: Any] else {
            throw APIError.invalid("payload", "an outbox payload must be a JSON object")
        }
        object["event_id"] = eventID
        self.eventID = eventID
        self.destination = destination
        self.path = path
        self.body = String(decoding: try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]), as: UTF8.self)
    }
}

/// The kinds of notice that may also go out by e-mail; each is one choice in a person's e-mail
/// preferences, and its raw value is that choice's key (docs/contract.md §8).
public enum NoticeKind: String, Codable, Sendable, CaseIterable {
    /// A booking of mine confirmed or cancelled (with a calendar invitation).
    case bookingUpdates = "booking_updates"
    /// A status change or a comment on a ticket I reported.
    case ticketUpdates = "ticket_updates"
    /// A ticket assigned to me.
    case assignments
    /// A ticket past its deadline.
    case slaBreaches = "sla_breaches"
    /// A notice an admin wrote by hand.
    case broadcasts
}

/// The calendar entries a booking notice carries, so its e-mail can hold an invitation (RFC 5546):
/// `request` when booked, `cancel` when cancelled; the events' UIDs are those of the subscribed feed.
public struct CalendarInvitation: Codable, Sendable, Equatable {
    public var method: ICalendar.Method
    public var events: [ICalendar.Event]
    public init(method: ICalendar.Method, events: [ICalendar.Event]) {
        self.method = method
        self.events = events
    }
}

/// A system notice for the notification service (docs/contract.md §8), carried by the outbox.
public struct SystemNotice: Codable, Sendable, Equatable {
    public enum Level: String, Codable, Sendable, CaseIterable { case info, success, warning, critical }
    public var title: String
    public var message: String
    public var level: Level
    public var audience: Audience
    /// The booking or ticket it is about, if any.
    public var link: NoticeLink?
    /// What it is about, for e-mail; nil for notices that stay in the bell.
    public var kind: NoticeKind?
    public var invitation: CalendarInvitation?

    public init(
        title: String, message: String, level: Level, audience: Audience, link: NoticeLink? = nil, kind: NoticeKind? = nil,
        invitation: CalendarInvitation? = nil
    ) {
        self.title = title
        self.message = message
        self.level = level
        self.audience = audience
        self.link = link
        self.kind = kind
        self.invitation = invitation
    }

    /// The message that delivers this notice to the notification service.
    public func outboxMessage() throws -> OutboxMessage {
        try OutboxMessage(destination: .notification, path: "/notifications", payload: self)
    }
}

extension Database {
    /// Stores messages in this database, normally inside the transaction of the change that caused them.
    public func enqueue(_ messages: [OutboxMessage], now: Date = Date()) async throws {
        let traceParent = CampusTracing.currentTraceParent()
        for message in messages {
            try await OutboxEvent(
                id: message.eventID, destination: message.destination, path: message.path, payload: message.body, now: now, traceParent: traceParent
            ).create(on: self)
        }
    }
}
