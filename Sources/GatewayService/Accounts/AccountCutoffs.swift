import CampusKit
import Foundation
import Logging
import NIOConcurrencyHelpers

/// Each account's standing as user management reports it, remembered for half a second: a
/// deletion, demotion or password change ends old tokens on every gateway replica within about
/// that (plus one call), with one call to user management per active account per half second
/// instead of a round trip per request. Concurrent requests for one account share one call.
final class AccountCutoffs: Sendable {
    static let freshFor: Duration = .milliseconds(500)
    /// Bounds the memory: past this many accounts the memo starts afresh.
    static let capacity = 50_000

    private enum Entry {
        case known(AccountStanding, at: ContinuousClock.Instant)
        case loading(Task<AccountStanding, any Error>, stale: AccountStanding?)
    }

    private let client: ServiceClient
    private let logger: Logger
    private let entries = NIOLockedValueBox([String: Entry]())

    init(client: ServiceClient, logger: Logger) {
        self.client = client
        self.logger = logger
    }

    /// The account's standing: from memory when fresh, otherwise from user management. If user
    /// management cannot be reached, the last answer stands; with none, the request gets a 503.
    func standing(of userID: String) async throws -> AccountStanding {
        // A signed token whose subject is not a user id names no account.
        guard WireID(userID) != nil else { return .deleted }
        let now = ContinuousClock.now
        enum Next {
            case known(AccountStanding)
            case wait(Task<AccountStanding, any Error>, stale: AccountStanding?)
        }
        let next: Next = entries.withLockedValue { entries in
            switch entries[userID] {
            case .known(let standing, let at) where now - at < Self.freshFor:
                return .known(standing)
            case .loading(let task, let stale):
                return .wait(task, stale: stale)
            case .known(let standing, _):
                let task = fetchTask(userID)
                entries[userID] = .loading(task, stale: standing)
                return .wait(task, stale: standing)
            case nil:
                if entries.count >= Self.capacity { entries.removeAll() }
                let task = fetchTask(userID)
                entries[userID] = .loading(task, stale: nil)
                return .wait(task, stale: nil)
            }
        }
        switch next {
        case .known(let standing): return standing
        case .wait(let task, let stale): return try await wait(for: task, stale: stale, userID: userID, since: now)
        }
    }

    private func wait(
        for task: Task<AccountStanding, any Error>, stale: AccountStanding?, userID: String, since now: ContinuousClock.Instant
    ) async throws -> AccountStanding {
        do {
            let standing = try await task.value
            entries.withLockedValue { $0[userID] = .known(standing, at: .now) }
            return standing
        } catch {
            entries.withLockedValue { entries in
                if let stale { entries[userID] = .known(stale, at: now) } else { entries[userID] = nil }
            }
            if let stale {
                logger.warning("User management unreachable; the account's last known standing stands", metadata: ["user_id": "\(userID)"])
                return stale
            }
            throw APIError.serviceUnavailable("The account cannot be checked right now; try again shortly.", code: "dependency_unavailable")
        }
    }

    /// Forgets what is known of one account (a change to it went through this gateway).
    func forget(_ userID: String) {
        entries.withLockedValue { entries in
            if case .known = entries[userID] { entries[userID] = nil }
        }
    }

    private func fetchTask(_ userID: String) -> Task<AccountStanding, any Error> {
        let client = client
        let logger = logger
        return Task { try await AccountStanding.fetch(userID, client: client, logger: logger) }
    }
}
