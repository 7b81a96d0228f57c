import CampusKit
import Foundation
import Hummingbird

/// The booking object of docs/contract.md §6.
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
    /// When its room, times or purpose last changed; null if never.
    public let updatedAt: Date?
    /// Why an admin or approver cancelled or declined it, or why it was released or expired; null if its owner cancelled it, or it holds its slot.
    public let cancelReason: String?
    /// Who ended it: its owner, an admin, its approver (declined), nobody checking in, or nobody deciding; null while it holds its slot.
    public let cancelledBy: Canceller?
    /// Null when its room did not require check-in when it was made or moved.
    public let checkIn: CheckInResponse?
    /// Null when its room did not require approval when it was made or moved.
    public let approval: ApprovalResponse?

    /// `{"decide_by","requested_by":{"name","email"},"decided_at","decided_by"}`: the request's
    /// deadline, who asked, and when and by whom (a name) it was approved or declined.
    public struct ApprovalResponse: Codable, Sendable, Equatable {
        public let decideBy: Date
        public let requestedBy: Person
        public let decidedAt: Date?
        public let decidedBy: String?

        public struct Person: Codable, Sendable, Equatable {
            public let name: String
            public let email: String
        }

        init(_ approval: BookingApproval) {
            decideBy = approval.decideBy
            requestedBy = Person(name: approval.requesterName, email: approval.requesterEmail)
            decidedAt = approval.decidedAt
            decidedBy = approval.deciderName
        }

        public func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(decideBy, forKey: .decideBy)
            try container.encode(requestedBy, forKey: .requestedBy)
            try container.encode(decidedAt, forKey: .decidedAt)
            try container.encode(decidedBy, forKey: .decidedBy)
        }
    }

    /// `{"opens_at","closes_at","checked_in_at"}`: when its owner may check in, when it is released
    /// if they have not, and when they did (null until then).
    public struct CheckInResponse: Codable, Sendable, Equatable {
        public let opensAt: Date
        public let closesAt: Date
        public let checkedInAt: Date?

        public func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(opensAt, forKey: .opensAt)
            try container.encode(closesAt, forKey: .closesAt)
            try container.encode(checkedInAt, forKey: .checkedInAt)
        }
    }

    public enum Canceller: String, Codable, Sendable {
        case owner, admin, approver
        case noCheckIn = "no_check_in"
        case noDecision = "no_decision"
    }

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
        updatedAt = booking.updatedAt
        cancelReason = booking.cancelReason
        cancelledBy =
            switch (booking.status, booking.cancelledBy) {
            case (.confirmed, _), (.pending, _): nil
            case (.cancelled, nil): .owner
            case (.cancelled, Booking.releasedForNoCheckIn): .noCheckIn
            case (.cancelled, Booking.expiredUndecided): .noDecision
            case (.cancelled, let by?) where by == booking.approval?.deciderID: .approver
            case (.cancelled, _): .admin
            }
        checkIn = booking.checkIn.map { CheckInResponse(opensAt: $0.opensAt, closesAt: $0.closesAt, checkedInAt: booking.checkedInAt) }
        approval = booking.approval.map(ApprovalResponse.init)
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
        try container.encode(updatedAt, forKey: .updatedAt)
        try container.encode(cancelReason, forKey: .cancelReason)
        try container.encode(cancelledBy, forKey: .cancelledBy)
        try container.encode(checkIn, forKey: .checkIn)
        try container.encode(approval, forKey: .approval)
    }
}

/// The 201 body of a weekly series: `{"series_id","bookings":[...]}`.
public struct SeriesResponse: Codable, Sendable, Equatable, ResponseEncodable {
    public let seriesId: String
    public let bookings: [BookingResponse]
}

/// `GET /bookings/limits`: the caller's booking limits (docs/contract.md §6) and their upcoming bookings.
struct LimitsResponse: Codable, Sendable, ResponseEncodable {
    let maxMinutes: Int
    let daysAhead: Int
    let maxUpcoming: Int
    let upcoming: Int
    let facultyOnlyRooms: Bool
    let series: Bool

    init(_ limits: BookingLimits, upcoming: Int) {
        maxMinutes = limits.longestBookingMinutes
        daysAhead = limits.daysAhead
        maxUpcoming = limits.upcomingAtOnce
        self.upcoming = upcoming
        facultyOnlyRooms = limits.mayBookFacultyOnlyRooms
        series = limits.mayBookWeeklySeries
    }
}
