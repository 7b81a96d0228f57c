import Foundation
import NIOConcurrencyHelpers

/// Spares the gateway a database lookup per request for the same token. It remembers tokens it
/// saw revoked (for good) and, for one second, tokens the database said were not revoked. A
/// sign-out through this gateway takes effect at once; one through another replica within a second.
final class RevocationMemo: Sendable {
    struct State {
        /// Revoked token ids and when the token expires (after that housekeeping forgets both).
        var revoked: [String: Date] = [:]
        var notRevokedAt: [String: ContinuousClock.Instant] = [:]
    }

    static let freshFor: Duration = .seconds(1)
    /// Bounds the memory: past this many entries the memo starts afresh (the database stays the truth).
    static let capacity = 50_000

    private let state = NIOLockedValueBox(State())

    /// `true`/`false` when known, `nil` when the database must be asked.
    func lookup(_ tokenID: String, now: ContinuousClock.Instant = .now) -> Bool? {
        state.withLockedValue { state in
            if state.revoked[tokenID] != nil { return true }
            if let checked = state.notRevokedAt[tokenID], now - checked < Self.freshFor { return false }
            return nil
        }
    }

    /// Records the database's answer: revoked until the token's expiry, or not revoked (as of `now`).
    func remember(_ tokenID: String, revokedUntil: Date?, now: ContinuousClock.Instant = .now) {
        state.withLockedValue { state in
            if state.revoked.count + state.notRevokedAt.count >= Self.capacity {
                state = State()
            }
            if let revokedUntil {
                state.revoked[tokenID] = revokedUntil
                state.notRevokedAt[tokenID] = nil
            } else {
                state.notRevokedAt[tokenID] = now
            }
        }
    }

    /// Forgets revocations of tokens that have expired by `date` (as the database's housekeeping does).
    func forget(expiredBy date: Date) {
        state.withLockedValue { state in
            state.revoked = state.revoked.filter { $0.value > date }
            state.notRevokedAt.removeAll()
        }
    }
}
