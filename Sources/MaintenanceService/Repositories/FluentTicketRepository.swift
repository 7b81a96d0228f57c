import CampusKit
import FluentKit
import Foundation
import Logging
import SQLKit

/// ``TicketRepository`` on FluentKit, for SQLite and PostgreSQL alike.
public struct FluentTicketRepository: TicketRepository, DatabaseBacked {
    public let provider: DatabaseProvider
    public let logger: Logger
    let now: @Sendable () -> Date

    public init(provider: DatabaseProvider, logger: Logger, now: @escaping @Sendable () -> Date = Date.init) {
        self.provider = provider
        self.logger = logger
        self.now = now
    }

    public func create(_ ticket: Ticket) async throws -> Ticket {
        try await db.transaction { tx in
            let record = TicketRecord()
            try record.apply(ticket)
            record.photoCount = 0  // Fluent writes every field of a new row; photo writes count from here
            try await record.create(on: tx)
            let created = try record.domain()
            try await TicketChangeRecord(
                ticketID: created.id, actor: TicketActor(id: created.createdBy, name: created.createdByName),
                change: "Reported; triaged as \(created.priority.label), \(TicketRules.categoryLabel(created.category))", at: created.createdAt
            )
            .create(on: tx)
            try await tx.enqueue(try TicketNotices.created(created), now: created.createdAt)
            return created
        }
    }

    public func find(id: Int) async throws -> Ticket? {
        try await TicketRecord.find(id, on: try db)?.domain()
    }

    public func list(_ filter: TicketFilter, page: Pagination) async throws -> (items: [Ticket], total: Int) {
        let query = TicketRecord.query(on: try db)
        if let createdBy = filter.createdBy { query.filter(\.$createdBy == createdBy) }
        if let status = filter.status { query.filter(\.$status == status.rawValue) }
        if let priority = filter.priority { query.filter(\.$priority == priority.rawValue) }
        if let assignee = filter.assigneeID { query.filter(\.$assigneeID == assignee) }
        if let room = filter.roomID { query.filter(\.$roomID == room) }
        if let search = filter.search { query.filter(search.filter(columns: ["title", "description", "location", "resolution"])) }
        if let category = filter.category { query.filter(\.$category == category) }
        if let location = filter.location { query.filter(location.filter(columns: ["location"])) }
        if let created = filter.created { query.filter(\.$createdAt >= created.lowerBound).filter(\.$createdAt < created.upperBound) }
        let total = try await query.count()
        if filter.queueOrder {
            // "P0" < "P1" < … as text, so sorting the column sorts by urgency.
            query.sort(\.$priority).sort(\.$slaDueAt).sort(\.$id)
        } else {
            query.sort(\.$createdAt, .descending).sort(\.$id, .descending)
        }
        let records = try await query.range(page.range).all()
        return (try records.map { try $0.domain() }, total)
    }

    public func update(id: Int, change: some TicketEdit, actor: TicketActor) async throws -> TicketUpdate {
        let now = now().wholeSeconds
        return try await db.transaction { tx in
            guard let record = try await TicketRecord.find(id, on: tx) else { throw TicketStoreError.notFound(id: id) }
            return try await Self.store(change, on: record, actor: actor, now: now, in: tx)
        }
    }

    /// Applies `edit` to the ticket of `record` and stores the result, its history lines and its
    /// notices in `tx` (nothing when it changes nothing).
    private static func store(_ edit: some TicketEdit, on record: TicketRecord, actor: TicketActor, now: Date, in tx: any Database) async throws -> TicketUpdate
    {
        let before = try record.domain()
        var after = before
        let changes = try edit.apply(to: &after, now: now)
        guard !changes.isEmpty else { return TicketUpdate(before: before, after: before, changes: []) }
        try record.apply(after)
        try await record.update(on: tx)
        for line in changes {
            try await TicketChangeRecord(ticketID: before.id, actor: actor, change: line, at: now).create(on: tx)
        }
        if let comment = edit.comment { try await Self.insertComment(comment, on: before.id, by: actor, now: now, in: tx) }
        let update = TicketUpdate(before: before, after: after, changes: changes)
        try await tx.enqueue(try edit.notices(for: update, actor: actor.id), now: now)
        return update
    }

    public func history(ticketID: Int) async throws -> [TicketHistoryEntry] {
        try await TicketChangeRecord.query(on: try db).filter(\.$ticketID == ticketID).sort(\.$id).all()
            .map { $0.entry() }
    }

