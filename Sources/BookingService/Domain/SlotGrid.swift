import CampusKit
import Foundation

/// The bookable slots of a day: from `BOOKING_OPEN` to `BOOKING_CLOSE` in steps of
/// `BOOKING_SLOT_MINUTES`, wall-clock times in the campus time zone. A booking covers whole slots.
public struct SlotGrid: Sendable {
    public let open: WallClockTime
    public let close: WallClockTime
    public let slotMinutes: Int
    public let calendar: CampusCalendar

    /// One slot of the grid, in wall-clock time.
    public struct Slot: Sendable, Equatable {
        public let start: WallClockTime
        public let end: WallClockTime
    }

    /// One slot of a given day, with the instants it spans.
    public struct DaySlot: Sendable, Equatable {
        public let start: WallClockTime
        public let end: WallClockTime
        public let startsAt: Date
        public let endsAt: Date
    }

    public init(open: WallClockTime, close: WallClockTime, slotMinutes: Int, timeZone: TimeZone) {
        self.open = open
        self.close = close
        self.slotMinutes = slotMinutes
        self.calendar = CampusCalendar(timeZone: timeZone)
    }

    public init(settings: Settings) {
        self.init(open: settings.bookingOpen, close: settings.bookingClose, slotMinutes: settings.bookingSlotMinutes, timeZone: settings.campusTimeZone)
    }

    /// Every slot of an ordinary day.
    public var slots: [Slot] {
        stride(from: open.minutesSinceMidnight, to: close.minutesSinceMidnight, by: slotMinutes).map {
            Slot(start: WallClockTime(minutesSinceMidnight: $0), end: WallClockTime(minutesSinceMidnight: min($0 + slotMinutes, close.minutesSinceMidnight)))
        }
    }

    /// The slots of `date` with their instants. A slot the clocks skip that day (spring change
    /// inside opening hours) has no length and is left out.
    public func slots(on date: CalendarDate) -> [DaySlot] {
        slots.compactMap { slot in
            let startsAt = calendar.instant(date, slot.start)
            let endsAt = calendar.instant(date, slot.end)
            return endsAt > startsAt ? DaySlot(start: slot.start, end: slot.end, startsAt: startsAt, endsAt: endsAt) : nil
        }
    }

    /// The instants of the whole opening day of `date`.
    public func openingHours(on date: CalendarDate) -> (from: Date, to: Date) {
        (calendar.instant(date, open), calendar.instant(date, close))
    }

    /// Checks that `start`–`end` covers whole slots inside opening hours.
    public func validate(start: WallClockTime, end: WallClockTime) throws(SlotRefusal) {
        guard end > start else { throw .endNotAfterStart(start: start, end: end) }
        guard start >= open else { throw .startBeforeOpening(start, hours: hours) }
        guard start < close else { throw .startNotBeforeClosing(start, hours: hours) }
        guard end <= close else { throw .endAfterClosing(end, hours: hours) }
        guard isOnGrid(start) else { throw .notSlotStart(start, grid: gridDescription) }
        guard isOnGrid(end) || end == close else { throw .notSlotEnd(end, grid: gridDescription) }
    }

    /// Opening hours as a refusal names them.
    var hours: SlotRefusal.Hours { .init(open: open, close: close) }

    /// The instants of `start`–`end` on `date`; refused when the clocks skip part of it that day.
    public func interval(on date: CalendarDate, start: WallClockTime, end: WallClockTime) throws(SlotRefusal) -> (startsAt: Date, endsAt: Date) {
        let startsAt = calendar.instant(date, start)
        let endsAt = calendar.instant(date, end)
        let skipped = slots(on: date).count < slots.count
        if skipped {
            // Keep only bookings made entirely of slots that exist on this day.
            let existing = slots(on: date)
            let covered = slots.filter { $0.start >= start && $0.end <= end }
            guard covered.allSatisfy({ slot in existing.contains { $0.start == slot.start } }) else {
                throw .skippedByClocks(start: start, end: end, date: date, zone: calendar.timeZone.campusName)
            }
        }
        return (startsAt, endsAt)
    }

    private func isOnGrid(_ time: WallClockTime) -> Bool {
        (time.minutesSinceMidnight - open.minutesSinceMidnight) % slotMinutes == 0
    }

    private var gridDescription: String {
        "slots are \(slotMinutes) minutes long starting at \(open) (\(slots.prefix(3).map { $0.start.description }.joined(separator: ", ")), …)"
    }
}

/// A time range the slot grid cannot book.
public enum SlotRefusal: Error, Sendable, Equatable {
    public struct Hours: Sendable, Equatable {
        public let open: WallClockTime
        public let close: WallClockTime
    }

    case endNotAfterStart(start: WallClockTime, end: WallClockTime)
    case startBeforeOpening(WallClockTime, hours: Hours)
    case startNotBeforeClosing(WallClockTime, hours: Hours)
    case endAfterClosing(WallClockTime, hours: Hours)
    /// `grid` says how the day is cut ("slots are 30 minutes from 08:00").
    case notSlotStart(WallClockTime, grid: String)
    case notSlotEnd(WallClockTime, grid: String)
    /// Daylight saving skips part of `start`–`end` on `date` in `zone`.
    case skippedByClocks(start: WallClockTime, end: WallClockTime, date: CalendarDate, zone: String)
}
