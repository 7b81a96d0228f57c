import CampusKit
import FluentKit
import Foundation

/// The `bookings` table row: the campus date and wall-clock times as the booker gave them,
/// plus the UTC instants they stand for, which every overlap check compares.
final class BookingRecord: Model, @unchecked Sendable {
    static let schema = "bookings"

    @ID(custom: "id", generatedBy: .database) var id: Int?
    @Field(key: "room_id") var roomID: Int
    @Field(key: "user_id") var userID: String
    @Field(key: "date") var date: String
    @Field(key: "start_time") var startTime: String
    @Field(key: "end_time") var endTime: String
    @Field(key: "starts_at") var startsAt: Date
    @Field(key: "ends_at") var endsAt: Date
    @Field(key: "purpose") var purpose: String
    @Field(key: "status") var status: String
    @OptionalField(key: "series_id") var seriesID: String?
    @Field(key: "created_at") var createdAt: Date
    @OptionalField(key: "cancelled_at") var cancelledAt: Date?

    init() {}

    init(_ plan: BookingPlan, _ occurrence: Occurrence, now: Date) {
        self.roomID = plan.roomID
        self.userID = plan.userID
        self.date = occurrence.date.description
        self.startTime = plan.startTime.description
        self.endTime = plan.endTime.description
        self.startsAt = occurrence.startsAt
        self.endsAt = occurrence.endsAt
        self.purpose = plan.purpose
        self.status = BookingStatus.confirmed.rawValue
        self.seriesID = plan.seriesID
        self.createdAt = now
    }

    func domain() throws -> Booking {
        guard let id, let date = CalendarDate(date), let start = WallClockTime(startTime), let end = WallClockTime(endTime),
            let status = BookingStatus(rawValue: status)
        else {
            throw CorruptRecord(table: Self.schema, id: id.map(String.init), "date, times or status cannot be read")
        }
        return Booking(
            id: id, roomID: roomID, userID: userID, date: date, startTime: start, endTime: end, startsAt: startsAt, endsAt: endsAt,
            purpose: purpose, status: status, seriesID: seriesID, createdAt: createdAt, cancelledAt: cancelledAt
        )
    }
}
