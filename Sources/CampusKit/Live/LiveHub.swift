import Foundation
import Logging
import NIOConcurrencyHelpers

/// The WebSocket clients of one service instance, each with who they are and a bounded queue of
/// messages. A message goes to the clients a rule admits and to no one else; a client too slow to
/// keep up (its queue full) is disconnected instead of slowing the others down.
public final class LiveHub: Sendable {
    public static let queueLimit = 256

    struct Subscriber {
        let identity: Identity
        let continuation: AsyncStream<String>.Continuation
    }

    private let subscribers = NIOLockedValueBox<[UUID: Subscriber]>([:])
    private let logger: Logger

    public init(logger: Logger) { self.logger = logger }

    public var connectedClients: Int { subscribers.withLockedValue { $0.count } }

    /// The identities connected now (each once per socket).
    public var identities: [Identity] { subscribers.withLockedValue { $0.values.map(\.identity) } }

    /// Registers a client; its stream ends when it is dropped or `unsubscribe`d.
    public func subscribe(_ identity: Identity) -> (id: UUID, messages: AsyncStream<String>) {
        let id = UUID()
        let (stream, continuation) = AsyncStream<String>.makeStream(bufferingPolicy: .bufferingOldest(Self.queueLimit))
        subscribers.withLockedValue { $0[id] = Subscriber(identity: identity, continuation: continuation) }
        return (id, stream)
    }

    public func unsubscribe(_ id: UUID) {
        subscribers.withLockedValue { $0.removeValue(forKey: id) }?.continuation.finish()
    }

    /// Queues `text` for every client `admits` lets see it.
    public func send(_ text: String, to admits: (Identity) -> Bool) {
        // Chosen under the lock, handed the message outside it: with thousands of clients the
        // lock is held for a copy, not for thousands of hand-overs (subscribing waits on it).
        let chosen = subscribers.withLockedValue { subscribers in
            subscribers.compactMap { id, subscriber in admits(subscriber.identity) ? (id, subscriber.continuation) : nil }
        }
        let slow = chosen.compactMap { id, continuation -> UUID? in
            if case .dropped = continuation.yield(text) { return id }
            return nil
        }
        for id in slow {
            logger.warning("Dropping a WebSocket client whose queue is full", metadata: ["client": "\(id)"])
            unsubscribe(id)
        }
    }
}
