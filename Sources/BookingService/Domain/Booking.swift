import CampusKit
import Foundation
import Hummingbird

public enum BookingStatus: String, Codable, Sendable, CaseIterable {
    case confirmed
    case cancelled
}

/// A booking of one room for whole slots of one day.
public struct Booking: Sendable, Equatable {
    public var id: Int
    public var roomID: Int
    public var userID: String
    public var date: CalendarDate
    public var startTime: WallClockTime
    public var endTime: WallClockTime
    /// The UTC instants of `startTime` and `endTime` on `date` in the campus time zone.
    public var startsAt: Date
    public var endsAt: Date
    public var purpose: String
    public var status: BookingStatus
    /// Shared by the bookings of one weekly series.
    public var seriesID: String?
    public var createdAt: Date

    /// `10:00–11:00 on 2026-12-01`, as people read it.
    public var when: String { "\(startTime)–\(endTime) on \(date)" }
}

/// The booking object of CONTRACT §6.
public struct BookingResponse: Codable, Sendable, Equatable, ResponseEncodable {
    public let id: Int
    public let roomId: Int
    public let userId: String
    public let date: String
    public let startTime: String
    public let endTime: String
    public let purpose: String
    public let status: BookingStatus
    public let seriesId: String?
    public let createdAt: Date

    public init(_ booking: Booking) {
        id = booking.id
        roomId = booking.roomID
        userId = booking.userID
        date = booking.date.description
        startTime = booking.startTime.description
        endTime = booking.endTime.description
        purpose = booking.purpose
        status = booking.status
        seriesId = booking.seriesID
        createdAt = booking.createdAt
    }

    /// `series_id` is always present, `null` for a single booking; `user_id` is the integer it is.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(id, forKey: .id)
        try container.encode(roomId, forKey: .roomId)
        try container.encode(try WireID(stored: userId), forKey: .userId)
        try container.encode(date, forKey: .date)
        try container.encode(startTime, forKey: .startTime)
        try container.encode(endTime, forKey: .endTime)
        try container.encode(purpose, forKey: .purpose)
        try container.encode(status, forKey: .status)
        try container.encode(seriesId, forKey: .seriesId)
        try container.encode(createdAt, forKey: .createdAt)
    }
}

/// The 201 body of a weekly series: `{"series_id","bookings":[...]}`.
public struct SeriesResponse: Codable, Sendable, Equatable, ResponseEncodable {
    public let seriesId: String
    public let bookings: [BookingResponse]
}

/// One day of a booking about to be made: the first, or one week of a series.
public struct Occurrence: Sendable, Equatable {
    public let date: CalendarDate
    public let startsAt: Date
    public let endsAt: Date
}

/// A checked request, ready for the repository: every occurrence lies on the slot grid, in the
/// future and within the role's length and advance limits. What needs the database (the room,
/// the upcoming count, overlaps) is checked in the transaction that stores it.
public struct BookingPlan: Sendable, Equatable {
    public let roomID: Int
    public let userID: String
    public let startTime: WallClockTime
    public let endTime: WallClockTime
    public let purpose: String
    public let occurrences: [Occurrence]
    public let seriesID: String?
}

/// `GET /bookings` filters.
public struct BookingFilter: Sendable, Equatable {
    public var from: CalendarDate?
    public var to: CalendarDate?
    public var status: BookingStatus?

    public init(from: CalendarDate? = nil, to: CalendarDate? = nil, status: BookingStatus? = nil) {
        self.from = from
        self.to = to
        self.status = status
    }
}
