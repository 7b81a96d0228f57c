import Foundation
import NIOConcurrencyHelpers

/// Login attempts per TCP peer address per minute (`LOGIN_RATE_PER_MINUTE`), sliding window,
/// in memory: each gateway replica limits what reaches it. Behind a proxy every client shares the
/// proxy's address (X-Forwarded-For is not trusted yet; see docs/deploy.md).
public final class LoginRateLimiter: Sendable {
    public let limit: Int
    public let window: TimeInterval
    private let attempts = NIOLockedValueBox<[String: [Date]]>([:])

    public init(limit: Int, window: TimeInterval = 60) {
        self.limit = limit
        self.window = window
    }

    /// Counts an attempt. Returns `nil` when allowed, else the seconds until one is allowed again.
    public func attempt(from address: String, now: Date = Date()) -> Int? {
        attempts.withLockedValue { table in
            let cutoff = now.addingTimeInterval(-window)
            var recent = (table[address] ?? []).filter { $0 > cutoff }
            if recent.count >= limit {
                table[address] = recent
                let oldest = recent.first ?? now
                return max(1, Int(oldest.addingTimeInterval(window).timeIntervalSince(now).rounded(.up)))
            }
            recent.append(now)
            table[address] = recent
            if table.count > 10_000 { table = table.filter { $0.value.last.map { $0 > cutoff } ?? false } }
            return nil
        }
    }
}
