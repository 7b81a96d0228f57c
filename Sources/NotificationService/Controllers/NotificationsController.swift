import CampusKit
import Foundation
import Hummingbird

/// `/notifications` of docs/contract.md §8.
struct NotificationsController: Sendable {
    let repository: any NotificationRepository
    let users: ServiceClient
    /// Tells open pages of a new notification (the live bell).
    let events: any LiveEventBus

    func addRoutes(to group: RouterGroup<AuthenticatedContext>) {
        group.get(use: list)
        group.post(use: send)
        group.get("unread-count", use: unreadCount)
        group.put("read-all", use: markAllRead)
        group.get("{id}", use: show)
        group.put("{id}", use: markRead)
    }

    struct SendRequest: Decodable {
        let title: String
        let message: String
        let level: String?
        let audience: Audience
        let eventId: String?
        let link: NoticeLink?
        /// Services only: what the notice is about (for e-mail) and a booking's calendar entries.
        let kind: NoticeKind?
        let invitation: CalendarInvitation?
    }

    struct ReadRequest: Decodable {
        let read: Bool
    }

    struct Count: ResponseEncodable {
        let count: Int
    }

    struct Updated: ResponseEncodable {
        let updated: Int
    }

    @Sendable func list(_ request: Request, context: AuthenticatedContext) async throws -> Page<NotificationView> {
        let reader = try reader(context)
        let page = try Pagination(query: request.uri.queryParameters)
        let unreadOnly =
            try request.uri.queryParameters["unread"].map { raw -> Bool in
                switch raw.lowercased() {
                case "true", "1": return true
                case "false", "0": return false
                default: throw APIError.invalid("unread", "\"\(raw)\" is not true or false")
                }
            } ?? false
        let result = try await repository.list(for: reader, unreadOnly: unreadOnly, page: page)
        return Page(items: result.items, total: result.total)
    }

    @Sendable func unreadCount(_ request: Request, context: AuthenticatedContext) async throws -> Count {
        Count(count: try await repository.unreadCount(for: try reader(context)))
    }

    @Sendable func show(_ request: Request, context: AuthenticatedContext) async throws -> NotificationView {
        let id = try notificationID(context)
        guard let view = try await repository.find(id: id, for: try reader(context)) else { throw notFound(id) }
        return view
    }

    @Sendable func markRead(_ request: Request, context: AuthenticatedContext) async throws -> NotificationView {
        let reader = try reader(context)
        let id = try notificationID(context)
        let body = try await request.decode(as: ReadRequest.self, context: context)
        guard let view = try await repository.setRead(id: id, read: body.read, for: reader) else { throw notFound(id) }
        return view
    }

    @Sendable func markAllRead(_ request: Request, context: AuthenticatedContext) async throws -> Updated {
        Updated(updated: try await repository.markAllRead(for: try reader(context)))
    }

    /// Admins send by hand; services send system notices through their outbox with an `event_id`.
    @Sendable func send(_ request: Request, context: AuthenticatedContext) async throws -> Response {
        try NotificationPolicy.table.require(.send, for: context.identity)
        let body = try await request.decode(as: SendRequest.self, context: context)
        let title = try NotificationRules.text(body.title, field: "title", maximum: NotificationRules.maximumTitleLength)
        let message = try NotificationRules.text(body.message, field: "message", maximum: NotificationRules.maximumMessageLength)
        let level = try NotificationRules.level(body.level)
        if let eventID = body.eventId, eventID.isEmpty || eventID.count > 100 {
            throw APIError.invalid("event_id", "must be 1 to 100 characters")
        }
        if case .user(let userID) = body.audience, context.role != .service {
            try await requireUserExists(userID, context: context)
        }
        let sender = context.identity.serviceName?.rawValue ?? "user:\(context.identity.userID)"
        let kind = try Self.kind(of: body, sentBy: context.role)
        let result = try await repository.create(
            NewNotification(
                title: title, message: message, level: level, audience: body.audience, eventID: body.eventId, createdBy: sender,
                link: body.link, kind: kind, invitation: body.invitation
            ))
        if result.created { await events.publish(wire: NoticeHub.created(result.view.id)) }
        return try Response.json(result.view, status: result.created ? .created : .ok)
    }

    /// A service says what its notice is about; what an admin writes by hand is a broadcast.
    private static func kind(of body: SendRequest, sentBy role: Role) throws -> NoticeKind? {
        if role == .service {
            if let invitation = body.invitation, invitation.events.isEmpty || invitation.events.count > 200 {
                throw APIError.invalid("invitation.events", "must hold 1 to 200 events")
            }
            return body.kind
        }
        if body.invitation != nil { throw APIError.invalid("invitation", "is set by the booking service only") }
        if let kind = body.kind, kind != .broadcasts { throw APIError.invalid("kind", "a notice written by hand is \"broadcasts\"") }
        return .broadcasts
    }

    /// An admin's notice to a user who does not exist is a 422, not a message into the void.
    private func requireUserExists(_ userID: String, context: AuthenticatedContext) async throws {
        let escaped = userID.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? ""
        let reply = try await users.send(
            .users, method: .GET, path: "/users/\(escaped)", requestID: context.requestID,
            credentials: .bearer(context.bearerToken), logger: context.logger
        )
        switch reply.status.code {
        case 200: return
        case 404: throw APIError.invalid("audience.user_id", "there is no user \(userID)")
        default: throw APIError(downstream: reply, service: .users)
        }
    }

    private func reader(_ context: AuthenticatedContext) throws -> Reader {
        try NotificationPolicy.table.require(.readOwn, for: context.identity)
        return Reader(userID: context.identity.userID, role: context.role)
    }

    private func notificationID(_ context: AuthenticatedContext) throws -> Int {
        let raw = context.parameters.get("id") ?? ""
        guard let id = Int(raw) else { throw notFound(raw) }
        return id
    }

    private func notFound(_ id: CustomStringConvertible) -> APIError {
        APIError.notFound("There is no notification \(id) for you.")
    }
}

/// A notification is answered as its reader sees it.
extension NotificationView: ResponseEncodable {}

extension NotificationStoreError: ProblemConvertible {
    public var problem: APIError {
        switch self {
        case .eventAlreadyDelivered(let eventID): .conflict("Event \(eventID) was already delivered.", code: "duplicate_event")
        }
    }
}
