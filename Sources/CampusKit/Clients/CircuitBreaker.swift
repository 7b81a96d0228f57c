import Foundation
import NIOConcurrencyHelpers

/// One breaker per downstream service: `threshold` consecutive failures open it for `openFor`
/// seconds, during which calls fail at once. After that one trial call decides: success closes
/// it, failure opens it again.
public final class CircuitBreaker: Sendable {
    public enum State: Equatable, Sendable {
        case closed(consecutiveFailures: Int)
        case open(until: Date)
        case halfOpen
    }

    public let threshold: Int
    public let openFor: TimeInterval
    private let now: @Sendable () -> Date
    private let state = NIOLockedValueBox<State>(.closed(consecutiveFailures: 0))

    public init(threshold: Int = 5, openFor: TimeInterval = 60, now: @escaping @Sendable () -> Date = Date.init) {
        self.threshold = threshold
        self.openFor = openFor
        self.now = now
    }

    public var currentState: State { state.withLockedValue { $0 } }

    /// True while calls fail at once (open and not yet due for a trial); has no side effect.
    public var isOpen: Bool {
        state.withLockedValue { state in
            if case .open(let until) = state { return until > now() }
            return false
        }
    }

    /// Seconds until a call may be tried, or `nil` if it may go now (and, half-open, the trial is taken).
    public func permit() -> TimeInterval? {
        state.withLockedValue { state in
            switch state {
            case .closed:
                return nil
            case .halfOpen:
                return 1  // a trial call is already under way
            case .open(let until):
                let remaining = until.timeIntervalSince(now())
                if remaining > 0 { return remaining }
                state = .halfOpen
                return nil
            }
        }
    }

    public func recordSuccess() {
        state.withLockedValue { $0 = .closed(consecutiveFailures: 0) }
    }

    public func recordFailure() {
        state.withLockedValue { state in
            switch state {
            case .halfOpen:
                state = .open(until: now().addingTimeInterval(openFor))
            case .closed(let failures):
                state = failures + 1 >= threshold ? .open(until: now().addingTimeInterval(openFor)) : .closed(consecutiveFailures: failures + 1)
            case .open:
                break
            }
        }
    }
}