    public func addComment(ticketID: Int, reply: TicketReply) async throws -> (comment: TicketComment, update: TicketUpdate) {
        let now = now().wholeSeconds
        return try await db.transaction { tx in
            guard let ticketRecord = try await TicketRecord.find(ticketID, on: tx) else { throw TicketStoreError.notFound(id: ticketID) }
            let comment = try await Self.insertComment(reply.body, on: ticketID, by: reply.by, now: now, in: tx)
            try await tx.enqueue(try TicketNotices.commented(try ticketRecord.domain(), comment), now: now)
            return (comment, try await Self.store(reply, on: ticketRecord, actor: reply.by, now: now, in: tx))
        }
    }

    @discardableResult
    private static func insertComment(_ body: String, on ticketID: Int, by author: TicketActor, now: Date, in tx: any Database) async throws -> TicketComment {
        let record = TicketCommentRecord()
        record.ticketID = ticketID
        record.authorID = author.id
        record.authorName = author.name
        record.body = body
        record.createdAt = now
        try await record.create(on: tx)
        return try record.view()
    }

    public func comments(ticketID: Int, page: Pagination) async throws -> (items: [TicketComment], total: Int) {
        let query = TicketCommentRecord.query(on: try db).filter(\.$ticketID == ticketID)
        let total = try await query.count()
        let records = try await query.sort(\.$id).range(page.range).all()
        return (try records.map { try $0.view() }, total)
    }

    public func markBreached(now: Date) async throws -> [Ticket] {
        try await db.transaction { tx in
            let due = try await TicketRecord.query(on: tx)
                .filter(\.$status ~~ TicketStatus.clockRunning.map(\.rawValue))
                .filter(\.$slaBreached == false)
                .filter(\.$slaDueAt < now)
                .all()
            var breached: [Ticket] = []
            let sql = tx.sql
            for record in due {
                // Claim the breach with a conditional update: with replicas running this task side by side
                // on PostgreSQL, the row lock makes exactly one of them see the row change.
                let claimed = try await sql.raw(
                    """
                    UPDATE tickets SET sla_breached = \(bind: true), updated_at = \(bind: now.wholeSeconds)
                    WHERE id = \(bind: record.id!) AND sla_breached = \(bind: false) RETURNING id
                    """
                ).all()
                guard !claimed.isEmpty else { continue }
                record.slaBreached = true
                record.updatedAt = now.wholeSeconds
                let ticket = try record.domain()
                try await TicketChangeRecord(
                    ticketID: ticket.id, actor: .system, change: "The SLA deadline passed (it was due \(CampusJSON.timestamp(ticket.slaDueAt)))",
                    at: now.wholeSeconds
                )
                .create(on: tx)
                try await tx.enqueue(try TicketNotices.breached(ticket), now: now)
                breached.append(ticket)
            }
            return breached
        }
    }

    public func roomHealth() async throws -> [RoomHealth] {
        let active = try await TicketRecord.query(on: try db)
            .filter(\.$status ~~ TicketStatus.active.map(\.rawValue))
            .filter(\.$roomID != nil)
            .all()
        var rooms: [String: (count: Int, highest: Priority, outOfOrder: Bool)] = [:]
        for record in active {
            guard let room = record.roomID, let priority = Priority(rawValue: record.priority) else { continue }
            let current = rooms[room] ?? (0, .p4, false)
            rooms[room] = (current.count + 1, max(priority, current.highest), current.outOfOrder || record.roomOutOfOrder == true)
        }
        return rooms.keys.sorted().compactMap { room in
            rooms[room].map { RoomHealth(roomId: room, openTickets: $0.count, highestPriority: $0.highest, outOfOrder: $0.outOfOrder) }
        }
    }

    public func outOfOrderRooms() async throws -> [RoomFault] {
        let marked = try await TicketRecord.query(on: try db)
            .filter(\.$status ~~ TicketStatus.active.map(\.rawValue))
            .filter(\.$roomOutOfOrder == true)
            .sort(\.$id)
            .all()
        var seen = Set<Int>()
        // Booking's rooms have whole-number ids; the earliest ticket speaks for its room.
        return marked.compactMap { record in
            guard let id = record.id, let room = record.roomID.flatMap({ Int($0) }), seen.insert(room).inserted else { return nil }
            return RoomFault(roomId: room, ticketId: id)
        }
    }
}
