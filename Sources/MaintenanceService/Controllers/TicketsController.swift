import CampusKit
import Foundation
import Hummingbird

/// `/tickets`, `/triage` of docs/contract.md §9.
struct TicketsController: Sendable {
    let repository: any TicketRepository
    let triage: TimedTriage
    let events: any LiveEventBus
    let directory: CampusDirectory
    /// `CAMPUS_TIMEZONE`: the days of `created_from` and `created_to`.
    let timeZone: TimeZone
    /// `SLA_WORKING_HOURS`: how deadlines are counted.
    let slaClock: SLAClock
    /// How far ahead a room's bookings are read: a week for a new ticket's impact, two for the
    /// owners told when the room is marked out of order.
    static let bookingsAhead = 7 * 24
    static let outOfOrderAhead = 14 * 24
    let now: @Sendable () -> Date

    func addRoutes(to group: RouterGroup<AuthenticatedContext>) {
        group.post("/triage", use: preview)
        group.get("/tickets", use: list)
        group.post("/tickets", use: create)
        group.get("/tickets/room-health", use: roomHealth)
        group.get("/tickets/{id}", use: show)
        group.patch("/tickets/{id}", use: update)
        group.post("/tickets/{id}/reopen", use: reopen)
        group.get("/tickets/{id}/comments", use: comments)
        group.post("/tickets/{id}/comments", use: comment)
    }

    /// The form's live preview works from the first words typed: any field may be missing or empty.
    struct TriageRequest: Decodable {
        let title: String?
        let description: String?
        let location: String?
    }

    struct CreateRequest: Decodable {
        let title: String
        let description: String
        let location: String
        let category: String?
        let roomId: WireID?
    }

    struct UpdateRequest: Decodable {
        let status: String?
        let priority: String?
        let assigneeId: WireID??
        let resolution: String?
        let roomOutOfOrder: Bool?
        let question: String?

        enum CodingKeys: String, CodingKey { case status, priority, assigneeId, resolution, roomOutOfOrder, question }

