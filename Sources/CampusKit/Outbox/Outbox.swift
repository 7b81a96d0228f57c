import FluentKit
import Foundation
import SQLKit

/// A message for another service: POSTed to `path` of `destination` with the payload's JSON
/// object plus `event_id`, which the receiver uses to drop duplicates.
public struct OutboxMessage: Sendable {
    public let eventID: String
    public let destination: ServiceName
    public let path: String
    public let body: String

    /// `payload` must encode as a JSON object (a struct or a class with keyed fields).
    public init(destination: ServiceName, path: String, payload: some Encodable, eventID: String = UUID().uuidString.lowercased()) throws {
        self.eventID = eventID
        self.destination = destination
        self.path = path
        // Encoded once, `event_id` beside the payload's own keys (no decode and re-encode: this
        // runs inside the transaction of the change, which a group commit shares with others).
        self.body = String(decoding: try CampusJSON.encoder.encode(WithEventID(payload: payload, eventID: eventID)), as: UTF8.self)
    }

    private struct WithEventID<Payload: Encodable>: Encodable {
        let payload: Payload
        let eventID: String
        enum Key: String, CodingKey { case eventID = "event_id" }

        func encode(to encoder: any Encoder) throws {
            try payload.encode(to: encoder)
            var container = encoder.container(keyedBy: Key.self)
            try container.encode(eventID, forKey: .eventID)
        }
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

/// One message for ``Database/enqueue(_:)``, with the moment and the trace of the request that
/// caused it (a group commit stores the messages of many requests in one statement).
public struct OutboxEntry: Sendable {
    public let message: OutboxMessage
    public let now: Date
    public let traceParent: String?

    public init(_ message: OutboxMessage, now: Date, traceParent: String? = CampusTracing.currentTraceParent()) {
        self.message = message
        self.now = now
        self.traceParent = traceParent
    }
}

extension Database {
    /// Stores messages in this database, normally inside the transaction of the change that caused them.
    public func enqueue(_ messages: [OutboxMessage], now: Date = Date()) async throws {
        let traceParent = CampusTracing.currentTraceParent()
        try await enqueue(messages.map { OutboxEntry($0, now: now, traceParent: traceParent) })
    }

    /// Stores the entries in one statement (SQLKit: Fluent's batch create reflects on every model).
    public func enqueue(_ entries: [OutboxEntry]) async throws {
        guard !entries.isEmpty else { return }
        try await sql.insert(into: OutboxEvent.schema)
            .columns("id", "destination", "path", "payload", "state", "attempts", "created_at", "next_attempt_at", "trace_parent")
            .rows(
                entries.map { entry in
                    let values: [any Encodable & Sendable] = [
                        entry.message.eventID, entry.message.destination.rawValue, entry.message.path, entry.message.body,
                        OutboxEvent.State.pending.rawValue, 0, entry.now, entry.now, entry.traceParent,
                    ]
                    return values.map { SQLBind($0) as any SQLExpression }
                }
            )
            .run()
    }
}
