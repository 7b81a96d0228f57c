import CampusKit
import Foundation
import Testing

@testable import BookingService

/// The slot grid and the campus clock as pure domain logic: no HTTP, no database.
@Suite struct SlotGridTests {
    func grid(_ zone: String = "UTC", open: String = "08:00", close: String = "18:00", minutes: Int = 60) throws -> SlotGrid {
        SlotGrid(
            open: try #require(WallClockTime(open)), close: try #require(WallClockTime(close)), slotMinutes: minutes,
            timeZone: try #require(TimeZone(identifier: zone))
        )
    }

    func time(_ text: String) throws -> WallClockTime { try #require(WallClockTime(text)) }
    func date(_ text: String) throws -> CalendarDate { try #require(CalendarDate(text)) }
    func utc(_ text: String) throws -> Date { try Date(text, strategy: .iso8601) }

    /// The `field:` the 422 of the refusal names, or nil when `body` does not refuse.
    func refusal(_ body: () throws -> Void) -> String? {
        do {
            try body()
            return nil
        } catch let refusal as any ProblemConvertible {
            let error = refusal.problem
            return error.status == .unprocessableContent ? String(error.detail.prefix { $0 != ":" }) : "status \(error.status.code)"
        } catch {
            return "\(error)"
        }
    }

    @Test func aDayIsSpokenWithItsWeekdayForPeople() throws {
        // Checked against a printed calendar: 1 December 2026 is a Tuesday, 29 February 2028 a Tuesday,
        // 1 January 1970 a Thursday, 31 December 1969 a Wednesday.
        #expect(try #require(CalendarDate("2026-12-01")).spoken == "Tuesday 1 December 2026")
        #expect(try #require(CalendarDate("2028-02-29")).spoken == "Tuesday 29 February 2028")
        #expect(try #require(CalendarDate("1970-01-01")).spoken == "Thursday 1 January 1970")
        #expect(CalendarDate(daysSinceEpoch: -1).spoken == "Wednesday 31 December 1969")
    }

    @Test func theGridRunsFromOpeningToClosingInWholeSlots() throws {
        let slots = try grid().slots
        #expect(slots.count == 10)
        #expect(slots.first == SlotGrid.Slot(start: try time("08:00"), end: try time("09:00")))
        #expect(slots.last == SlotGrid.Slot(start: try time("17:00"), end: try time("18:00")))
        let half = try grid(open: "09:00", close: "12:00", minutes: 30).slots
        #expect(half.map(\.start.description) == ["09:00", "09:30", "10:00", "10:30", "11:00", "11:30"])
    }

    @Test func firstSlotLastSlotAndWholeDayAreValid() throws {
        let grid = try grid()
        #expect(refusal { try grid.validate(start: try time("08:00"), end: try time("09:00")) } == nil)
        #expect(refusal { try grid.validate(start: try time("17:00"), end: try time("18:00")) } == nil)
        #expect(refusal { try grid.validate(start: try time("08:00"), end: try time("18:00")) } == nil)
    }

    @Test func timesOutsideOpeningHoursAreRefusedNamingTheField() throws {
        let grid = try grid()
        #expect(refusal { try grid.validate(start: try time("07:00"), end: try time("08:00")) } == "start_time")
        #expect(refusal { try grid.validate(start: try time("07:00"), end: try time("09:00")) } == "start_time")
        #expect(refusal { try grid.validate(start: try time("18:00"), end: try time("19:00")) } == "start_time")
        #expect(refusal { try grid.validate(start: try time("17:00"), end: try time("19:00")) } == "end_time")
    }

    @Test func endMustComeAfterStart() throws {
        let grid = try grid()
        #expect(refusal { try grid.validate(start: try time("11:00"), end: try time("10:00")) } == "end_time")
        #expect(refusal { try grid.validate(start: try time("10:00"), end: try time("10:00")) } == "end_time")
    }

    @Test func timesOffTheGridAreRefused() throws {
        let grid = try grid()
        #expect(refusal { try grid.validate(start: try time("10:30"), end: try time("11:30")) } == "start_time")
        #expect(refusal { try grid.validate(start: try time("10:00"), end: try time("10:45")) } == "end_time")
        let halves = try self.grid(minutes: 30)
        #expect(refusal { try halves.validate(start: try time("10:30"), end: try time("11:00")) } == nil)
        #expect(refusal { try halves.validate(start: try time("10:15"), end: try time("11:00")) } == "start_time")
    }

    @Test func datesAndTimesAreParsedStrictly() throws {
        #expect(CalendarDate("2026-02-28") != nil)
        #expect(CalendarDate("2026-02-29") == nil)
        #expect(CalendarDate("2028-02-29") != nil)
        #expect(CalendarDate("2100-02-29") == nil)
        #expect(CalendarDate("2026-02-30") == nil)
        #expect(CalendarDate("2026-13-01") == nil)
        #expect(CalendarDate("2026-1-01") == nil)
        #expect(CalendarDate("+026-01-01") == nil)
        #expect(CalendarDate("tomorrow") == nil)
        #expect(WallClockTime("25:00") == nil)
        #expect(WallClockTime("10:60") == nil)
        #expect(WallClockTime("+1:00") == nil)
        #expect(WallClockTime("9:00") == nil)
        #expect(WallClockTime("09:00")?.minutesSinceMidnight == 540)
    }

    @Test func dayArithmeticRoundTripsAcrossYearsAndLeapDays() throws {
        #expect(try date("1970-01-01").daysSinceEpoch == 0)
        #expect(try date("2026-11-27").daysSinceEpoch == 20_784)
        #expect(try date("2028-02-28").adding(days: 1).description == "2028-02-29")
        #expect(try date("2026-12-31").adding(days: 1).description == "2027-01-01")
        #expect(try date("2026-11-27").days(until: try date("2027-02-25")) == 90)
        for days in stride(from: -1000, through: 40_000, by: 37) {
            #expect(CalendarDate(daysSinceEpoch: days).daysSinceEpoch == days)
        }
    }

    @Test func aZoneWithoutDaylightSavingKeepsOneOffsetAllYear() throws {
        let calendar = CampusCalendar(timeZone: try #require(TimeZone(identifier: "Asia/Tokyo")))
        #expect(calendar.instant(try date("2026-03-29"), try time("08:00")) == (try utc("2026-03-28T23:00:00Z")))
        #expect(calendar.instant(try date("2026-10-25"), try time("08:00")) == (try utc("2026-10-24T23:00:00Z")))
        // 23:30 UTC is already the next day in Tokyo.
        #expect(calendar.date(at: try utc("2026-11-27T23:30:00Z")).description == "2026-11-28")
        let slots = try grid("Asia/Tokyo").slots(on: try date("2026-03-29"))
        #expect(slots.count == 10)
        #expect(slots.allSatisfy { $0.endsAt.timeIntervalSince($0.startsAt) == 3600 })
    }

    @Test func londonGainsAnHourOnTheLastSundayOfMarch() throws {
        let calendar = CampusCalendar(timeZone: try #require(TimeZone(identifier: "Europe/London")))
        // The day before: GMT (UTC+0). The day itself, from 01:00 GMT: BST (UTC+1).
        #expect(calendar.instant(try date("2026-03-28"), try time("08:00")) == (try utc("2026-03-28T08:00:00Z")))
        #expect(calendar.instant(try date("2026-03-29"), try time("08:00")) == (try utc("2026-03-29T07:00:00Z")))
        #expect(calendar.instant(try date("2026-03-29"), try time("00:30")) == (try utc("2026-03-29T00:30:00Z")))
        // 01:30 does not exist that night; it is read as 02:30 BST.
        #expect(calendar.instant(try date("2026-03-29"), try time("01:30")) == (try utc("2026-03-29T01:30:00Z")))
        // Opening hours keep ten one-hour slots.
        let slots = try grid("Europe/London").slots(on: try date("2026-03-29"))
        #expect(slots.count == 10)
        #expect(slots.first?.startsAt == (try utc("2026-03-29T07:00:00Z")))
        #expect(slots.allSatisfy { $0.endsAt.timeIntervalSince($0.startsAt) == 3600 })
    }

    @Test func londonRepeatsAnHourOnTheLastSundayOfOctober() throws {
        let calendar = CampusCalendar(timeZone: try #require(TimeZone(identifier: "Europe/London")))
        #expect(calendar.instant(try date("2026-10-24"), try time("08:00")) == (try utc("2026-10-24T07:00:00Z")))
        #expect(calendar.instant(try date("2026-10-25"), try time("08:00")) == (try utc("2026-10-25T08:00:00Z")))
        // 01:30 happens twice; the first (BST) is meant.
        #expect(calendar.instant(try date("2026-10-25"), try time("01:30")) == (try utc("2026-10-25T00:30:00Z")))
        #expect(calendar.date(at: try utc("2026-10-24T23:30:00Z")).description == "2026-10-25")
        #expect(calendar.date(at: try utc("2026-03-28T23:30:00Z")).description == "2026-03-28")
    }

    @Test func aSlotTheClocksSkipIsLeftOutAndCannotBeBooked() throws {
        let night = try grid("Europe/London", open: "00:00", close: "04:00")
        let day = try date("2026-03-29")
        #expect(night.slots(on: day).map(\.start.description) == ["00:00", "02:00", "03:00"])
        #expect(night.slots(on: try date("2026-03-30")).count == 4)
        #expect(refusal { _ = try night.interval(on: day, start: try time("01:00"), end: try time("02:00")) } == "start_time")
        #expect(refusal { _ = try night.interval(on: day, start: try time("02:00"), end: try time("03:00")) } == nil)
        // In autumn the repeated hour is one ordinary slot (its first occurrence), and a booking over it lasts two real hours.
        let autumn = try night.interval(on: try date("2026-10-25"), start: try time("01:00"), end: try time("02:00"))
        #expect(autumn.endsAt.timeIntervalSince(autumn.startsAt) == 7200)
    }
}
