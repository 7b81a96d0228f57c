import CampusKit
import Foundation
import Logging

/// What happened to a ticket; the WebSocket message carries the ticket as it is now.
public struct TicketEvent: Sendable, Equatable {
    public enum Kind: String, Sendable, CaseIterable {
        case created = "ticket.created"
        case updated = "ticket.updated"
        case commented = "ticket.commented"
        case slaBreached = "ticket.sla_breached"
    }
    public let kind: Kind
    public let ticketID: Int

    /// `kind:id`, small enough for a PostgreSQL NOTIFY payload whatever the ticket's size.
    var wire: String { "\(kind.rawValue):\(ticketID)" }

    init(kind: Kind, ticketID: Int) {
        self.kind = kind
        self.ticketID = ticketID
    }

    init?(wire: String) {
        let parts = wire.split(separator: ":")
        guard parts.count == 2, let kind = Kind(rawValue: String(parts[0])), let id = Int(parts[1]) else { return nil }
        self.init(kind: kind, ticketID: id)
    }
}

/// Ticket events for this instance's WebSocket clients: each goes to those allowed to see the
/// ticket (owner, assignee, technicians) and to no one else, the ticket read once and encoded once.
public final class TicketEventHub: LiveEventReceiver {
    /// The sockets of this instance (``LiveWebSocket``'s clients).
    public let clients: LiveHub
    private let repository: any TicketRepository
    private let logger: Logger

    public init(repository: any TicketRepository, logger: Logger) {
        self.clients = LiveHub(logger: logger)
        self.repository = repository
        self.logger = logger
    }

    public var connectedClients: Int { clients.connectedClients }

    public func deliver(wire: String) async {
        if let event = TicketEvent(wire: wire) { await deliver(event) }
    }

    /// Sends an event to this instance's clients.
    func deliver(_ event: TicketEvent) async {
        guard connectedClients > 0 else { return }
        do {
            guard let ticket = try await repository.find(id: event.ticketID) else { return }
            struct Message: Encodable {
                let type: String
                let ticket: TicketView
            }
            let text = String(decoding: try CampusJSON.encoder.encode(Message(type: event.kind.rawValue, ticket: TicketView(ticket))), as: UTF8.self)
            clients.send(text) { TicketPolicy.canSee(ticket, $0) }
        } catch {
            logger.warning("Could not deliver a ticket event", metadata: ["event": "\(event.wire)", "error": "\(error)"])
        }
    }
}

extension LiveEventBus {
    /// Sends `event` to the WebSocket clients of every maintenance instance.
    func publish(_ event: TicketEvent) async { await publish(wire: event.wire) }
}
