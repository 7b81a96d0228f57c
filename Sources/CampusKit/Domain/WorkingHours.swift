import Foundation

/// `SLA_WORKING_HOURS` and `SLA_HOLIDAYS`: the hours a maintenance SLA clock runs, such as
/// `Mon-Fri 08:00-18:00`, less the campus's holidays, in the campus time zone. An SLA of 4 working
/// hours reported on Friday at 17:00 is due on Monday at 11:00.
public struct WorkingHours: Sendable, Equatable, CustomStringConvertible {
    /// ISO weekdays: 1 Monday … 7 Sunday.
    public let weekdays: Set<Int>
    public let opens: WallClockTime
    public let closes: WallClockTime
    public let holidays: Set<CalendarDate>

    static let dayNames = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]

    public init(weekdays: Set<Int>, opens: WallClockTime, closes: WallClockTime, holidays: Set<CalendarDate> = []) {
        self.weekdays = weekdays
        self.opens = opens
        self.closes = closes
        self.holidays = holidays
    }

    /// `Mon-Fri 08:00-18:00`, `Mon-Sat 07:30-19:00`, `Mon,Wed,Fri 09:00-17:00` (day names in
    /// English, any case); nil for anything else, or a day that closes before it opens.
    public init?(_ text: String, holidays: Set<CalendarDate> = []) {
        let parts = text.split(separator: " ", omittingEmptySubsequences: true)
        guard parts.count == 2 else { return nil }
        var days: Set<Int> = []
        for item in parts[0].lowercased().split(separator: ",", omittingEmptySubsequences: false) {
            let range = item.split(separator: "-", omittingEmptySubsequences: false)
            guard (1...2).contains(range.count),
                let first = Self.dayNames.firstIndex(of: String(range[0])).map({ $0 + 1 }),
                let last = Self.dayNames.firstIndex(of: String(range[range.count - 1])).map({ $0 + 1 }),
                first <= last
            else { return nil }
            days.formUnion(first...last)
        }
        let times = parts[1].split(separator: "-", omittingEmptySubsequences: false)
        guard times.count == 2, let opens = WallClockTime(String(times[0])), let closes = WallClockTime(String(times[1])), opens < closes else {
            return nil
        }
        self.init(weekdays: days, opens: opens, closes: closes, holidays: holidays)
    }

    public var description: String {
        let names = weekdays.sorted().map { Self.dayNames[$0 - 1].capitalized }
        return "\(names.joined(separator: ",")) \(opens)-\(closes)"
    }

    /// The moment `seconds` of working time after `start`, in `zone`: time outside the working
    /// hours, on other days and on holidays does not count. Wall-clock times are read as
    /// `CampusCalendar` reads them across daylight-saving changes.
    public func adding(seconds: Int, to start: Date, in zone: TimeZone) -> Date {
        let calendar = CampusCalendar(timeZone: zone)
        var remaining = TimeInterval(seconds)
        var day = calendar.date(at: start)
        // Ten years of days: far beyond any SLA, and a bound should the holidays cover every working day.
        for _ in 0..<3660 {
            if isWorkingDay(day) {
                let from = max(start, calendar.instant(day, opens))
                let end = calendar.instant(day, closes)
                if from < end {
                    let available = end.timeIntervalSince(from)
                    if remaining <= available { return from.addingTimeInterval(remaining) }
                    remaining -= available
                }
            }
            day = day.adding(days: 1)
        }
        return start.addingTimeInterval(TimeInterval(seconds))
    }

    /// The working time, in whole seconds, from `start` to `end` in `zone` (0 when `end` is not
    /// after `start`): the inverse of ``adding(seconds:to:in:)``.
    public func seconds(from start: Date, to end: Date, in zone: TimeZone) -> Int {
        guard end > start else { return 0 }
        let calendar = CampusCalendar(timeZone: zone)
        var total: TimeInterval = 0
        var day = calendar.date(at: start)
        let last = calendar.date(at: end)
        while day <= last {
            if isWorkingDay(day) {
                let from = max(start, calendar.instant(day, opens))
                let until = min(end, calendar.instant(day, closes))
                if from < until { total += until.timeIntervalSince(from) }
            }
            day = day.adding(days: 1)
        }
        return Int(total.rounded(.down))
    }

    /// A day of the working week that is not a holiday.
    private func isWorkingDay(_ day: CalendarDate) -> Bool {
        // 1970-01-01 was a Thursday (ISO 4).
        let isoWeekday = ((day.daysSinceEpoch + 3) % 7 + 7) % 7 + 1
        return weekdays.contains(isoWeekday) && !holidays.contains(day)
    }
}
