/// A wall-clock time `HH:MM` in the campus time zone: opening hours in settings, a booking's
/// start and end on the wire.
public struct WallClockTime: Sendable, Hashable, Comparable, CustomStringConvertible {
    public let minutesSinceMidnight: Int

    /// Exactly `HH:MM`, digits only, 00:00–23:59 (so `+1:00` and `9:00` are refused).
    public init?(_ text: String) {
        let characters = Array(text)
        guard characters.count == 5, characters[2] == ":",
            characters.enumerated().allSatisfy({ $0.offset == 2 || $0.element.isASCIIDigit }),
            let hour = Int(String(characters[0...1])), let minute = Int(String(characters[3...4])),
            (0...23).contains(hour), (0...59).contains(minute)
        else { return nil }
        minutesSinceMidnight = hour * 60 + minute
    }

    public init(minutesSinceMidnight: Int) { self.minutesSinceMidnight = minutesSinceMidnight }

    public var description: String {
        String(minutesSinceMidnight / 60).leftPadded(to: 2) + ":" + String(minutesSinceMidnight % 60).leftPadded(to: 2)
    }

    public static func < (lhs: Self, rhs: Self) -> Bool { lhs.minutesSinceMidnight < rhs.minutesSinceMidnight }
}
