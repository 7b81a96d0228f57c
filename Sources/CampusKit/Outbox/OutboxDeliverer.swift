import FluentKit
import Foundation
import Logging
import NIOCore
import SQLKit
import ServiceLifecycle
import Tracing

/// Delivers stored outbox events until their receiver acknowledges them. A receiver that is down
/// only delays delivery; a receiver that refuses an event as invalid parks it as `failed`
/// (kept, logged, never retried). Receivers drop duplicates by `event_id`, so redelivery after
/// a crash between send and acknowledgement is harmless.
public struct OutboxDeliverer: Service {
    let database: DatabaseProvider
    let client: ServiceClient
    let interval: Duration
    let batchSize: Int
    let maximumBackoff: TimeInterval
    let logger: Logger
    let now: @Sendable () -> Date

    public init(
        database: DatabaseProvider, client: ServiceClient, interval: Duration = .seconds(1), batchSize: Int = 50,
        maximumBackoff: TimeInterval = 60, logger: Logger, now: @escaping @Sendable () -> Date = Date.init
    ) {
        self.database = database
        self.client = client
        self.interval = interval
        self.batchSize = batchSize
        self.maximumBackoff = maximumBackoff
        self.logger = logger
        self.now = now
    }

    public func run() async throws {
        guard await database.waitUntilMigrated() else { return }
        while !Task.isShuttingDownGracefully && !Task.isCancelled {
            var delivered = 0
            do {
                delivered = try await deliverDue()
            } catch {
                logger.warning("Outbox delivery pass failed", metadata: ["error": "\(error)"])
            }
            // A full batch means more may be waiting: go on at once instead of sleeping.
            if delivered < batchSize {
                _ = try? await cancelWhenGracefulShutdown { try await Task.sleep(for: interval) }
            }
        }
    }

    /// One pass over the events that are due. Returns how many were acknowledged.
    @discardableResult
    public func deliverDue() async throws -> Int {
        let db = try database.database(logger: logger)
        // The poll itself is not traced (it runs every second); each delivery is, in its request's trace.
        let due = try await OutboxEvent.query(on: try database.database(logger: logger, traced: false))
            .filter(\.$state == .pending)
            .filter(\.$nextAttemptAt <= now())
            .sort(\.$createdAt)
            .limit(batchSize)
            .all()
        var delivered = 0
        var attempted: [OutboxEvent] = []
        for event in due {
            // While the receiver's breaker is open a call would fail at once: leave the event as it is
            // (no attempt counted, no longer back-off) so it goes as soon as the receiver is back.
            if let destination = ServiceName(rawValue: event.destination), client.breaker(for: destination)?.isOpen == true { continue }
            if try await traced(event, { await deliver(event) }) { delivered += 1 }
            attempted.append(event)
        }
        // What happened to the pass's events is stored in one transaction (one fsync for the pass,
        // not one per event, beside the writes of requests). Should the process stop before it, the
        // events go again, and their receivers drop what they have already seen by `event_id`.
        if !attempted.isEmpty {
            try await db.transaction { [attempted] tx in
                // SQLKit: Fluent's `save` reflects on the model for every event.
                for event in attempted {
                    try await tx.sql.update(OutboxEvent.schema)
                        .set("state", to: event.state.rawValue).set("attempts", to: event.attempts)
                        .set("next_attempt_at", to: event.nextAttemptAt).set("delivered_at", to: event.deliveredAt)
                        .set("last_error", to: event.lastError)
                        .where("id", .equal, event.id)
                        .run()
                }
            }
        }
        return delivered
    }

    /// With tracing on, a delivery is a producer span in the trace of the request that queued the
    /// event, linked to that request's span; the call to the receiver and the receiver's work are its children.
    private func traced(_ event: OutboxEvent, _ delivery: () async throws -> Bool) async throws -> Bool {
        guard CampusTracing.isEnabled else { return try await delivery() }
        let queuedBy = event.traceParent.map(CampusTracing.context(traceParent:))
        return try await withSpan("outbox deliver \(event.destination) \(event.path)", context: queuedBy ?? .topLevel, ofKind: .producer) { span in
            if let queuedBy { span.addLink(SpanLink(context: queuedBy, attributes: ["campus.link": "queued-by"])) }
            span.attributes[CampusTracing.serviceAttribute] = client.caller.rawValue
            span.attributes["messaging.system"] = "campus-outbox"
            span.attributes["messaging.operation.type"] = "send"
            span.attributes["messaging.message.id"] = event.id ?? ""
            span.attributes["messaging.destination.name"] = "\(event.destination) \(event.path)"
            span.attributes["campus.outbox.attempt"] = event.attempts + 1
            let delivered = try await delivery()
            span.attributes["campus.outbox.state"] = event.state.rawValue
            if event.state != .delivered { span.setStatus(SpanStatus(code: .error, message: event.lastError)) }
            return delivered
        }
    }

    /// Sends `event` and records the outcome on it (stored by the caller).
    private func deliver(_ event: OutboxEvent) async -> Bool {
        guard let destination = ServiceName(rawValue: event.destination) else {
            event.state = .failed
            event.lastError = "unknown destination \(event.destination)"
            return false
        }
        event.attempts += 1
        do {
            let reply = try await client.send(
                destination, method: .POST, path: event.path,
                headers: ["Content-Type": "application/json", "Idempotency-Key": event.id ?? ""],
                body: ByteBuffer(string: event.payload), requestID: event.id, credentials: .service, logger: logger
            )
            switch reply.status.code {
            case 200..<300, 409:
                event.state = .delivered
                event.deliveredAt = now()
                event.lastError = nil
            case 400, 404, 413, 422:
                event.state = .failed
                event.lastError = "refused with \(reply.status.code): \(String(buffer: reply.body).prefix(500))"
                logger.error(
                    "Outbox event refused by its receiver; parked as failed", metadata: ["event_id": "\(event.id ?? "")", "status": "\(reply.status.code)"])
            default:
                scheduleRetry(event, error: "answered \(reply.status.code)")
            }
        } catch {
            scheduleRetry(event, error: "\(error)")
        }
        return event.state == .delivered
    }

    private func scheduleRetry(_ event: OutboxEvent, error: String) {
        let backoff = min(maximumBackoff, pow(2, Double(min(event.attempts, 20))))
        event.nextAttemptAt = now().addingTimeInterval(backoff)
        event.lastError = String(error.prefix(500))
    }
}
