import CampusKit
import FluentKit
import Foundation
import SQLKit

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
    /// 0 until its room, times or purpose change. Fluent writes every field of a new row (SQLite has
    /// no `DEFAULT` in `VALUES`), so a row made with Fluent must set it; SQLKit inserts take the default.
    @Field(key: "revision") var revision: Int
    @OptionalField(key: "updated_at") var updatedAt: Date?
    @OptionalField(key: "cancel_reason") var cancelReason: String?
    @OptionalField(key: "cancelled_by") var cancelledBy: String?
    @OptionalField(key: "check_in_opens_at") var checkInOpensAt: Date?
    @OptionalField(key: "check_in_closes_at") var checkInClosesAt: Date?
    @OptionalField(key: "checked_in_at") var checkedInAt: Date?
    @OptionalField(key: "decide_by") var decideBy: Date?
    @OptionalField(key: "requester_name") var requesterName: String?
    @OptionalField(key: "requester_email") var requesterEmail: String?
    @OptionalField(key: "decided_at") var decidedAt: Date?
    @OptionalField(key: "decided_by") var decidedBy: String?
    @OptionalField(key: "decider_name") var deciderName: String?

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
        self.revision = 0
    }

    /// A `bookings` row read with SQLKit, as a booking.
    static func domain(of row: any SQLRow) throws -> Booking {
        let id = try row.decode(column: "id", as: Int.self)
        let date = try row.decode(column: "date", as: String.self)
        let start = try row.decode(column: "start_time", as: String.self)
        let end = try row.decode(column: "end_time", as: String.self)
        let status = try row.decode(column: "status", as: String.self)
        guard let day = CalendarDate(date), let startTime = WallClockTime(start), let endTime = WallClockTime(end),
            let state = BookingStatus(rawValue: status)
        else {
            throw CorruptRecord(table: schema, id: String(id), "date, times or status cannot be read")
        }
        return Booking(
            id: id, roomID: try row.decode(column: "room_id", as: Int.self), userID: try row.decode(column: "user_id", as: String.self),
            date: day, startTime: startTime, endTime: endTime, startsAt: try row.decode(column: "starts_at", as: Date.self),
            endsAt: try row.decode(column: "ends_at", as: Date.self), purpose: try row.decode(column: "purpose", as: String.self), status: state,
            seriesID: try row.decode(column: "series_id", as: String?.self), createdAt: try row.decode(column: "created_at", as: Date.self),
            cancelledAt: try row.decode(column: "cancelled_at", as: Date?.self), revision: try row.decode(column: "revision", as: Int.self),
            updatedAt: try row.decode(column: "updated_at", as: Date?.self), cancelReason: try row.decode(column: "cancel_reason", as: String?.self),
            cancelledBy: try row.decode(column: "cancelled_by", as: String?.self),
            checkIn: window(try row.decode(column: "check_in_opens_at", as: Date?.self), try row.decode(column: "check_in_closes_at", as: Date?.self)),
            checkedInAt: try row.decode(column: "checked_in_at", as: Date?.self),
            approval: approval(
                decideBy: try row.decode(column: "decide_by", as: Date?.self), requesterName: try row.decode(column: "requester_name", as: String?.self),
                requesterEmail: try row.decode(column: "requester_email", as: String?.self),
                decidedAt: try row.decode(column: "decided_at", as: Date?.self), decidedBy: try row.decode(column: "decided_by", as: String?.self),
                deciderName: try row.decode(column: "decider_name", as: String?.self)))
    }

    func domain() throws -> Booking {
        guard let id, let date = CalendarDate(date), let start = WallClockTime(startTime), let end = WallClockTime(endTime),
            let status = BookingStatus(rawValue: status)
        else {
            throw CorruptRecord(table: Self.schema, id: id.map(String.init), "date, times or status cannot be read")
        }
        return Booking(
            id: id, roomID: roomID, userID: userID, date: date, startTime: start, endTime: end, startsAt: startsAt, endsAt: endsAt,
            purpose: purpose, status: status, seriesID: seriesID, createdAt: createdAt, cancelledAt: cancelledAt, revision: revision,
            updatedAt: updatedAt, cancelReason: cancelReason, cancelledBy: cancelledBy, checkIn: Self.window(checkInOpensAt, checkInClosesAt),
            checkedInAt: checkedInAt,
            approval: Self.approval(
                decideBy: decideBy, requesterName: requesterName, requesterEmail: requesterEmail, decidedAt: decidedAt, decidedBy: decidedBy,
                deciderName: deciderName)
        )
    }

    private static func approval(
        decideBy: Date?, requesterName: String?, requesterEmail: String?, decidedAt: Date?, decidedBy: String?, deciderName: String?
    ) -> BookingApproval? {
        guard let decideBy else { return nil }
        return BookingApproval(
            decideBy: decideBy, requesterName: requesterName ?? "", requesterEmail: requesterEmail ?? "", decidedAt: decidedAt, deciderID: decidedBy,
            deciderName: deciderName)
    }

    private static func window(_ opensAt: Date?, _ closesAt: Date?) -> CheckInWindow? {
        guard let opensAt, let closesAt else { return nil }
        return CheckInWindow(opensAt: opensAt, closesAt: closesAt)
    }
}
