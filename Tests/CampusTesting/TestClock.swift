import Foundation
import NIOConcurrencyHelpers

/// A clock tests move by hand.
public final class TestClock: Sendable {
    private let current: NIOLockedValueBox<Date>
    public init(_ start: Date = Date()) { current = NIOLockedValueBox(start) }
    public var now: Date { current.withLockedValue { $0 } }
    public func advance(by seconds: TimeInterval) { current.withLockedValue { $0 = $0.addingTimeInterval(seconds) } }
}
