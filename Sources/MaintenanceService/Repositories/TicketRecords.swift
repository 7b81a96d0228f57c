import CampusKit
import FluentKit
import Foundation

final class TicketRecord: Model, @unchecked Sendable {
    static let schema = "tickets"
    @ID(custom: "id", generatedBy: .database) var id: Int?
    @Field(key: "title") var title: String
    @Field(key: "description") var description: String
    @Field(key: "location") var location: String
    @OptionalField(key: "room_id") var roomID: String?
    @Field(key: "category") var category: String
    @Field(key: "priority") var priority: String
    @Field(key: "status") var status: String
    @Field(key: "sla_due_at") var slaDueAt: Date
    @Field(key: "sla_breached") var slaBreached: Bool
    @Field(key: "triage") var triage: String
    @Field(key: "created_by") var createdBy: String
    @OptionalField(key: "assignee_id") var assigneeID: String?
    @Field(key: "created_at") var createdAt: Date
    @Field(key: "updated_at") var updatedAt: Date
    @OptionalField(key: "created_by_name") var createdByName: String?
    @OptionalField(key: "assignee_name") var assigneeName: String?
    @OptionalField(key: "resolution") var resolution: String?
    @OptionalField(key: "resolved_at") var resolvedAt: Date?
    @OptionalField(key: "sla_started_at") var slaStartedAt: Date?
    @OptionalField(key: "sla_paused_at") var slaPausedAt: Date?
    @OptionalField(key: "sla_paused_seconds") var slaPausedSeconds: Int?
    @OptionalField(key: "room_bookings") var roomBookings: String?
    @OptionalField(key: "room_out_of_order") var roomOutOfOrder: Bool?
    /// Read, never written from a ticket: only the photo writes change it, in SQL, so an edit of a
    /// ticket read before an upload cannot undo its count (``FluentTicketPhotoRepository``).
    @OptionalField(key: "photo_count") var photoCount: Int?

    init() {}

    func apply(_ ticket: Ticket) throws {
        title = ticket.title
        description = ticket.description
        location = ticket.location
        roomID = ticket.roomID
        category = ticket.category
        priority = ticket.priority.rawValue
        status = ticket.status.rawValue
        slaDueAt = ticket.slaDueAt
        slaBreached = ticket.slaBreached
        triage = String(decoding: try CampusJSON.encoder.encode(ticket.triage), as: UTF8.self)
        createdBy = ticket.createdBy
        assigneeID = ticket.assigneeID
        createdAt = ticket.createdAt
        updatedAt = ticket.updatedAt
        createdByName = ticket.createdByName
        assigneeName = ticket.assigneeName
        resolution = ticket.resolution
        resolvedAt = ticket.resolvedAt
        slaStartedAt = ticket.slaStartedAt
        slaPausedAt = ticket.slaPausedAt
        slaPausedSeconds = ticket.slaPausedSeconds
        roomBookings = try ticket.roomBookings.map { String(decoding: try CampusJSON.encoder.encode($0), as: UTF8.self) }
        roomOutOfOrder = ticket.roomOutOfOrder
    }

    func domain() throws -> Ticket {
        guard let id, let priority = Priority(rawValue: priority), let status = TicketStatus(rawValue: status) else {
            throw CorruptRecord(table: Self.schema, id: id.map(String.init), "priority or status cannot be read")
        }
        return Ticket(
            id: id, title: title, description: description, location: location, roomID: roomID, category: category,
            priority: priority, status: status, slaDueAt: slaDueAt, slaBreached: slaBreached,
            triage: try CampusJSON.decoder.decode(TriageResult.self, from: Data(triage.utf8)),
            createdBy: createdBy, assigneeID: assigneeID, createdAt: createdAt, updatedAt: updatedAt,
            createdByName: createdByName, assigneeName: assigneeName, resolution: resolution, resolvedAt: resolvedAt,
            slaStartedAt: slaStartedAt, slaPausedAt: slaPausedAt, slaPausedSeconds: slaPausedSeconds ?? 0,
            roomBookings: try roomBookings.map { try CampusJSON.decoder.decode([BookedUse].self, from: Data($0.utf8)) },
            roomOutOfOrder: roomOutOfOrder ?? false, photoCount: photoCount ?? 0
        )
    }
}

final class TicketChangeRecord: Model, @unchecked Sendable {
    static let schema = "ticket_changes"
    @ID(custom: "id", generatedBy: .database) var id: Int?
    @Field(key: "ticket_id") var ticketID: Int
    @Field(key: "actor_id") var actorID: String
    @OptionalField(key: "actor_name") var actorName: String?
    @Field(key: "change") var change: String
    @Field(key: "created_at") var createdAt: Date
    init() {}
    init(ticketID: Int, actor: TicketActor, change: String, at: Date) {
        self.ticketID = ticketID
        self.actorID = actor.id
        self.actorName = actor.name
        self.change = change
        self.createdAt = at
    }

    func entry() -> TicketHistoryEntry {
        TicketHistoryEntry(at: createdAt, by: actorID, byName: actorName, change: change)
    }
}

final class TicketCommentRecord: Model, @unchecked Sendable {
    static let schema = "ticket_comments"
    @ID(custom: "id", generatedBy: .database) var id: Int?
    @Field(key: "ticket_id") var ticketID: Int
    @Field(key: "author_id") var authorID: String
    @OptionalField(key: "author_name") var authorName: String?
    @Field(key: "body") var body: String
    @Field(key: "created_at") var createdAt: Date
    init() {}

    func view() throws -> TicketComment {
        guard let id else { throw CorruptRecord(table: Self.schema, id: nil, "no id") }
        return TicketComment(id: id, ticketId: ticketID, authorId: authorID, authorName: authorName, body: body, createdAt: createdAt)
    }
}
