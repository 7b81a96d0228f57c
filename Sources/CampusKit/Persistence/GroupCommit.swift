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
public final class GroupCommit<Item: Sendable, Outcome: Sendable>: Sendable {
    public typealias Write = @Sendable (_ items: [Item], _ tx: any Database) async throws -> [Result<Outcome, any Error>]

    private struct Waiting: Sendable {
        let item: Item
        let continuation: CheckedContinuation<Outcome, any Error>
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
        try await withCheckedThrowingContinuation { continuation in
            let startCommitting = queue.withLock { queue in
                queue.waiting.append(Waiting(item: item, continuation: continuation))
                guard !queue.committing else { return false }
                queue.committing = true
                return true
            }
            // Detached: the writer belongs to no request, so it carries none's trace or task-locals.
            if startCommitting { Task.detached { await self.drain() } }
        }
    }

    /// Commits batches until nothing waits.
    private func drain() async {
        while true {
            let batch: [Waiting] = queue.withLock { queue in
                let count = min(maxBatch, queue.waiting.count)
                guard count > 0 else {
                    queue.committing = false
                    return []
                }
                let batch = Array(queue.waiting.prefix(count))
                queue.waiting.removeFirst(count)
                return batch
            }
            guard !batch.isEmpty else { return }
            await commit(batch)
        }
    }

    private func commit(_ batch: [Waiting]) async {
        do {
            let write = self.write
            let items = batch.map(\.item)
            let outcomes = try await provider.database(logger: logger).transaction { tx in try await write(items, tx) }
            precondition(outcomes.count == batch.count, "a group write answers every item of its batch")
            for (waiting, outcome) in zip(batch, outcomes) { waiting.continuation.resume(with: outcome) }
        } catch {
            guard batch.count > 1 else { return batch[0].continuation.resume(throwing: error) }
            logger.debug("A group commit failed; writing its items one by one", metadata: ["items": "\(batch.count)", "error": "\(error)"])
            for waiting in batch { await commit([waiting]) }
        }
    }
}
