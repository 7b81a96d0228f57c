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
            let startsAt = calendar.instant(date, slot.start), endsAt = calendar.instant(date, slot.end)
            return endsAt > startsAt ? DaySlot(start: slot.start, end: slot.end, startsAt: startsAt, endsAt: endsAt) : nil
        }
    }

    /// The instants of the whole opening day of `date`.
    public func openingHours(on date: CalendarDate) -> (from: Date, to: Date) {
        (calendar.instant(date, open), calendar.instant(date, close))
    }

    /// Checks that `start`–`end` covers whole slots inside opening hours; a 422 names the field.
    public func validate(start: WallClockTime, end: WallClockTime) throws {
        guard end > start else {
            throw APIError.invalid("end_time", "\(end) must be after start_time \(start)")
        }
        guard start >= open else {
            throw APIError.invalid("start_time", "\(start) is before opening time \(open); rooms can be booked \(open)–\(close)")
        }
        guard start < close else {
            throw APIError.invalid("start_time", "\(start) is not before closing time \(close); rooms can be booked \(open)–\(close)")
        }
        guard end <= close else {
            throw APIError.invalid("end_time", "\(end) is after closing time \(close); rooms can be booked \(open)–\(close)")
        }
        guard isOnGrid(start) else {
            throw APIError.invalid("start_time", "\(start) is not the start of a slot; \(gridDescription)")
        }
        guard isOnGrid(end) || end == close else {
            throw APIError.invalid("end_time", "\(end) is not the end of a slot; \(gridDescription)")
        }
    }

    /// The instants of `start`–`end` on `date`; a 422 when the clocks skip part of it that day.
    public func interval(on date: CalendarDate, start: WallClockTime, end: WallClockTime) throws -> (startsAt: Date, endsAt: Date) {
        let startsAt = calendar.instant(date, start), endsAt = calendar.instant(date, end)
        let skipped = slots(on: date).count < slots.count
        if skipped {
            // Keep only bookings made entirely of slots that exist on this day.
            let existing = slots(on: date)
            let covered = slots.filter { $0.start >= start && $0.end <= end }
            guard covered.allSatisfy({ slot in existing.contains { $0.start == slot.start } }) else {
                throw APIError.invalid(
                    "start_time", "\(start)–\(end) on \(date) falls in the hour the clocks skip in \(calendar.timeZone.identifier); choose other times"
                )
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
