import Foundation

/// Turns a campus date and wall-clock time into an instant and back, in `CAMPUS_TIMEZONE`.
///
/// Daylight saving makes the mapping uneven twice a year, and the rule is fixed here once:
/// a wall-clock time skipped by the spring change is read with the offset before the change
/// (01:30 on a day that jumps 01:00 → 02:00 is the instant of 02:30), and a time repeated
/// by the autumn change is its first occurrence.
public struct CampusCalendar: Sendable {
    public let timeZone: TimeZone

    public init(timeZone: TimeZone) { self.timeZone = timeZone }

    /// The instant at which the campus clocks show `time` on `date`.
    public func instant(_ date: CalendarDate, _ time: WallClockTime) -> Date {
        // The wall clock read as if it were UTC; the real instant is this minus the zone's offset.
        let naive = TimeInterval(date.daysSinceEpoch * 86_400 + time.minutesSinceMidnight * 60)
        // Offsets half a day either side: at most one change lies in between on any real zone.
        let before = offset(at: naive - 43_200)
        let after = offset(at: naive + 43_200)
        // The larger offset gives the earlier instant, so trying it first picks the first occurrence.
        for candidate in [max(before, after), min(before, after)] where offset(at: naive - candidate) == candidate {
            return Date(timeIntervalSince1970: naive - candidate)
        }
        // In the gap of a spring change: use the offset in force before it.
        return Date(timeIntervalSince1970: naive - before)
    }

    /// The campus date at `instant` ("today" when `instant` is now).
    public func date(at instant: Date) -> CalendarDate {
        let local = instant.timeIntervalSince1970 + TimeInterval(timeZone.secondsFromGMT(for: instant))
        return CalendarDate(daysSinceEpoch: Int((local / 86_400).rounded(.down)))
    }

    /// The campus wall-clock time at `instant`, to the minute.
    public func time(at instant: Date) -> WallClockTime {
        let local = Int((instant.timeIntervalSince1970 + TimeInterval(timeZone.secondsFromGMT(for: instant))).rounded(.down))
        return WallClockTime(minutesSinceMidnight: ((local % 86_400 + 86_400) % 86_400) / 60)
    }

    /// `start`–`end` as people say it on campus: "Tuesday 8 December, 14:00–16:00".
    public func spoken(from start: Date, to end: Date) -> String {
        "\(date(at: start).spoken), \(time(at: start))–\(time(at: end))"
    }

    /// `instant` as people say it on campus: "Tuesday 8 December 2026, 14:00".
    public func spoken(_ instant: Date) -> String {
        "\(date(at: instant).spoken), \(time(at: instant))"
    }

    private func offset(at secondsSince1970: TimeInterval) -> TimeInterval {
        TimeInterval(timeZone.secondsFromGMT(for: Date(timeIntervalSince1970: secondsSince1970)))
    }
}
