import FluentKit
import Logging
import Synchronization

/// Group commit: the writes that arrive while one transaction is committing wait, and then go
/// together in the next one — one transaction and one `fsync` for many requests, with nothing
/// added to a lone request's latency (it starts at once when no commit is running).
///
/// `write` decides every item of a batch inside one transaction and answers one `Result` per
/// item, in order: an item refused by the rules (a conflict, a limit) is a `.failure` that does
/// not undo the others. Should the transaction itself fail (a constraint another replica's write
/// tripped, a lost connection), no item of that batch is stored, and each is written again in a
/// transaction of its own, so one request's failure reaches only that request.
///
/// Every answer is given only after the commit has returned: a 201 built on it is on disk.
///
/// The batch is written by one of its own requests (the leader), in that request's task, so its
/// database work is traced and logged under a request that asked for it. When the leader's
/// commit returns it answers the others of its batch and hands the lead to the oldest request
/// still waiting, if any; its own answer never waits for a later batch.
public final class GroupCommit<Item: Sendable, Outcome: Sendable>: Sendable {
    public typealias Write = @Sendable (_ items: [Item], _ tx: any Database) async throws -> [Result<Outcome, any Error>]

    /// What a waiting request is woken with: its answer, or the lead of the next batch.
    private enum Turn: Sendable {
        case answered(Result<Outcome, any Error>)
        case lead
    }

    private struct Waiting: Sendable {
        let item: Item
        let continuation: CheckedContinuation<Turn, Never>
    }

    private struct Queue {
        var waiting: [Waiting] = []
        var committing = false
    }

    private let queue = Mutex(Queue())
    private let provider: DatabaseProvider
    private let logger: Logger
    private let maxBatch: Int
    private let write: Write

    /// `maxBatch` bounds one transaction (its statements and how long it holds the writer).
    public init(provider: DatabaseProvider, logger: Logger, maxBatch: Int = 256, write: @escaping Write) {
        precondition(maxBatch > 0)
        self.provider = provider
        self.logger = logger
        self.maxBatch = maxBatch
        self.write = write
    }

    /// Writes `item` with whatever else is waiting; returns once its transaction has committed.
    public func submit(_ item: Item) async throws -> Outcome {
        let turn: Turn = await withCheckedContinuation { continuation in
            let leads = queue.withLock { queue in
                guard queue.committing else {
                    queue.committing = true
                    return true
                }
                queue.waiting.append(Waiting(item: item, continuation: continuation))
                return false
            }
            if leads { continuation.resume(returning: .lead) }
        }
        switch turn {
        case .answered(let outcome): return try outcome.get()
        case .lead: return try await lead(with: item)
        }
    }

    /// Commits `item` with up to `maxBatch - 1` of the waiting, answers them, and passes the lead on.
    private func lead(with item: Item) async throws -> Outcome {
        let others: [Waiting] = queue.withLock { queue in
            let count = min(maxBatch - 1, queue.waiting.count)
            defer { queue.waiting.removeFirst(count) }
            return Array(queue.waiting.prefix(count))
        }
        // A child of no one's cancellation (the others must not fail because the leader's client left),
        // but it inherits the leader's task-locals, so the batch's queries are traced under its request.
        let items = [item] + others.map(\.item)
        let outcomes = await Task { await self.commit(items) }.value
        for (waiting, outcome) in zip(others, outcomes.dropFirst()) { waiting.continuation.resume(returning: .answered(outcome)) }
        let next: Waiting? = queue.withLock { queue in
            guard !queue.waiting.isEmpty else {
                queue.committing = false
                return nil
            }
            return queue.waiting.removeFirst()
        }
        next?.continuation.resume(returning: .lead)
        return try outcomes[0].get()
    }

    /// One `Result` per item, in order.
    private func commit(_ items: [Item]) async -> [Result<Outcome, any Error>] {
        do {
            let write = self.write
            let outcomes = try await provider.database(logger: logger).transaction { tx in try await write(items, tx) }
            precondition(outcomes.count == items.count, "a group write answers every item of its batch")
            return outcomes
        } catch {
            guard items.count > 1 else { return [.failure(error)] }
            logger.debug("A group commit failed; writing its items one by one", metadata: ["items": "\(items.count)", "error": "\(error)"])
            var outcomes: [Result<Outcome, any Error>] = []
            for item in items { outcomes.append(contentsOf: await commit([item])) }
            return outcomes
        }
    }
}