        init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            roomOutOfOrder = try container.decodeIfPresent(Bool.self, forKey: .roomOutOfOrder)
            status = try container.decodeIfPresent(String.self, forKey: .status)
            priority = try container.decodeIfPresent(String.self, forKey: .priority)
            resolution = try container.decodeIfPresent(String.self, forKey: .resolution)
            question = try container.decodeIfPresent(String.self, forKey: .question)
            // Present and null means "unassign"; absent means "leave as it is".
            assigneeId = container.contains(.assigneeId) ? .some(try container.decodeIfPresent(WireID.self, forKey: .assigneeId)) : .none
        }
    }

    struct CommentRequest: Decodable {
        let body: String
    }

    struct ReopenRequest: Decodable {
        let reason: String
    }

    @Sendable func preview(_ request: Request, context: AuthenticatedContext) async throws -> TriageResult {
        try TicketPolicy.table.require(.openTickets, for: context.identity)
        let body = try await request.decode(as: TriageRequest.self, context: context)
        let preview = TriageInput(
            title: try TicketRules.text(body.title ?? "", field: "title", maximum: 200, required: false),
            description: try TicketRules.text(body.description ?? "", field: "description", maximum: 5000, required: false),
            location: try TicketRules.text(body.location ?? "", field: "location", maximum: 200, required: false)
        )
        guard !(preview.title.isEmpty && preview.description.isEmpty && preview.location.isEmpty) else {
            throw APIError.invalid("title", "describe the problem first: a title, details or a location")
        }
        return triage.triage(preview)
    }

    @Sendable func create(_ request: Request, context: AuthenticatedContext) async throws -> Response {
        try TicketPolicy.table.require(.openTickets, for: context.identity)
        let body = try await request.decode(as: CreateRequest.self, context: context)
        let input = try input(title: body.title, description: body.description, location: body.location)
        let category = try body.category.map(TicketRules.category)
        let roomID = body.roomId?.description
        if let roomID { try await directory.requireRoom(roomID, context: context) }
        let created = now().wholeSeconds
        var result = triage.triage(input)
        // A room in use or booked before the deadline raises the fault, and its next bookings are its impact.
        let schedule = if let roomID { await directory.scheduleIfReachable(roomID, hours: Self.bookingsAhead, context: context) } else { RoomSchedule?.none }
        if let schedule { result = BookedRoomRule.apply(to: result, schedule: schedule, now: created, clock: slaClock) }
        let ticket = try await repository.create(
            Ticket(
                id: 0, title: input.title, description: input.description, location: input.location, roomID: roomID,
                category: category ?? result.category, priority: result.priority, status: .open,
                slaDueAt: slaClock.due(from: created, priority: result.priority), slaBreached: false, triage: result,
                createdBy: context.identity.userID, assigneeID: nil, createdAt: created, updatedAt: created,
                createdByName: context.identity.name, roomBookings: schedule.map { BookedRoomRule.uses($0, now: created) }
            ))
        await events.publish(TicketEvent(kind: .created, ticketID: ticket.id))
        return try Response.json(TicketView(ticket), status: .created, headers: [.location: "/tickets/\(ticket.id)"])
    }

    @Sendable func list(_ request: Request, context: AuthenticatedContext) async throws -> Page<TicketView> {
        try TicketPolicy.table.require(.openTickets, for: context.identity)
        let query = request.uri.queryParameters
        var filter = TicketFilter()
        let order = try query["order"].map { try TicketRules.listOrder(String($0)) }
        if TicketPolicy.table.allows(context.role, .workQueue) {
            // Technicians see every ticket in queue order, or (`created_by`, `order=newest`) the
            // ones someone reported, newest first, as everyone else sees their own.
            filter.createdBy = try WireID.query(query, "created_by")?.description
            filter.queueOrder = order != .newest
        } else {
            filter.createdBy = context.identity.userID
            filter.queueOrder = order == .queue
        }
        filter.status = try query["status"].map { try TicketRules.status(String($0)) }
        filter.priority = try query["priority"].map { try TicketRules.priority(String($0)) }
        filter.assigneeID = try WireID.query(query, "assignee_id")?.description
        filter.roomID = try WireID.query(query, "room_id")?.description
        filter.search = TextSearch(query["q"].map(String.init))
        filter.category = try query["category"].map { try TicketRules.category(String($0)) }
        filter.location = TextSearch(query["location"].map(String.init))
        filter.created = try TicketRules.createdRange(
            from: query["created_from"].map(String.init), to: query["created_to"].map(String.init), timeZone: timeZone)
        let result = try await repository.list(filter, page: try Pagination(query: query))
        return Page(items: result.items.map { TicketView($0) }, total: result.total)
    }

    @Sendable func roomHealth(_ request: Request, context: AuthenticatedContext) async throws -> Response {
        try TicketPolicy.table.require(.roomHealth, for: context.identity)
        return try Response.json(try await repository.roomHealth())
    }

    @Sendable func show(_ request: Request, context: AuthenticatedContext) async throws -> TicketView {
        let ticket = try await visibleTicket(context)
        return TicketView(ticket, history: try await repository.history(ticketID: ticket.id))
    }

    @Sendable func update(_ request: Request, context: AuthenticatedContext) async throws -> TicketView {
        let ticket = try await visibleTicket(context)
        try TicketPolicy.table.require(.workQueue, for: context.identity)
        let body = try await request.decode(as: UpdateRequest.self, context: context)
        var change = TicketChange(
            status: try body.status.map { try TicketRules.status($0) },
            priority: try body.priority.map(TicketRules.priority),
            resolution: try body.resolution.map { try TicketRules.text($0, field: "resolution", maximum: 2000) },
            question: try body.question.map { try TicketRules.text($0, field: "question", maximum: 4000) },
            clock: slaClock
        )
        // Refused before anything else is asked (the directory): the same checks run again in
        // the transaction, on the ticket as it is then.
        var trial = ticket
        _ = try TicketChange(status: change.status, priority: change.priority, resolution: change.resolution, question: change.question).apply(
            to: &trial, now: now())
        switch body.assigneeId {
        case .none: break
        case .some(.none): change.assignee = .some(nil)
        case .some(.some(let assignee)): change.assignee = try await directory.technician(assignee.description, context: context)
        }
        switch body.roomOutOfOrder {
        case nil: break
        case false?: change.room = .backInOrder
        case true?:
            // Refused (no room, not in work) before booking is asked; marked only once its owners can be told.
            if !trial.roomOutOfOrder {
                try RoomMark.check(trial)
                if let roomID = trial.roomID { change.room = .outOfOrder(try await directory.schedule(roomID, hours: Self.outOfOrderAhead, context: context)) }
            }
        }
        return try await store(change, on: ticket, context: context)
    }

    /// The reporter's "still broken" (docs/contract.md §9).
    @Sendable func reopen(_ request: Request, context: AuthenticatedContext) async throws -> TicketView {
        let ticket = try await visibleTicket(context)
        let body = try await request.decode(as: ReopenRequest.self, context: context)
        let reopen = TicketReopen(reason: try TicketRules.text(body.reason, field: "reason", maximum: 2000), by: context.actor, clock: slaClock)
        return try await store(reopen, on: ticket, context: context)
    }

    private func store(_ edit: some TicketEdit, on ticket: Ticket, context: AuthenticatedContext) async throws -> TicketView {
        let update: TicketUpdate
        do {
            update = try await repository.update(id: ticket.id, change: edit, actor: context.actor)
        } catch TicketStoreError.notFound {
            throw APIError.notFound("There is no ticket \(ticket.id).")
        }
        if !update.changes.isEmpty { await events.publish(TicketEvent(kind: .updated, ticketID: ticket.id)) }
        if update.before.roomOutOfOrder != update.after.roomOutOfOrder {
            await directory.restateOutOfOrder(from: repository, requestID: context.requestID, logger: context.logger)
        }
        return TicketView(update.after, history: try await repository.history(ticketID: ticket.id))
    }

    @Sendable func comments(_ request: Request, context: AuthenticatedContext) async throws -> Page<TicketComment> {
        let page = try Pagination(query: request.uri.queryParameters)
        let ticket = try await visibleTicket(context)
        let result = try await repository.comments(ticketID: ticket.id, page: page)
        return Page(items: result.items, total: result.total)
    }

    @Sendable func comment(_ request: Request, context: AuthenticatedContext) async throws -> Response {
        let ticket = try await visibleTicket(context)
        try TicketPolicy.table.require(.openTickets, for: context.identity)
        let body = try await request.decode(as: CommentRequest.self, context: context)
        let text = try TicketRules.text(body.body, field: "body", maximum: 4000)
        let stored: (comment: TicketComment, update: TicketUpdate)
        do {
            stored = try await repository.addComment(ticketID: ticket.id, reply: TicketReply(by: context.actor, body: text, clock: slaClock))
        } catch TicketStoreError.notFound {
            throw APIError.notFound("There is no ticket \(ticket.id).")
        }
        await events.publish(TicketEvent(kind: .commented, ticketID: ticket.id))
        if !stored.update.changes.isEmpty { await events.publish(TicketEvent(kind: .updated, ticketID: ticket.id)) }
        return try Response.json(stored.comment, status: .created)
    }

    private func input(title: String, description: String, location: String) throws -> TriageInput {
        TriageInput(
            title: try TicketRules.text(title, field: "title", maximum: 200),
            description: try TicketRules.text(description, field: "description", maximum: 5000, required: false),
            location: try TicketRules.text(location, field: "location", maximum: 200)
        )
    }

    private func visibleTicket(_ context: AuthenticatedContext) async throws -> Ticket {
        try await repository.visibleTicket(context)
    }
}

extension TicketRepository {
    /// The ticket in the path (`{id}`) if the caller may see it; otherwise 404 (its existence is not revealed).
    func visibleTicket(_ context: AuthenticatedContext) async throws -> Ticket {
        try TicketPolicy.table.require(.openTickets, for: context.identity)
        let raw = context.parameters.get("id") ?? ""
        guard let id = Int(raw), let ticket = try await find(id: id), TicketPolicy.canSee(ticket, context.identity) else {
            throw APIError.notFound("There is no ticket \(raw) for you.")
        }
        return ticket
    }
}

extension TriageResult: ResponseEncodable {}

extension AuthenticatedContext {
    /// The signed-in person as the ticket's history and comments name them.
    var actor: TicketActor { TicketActor(id: identity.userID, name: identity.name) }
}
