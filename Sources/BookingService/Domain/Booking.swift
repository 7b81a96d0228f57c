import CampusKit
import Foundation

public enum BookingStatus: String, Codable, Sendable, CaseIterable {
    /// A request for a room that requires approval, waiting for a decision (``ApprovalRule``).
    case pending
    case confirmed
    case cancelled

    /// "pending, confirmed, cancelled", for a refusal of another value.
    public static let spokenValues = allCases.map(\.rawValue).joined(separator: ", ")
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
    /// When it was cancelled; nil while confirmed.
    public var cancelledAt: Date? = nil
    /// How many times its room, times or purpose were changed: a calendar's `SEQUENCE`.
    public var revision: Int = 0
    /// When it was last changed; nil if never.
    public var updatedAt: Date? = nil
    /// Why someone other than its owner (an admin) cancelled it, and who; nil otherwise.
    public var cancelReason: String? = nil
    public var cancelledBy: String? = nil
    /// When its owner may check in and when it is released if they have not (``CheckInRule``);
    /// nil when its room did not require check-in when it was made or moved.
    public var checkIn: CheckInWindow? = nil
    public var checkedInAt: Date? = nil
    /// Set when its room required approval: the request's deadline, who asked, and the decision.
    public var approval: BookingApproval? = nil

    /// `10:00–11:00 on 2026-12-01`, as people read it.
    /// When it is, as a person reads it in a notice or a refusal: "Thursday 3 December 2026, 14:00–16:00".
    public var spokenWhen: String { "\(date.spoken), \(startTime)–\(endTime)" }
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
    /// Who asks, as their token names them: shown to the approver of a room that requires approval.
    public var requester: Requester? = nil
}

/// `GET /bookings` filters.
public struct BookingFilter: Sendable, Equatable {
    public var from: CalendarDate?
    public var to: CalendarDate?
    public var status: BookingStatus?
    /// Any of these statuses, when `status` is nil (a room's bookings default to those holding it).
    public var statuses: [BookingStatus]? = nil
    public var roomID: Int?

    public init(from: CalendarDate? = nil, to: CalendarDate? = nil, status: BookingStatus? = nil, roomID: Int? = nil) {
        self.from = from
        self.to = to
        self.status = status
        self.roomID = roomID
    }
}
