import CampusKit
import Foundation
import Logging
import NIOConcurrencyHelpers

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

/// The WebSocket clients of this instance. Each event is sent to the clients allowed to see the
/// ticket (owner, assignee, technicians) and to no one else. Every client has a bounded queue:
/// a client too slow to keep up is disconnected instead of slowing the others down.
public final class TicketEventHub: Sendable {
    public static let queueLimit = 256

    struct Subscriber {
        let identity: Identity
        let continuation: AsyncStream<String>.Continuation
    }

    private let subscribers = NIOLockedValueBox<[UUID: Subscriber]>([:])
    private let repository: any TicketRepository
    private let logger: Logger

    public init(repository: any TicketRepository, logger: Logger) {
        self.repository = repository
        self.logger = logger
    }

    public var connectedClients: Int { subscribers.withLockedValue { $0.count } }

    /// Registers a client; its stream ends when it is dropped or `unsubscribe`d.
    func subscribe(_ identity: Identity) -> (id: UUID, messages: AsyncStream<String>) {
        let id = UUID()
        let (stream, continuation) = AsyncStream<String>.makeStream(bufferingPolicy: .bufferingOldest(Self.queueLimit))
        subscribers.withLockedValue { $0[id] = Subscriber(identity: identity, continuation: continuation) }
        return (id, stream)
    }

    func unsubscribe(_ id: UUID) {
        subscribers.withLockedValue { $0.removeValue(forKey: id) }?.continuation.finish()
    }

    /// Sends an event to this instance's clients (the ticket is read once, encoded once).
    func deliver(_ event: TicketEvent) async {
        guard connectedClients > 0 else { return }
        do {
            guard let ticket = try await repository.find(id: event.ticketID) else { return }
            struct Message: Encodable {
                let type: String
                let ticket: TicketView
            }
            let text = String(decoding: try CampusJSON.encoder.encode(Message(type: event.kind.rawValue, ticket: TicketView(ticket))), as: UTF8.self)
            let slow = subscribers.withLockedValue { subscribers -> [UUID] in
                subscribers.compactMap { id, subscriber in
                    guard TicketPolicy.canSee(ticket, subscriber.identity) else { return nil }
                    if case .dropped = subscriber.continuation.yield(text) { return id }
                    return nil
                }
            }
            for id in slow {
                logger.warning("Dropping a WebSocket client whose queue is full", metadata: ["client": "\(id)"])
                unsubscribe(id)
            }
        } catch {
            logger.warning("Could not deliver a ticket event", metadata: ["event": "\(event.wire)", "error": "\(error)"])
        }
    }
}
