import CampusKit
import Foundation

/// Approval for restricted rooms (issue 19, point 4). A room that requires approval takes
/// requests, not bookings: each is `pending`, holds its slot against everyone else (the overlap
/// guard covers pending and confirmed alike) and counts toward its booker's limits, until its
/// room's approver — the named one, or any admin when none is named — approves it (`confirmed`) or
/// declines it, or until nobody has decided by its ``BookingApproval/decideBy`` and it expires.
/// Declined and expired requests are `cancelled`, with a reason their booker reads.
public struct ApprovalRule: Sendable {
    /// `APPROVAL_HOURS`.
    public let hours: Int
    /// The campus clock its deadlines are told in.
    public let calendar: CampusCalendar

    public init(hours: Int = 48, calendar: CampusCalendar = CampusCalendar(timeZone: TimeZone(identifier: "UTC") ?? .current)) {
        self.hours = hours
        self.calendar = calendar
    }

    /// When a request made (or moved) at `now` for a booking starting at `startsAt` expires if
    /// nobody decides it: `hours` later, or at the start if that is sooner.
    public func decideBy(now: Date, startsAt: Date) -> Date {
        min(now.addingTimeInterval(TimeInterval(hours * 3600)), startsAt).wholeSeconds
    }
}

/// Who decides a room's requests: its named approver, or every admin.
public struct RoomApproval: Sendable, Equatable {
    /// The named approver (faculty or admin); nil: any admin.
    public var approverID: String?
    public var approverName: String?

    public init(approverID: String? = nil, approverName: String? = nil) {
        self.approverID = approverID
        self.approverName = approverName
    }

    /// Whether `identity` may approve or decline this room's requests.
    public func mayDecide(_ identity: Identity) -> Bool {
        identity.role == .admin || identity.userID == approverID
    }

    /// Whether a booking by `userID` in this room must wait for a decision: not when its booker
    /// is the room's approver.
    public func needsDecision(bookedBy userID: String) -> Bool { userID != approverID }

    /// Who is asked: the named approver, or every admin.
    public var audience: Audience { approverID.map(Audience.user) ?? .role(.admin) }

    /// "Dr Ada Lovelace" or "an administrator", as the booker reads it.
    public var spokenApprover: String { approverName ?? "an administrator" }
}

/// The approval part of a booking that needed one.
public struct BookingApproval: Sendable, Equatable {
    /// When the request expires if nobody decides it.
    public var decideBy: Date
    /// Who asked, as their token named them: the approver sees it in the queue.
    public var requesterName: String
    public var requesterEmail: String
    /// When and by whom it was approved or declined; nil while pending or once expired.
    public var decidedAt: Date? = nil
    public var deciderID: String? = nil
    public var deciderName: String? = nil

    public init(
        decideBy: Date, requesterName: String, requesterEmail: String, decidedAt: Date? = nil, deciderID: String? = nil, deciderName: String? = nil
    ) {
        self.decideBy = decideBy
        self.requesterName = requesterName
        self.requesterEmail = requesterEmail
        self.decidedAt = decidedAt
        self.deciderID = deciderID
        self.deciderName = deciderName
    }
}

/// Who makes a request: the name and address the approver is shown.
public struct Requester: Sendable, Equatable {
    public let name: String
    public let email: String

    public init(name: String, email: String) {
        self.name = name
        self.email = email
    }
}

/// An approver's verdict on a request (one booking, or every pending booking of its series).
public enum ApprovalVerdict: Sendable, Equatable {
    case approve
    case decline(reason: String)
}

/// Why a decision is refused.
public enum ApprovalRefusal: Error, Sendable, Equatable {
    /// The caller is neither the room's approver nor an admin.
    case notApprover(room: String, approver: String)
    /// The booking is not (or no longer) waiting for a decision.
    case notPending(Booking)
    /// `series` for a booking outside any series.
    case notInSeries(bookingID: Int)
}

extension BookingStatus {
    /// The statuses that hold a slot: a pending request holds it as a confirmed booking does.
    public static let holding: [BookingStatus] = [.pending, .confirmed]
    /// `holding` as the stored values, for SQL.
    public static let holdingValues: [String] = holding.map(\.rawValue)

    public var holdsSlot: Bool { Self.holding.contains(self) }
}

extension Booking {
    /// What a cancelled request's `cancelledBy` holds when nobody decided it in time.
    public static let expiredUndecided = "no-decision"

    /// The reason an expired request keeps, as its owner reads it on *My bookings*.
    public func expiryReason(_ calendar: CampusCalendar) -> String {
        "Not approved in time: nobody decided the request by \(approval.map { calendar.spoken($0.decideBy) } ?? "its start")."
    }
}

extension BookingNotices {
    /// The booker's notice of a request sent (one booking, or a series).
    public static func requested(_ bookings: [Booking], room: Room, calendar: CampusCalendar) -> SystemNotice? {
        guard let first = bookings.first, let last = bookings.last, let approval = first.approval else { return nil }
        let what =
            bookings.count == 1
            ? "\(room.name), \(first.spokenWhen)"
            : "\(room.name), \(first.startTime)–\(first.endTime) every week from \(first.date.spoken) to \(last.date.spoken) (\(bookings.count) bookings)"
        return SystemNotice(
            title: "Booking requested",
            message:
                "\(what) needs approval by \((room.approval ?? RoomApproval()).spokenApprover). The slot is held for you until \(calendar.spoken(approval.decideBy)); you will be told the decision.",
            level: .info, audience: .user(first.userID), link: NoticeLink(.booking, id: first.id), kind: .bookingUpdates)
    }

    /// The approver's notice (or every admin's) of a request to decide.
    public static func approvalRequested(_ bookings: [Booking], room: Room, calendar: CampusCalendar) -> SystemNotice? {
        guard let first = bookings.first, let approval = first.approval else { return nil }
        let weeks = bookings.count == 1 ? "" : " (\(bookings.count) weekly bookings)"
        return SystemNotice(
            title: "Approval requested",
            message:
                "\(approval.requesterName) asks for \(room.name), \(first.spokenWhen)\(weeks): \(first.purpose). Decide by \(calendar.spoken(approval.decideBy)), or the request expires.",
            level: .info, audience: (room.approval ?? RoomApproval()).audience, link: NoticeLink(.booking, id: first.id), kind: .bookingUpdates)
    }

    /// The booker's notice of a decision on their request.
    public static func decided(_ bookings: [Booking], room: Room?, verdict: ApprovalVerdict, by decider: String) -> SystemNotice? {
        guard let first = bookings.first else { return nil }
        let name = roomName(room, id: first.roomID)
        let what = bookings.count == 1 ? "\(name), \(first.spokenWhen)" : "\(bookings.count) weekly bookings of \(name) from \(first.date.spoken)"
        switch verdict {
        case .approve:
            return SystemNotice(
                title: "Booking approved", message: "\(decider) approved your request for \(what): it is booked for you.", level: .success,
                audience: .user(first.userID), link: NoticeLink(.booking, id: first.id), kind: .bookingUpdates,
                invitation: CalendarInvitation(method: .request, events: bookings.map { BookingCalendar.event($0, room: room) }))
        case .decline(let reason):
            return SystemNotice(
                title: "Booking declined", message: "\(decider) declined your request for \(what): \(reason)", level: .warning,
                audience: .user(first.userID), link: NoticeLink(.booking, id: first.id), kind: .bookingUpdates)
        }
    }

    /// The booker's notice of a request nobody decided in time (one booking, or the expired part of a series).
    public static func expired(_ bookings: [Booking], room: Room?) -> SystemNotice? {
        guard let first = bookings.first else { return nil }
        let name = roomName(room, id: first.roomID)
        let what = bookings.count == 1 ? "\(name), \(first.spokenWhen)" : "\(bookings.count) weekly bookings of \(name) from \(first.date.spoken)"
        return SystemNotice(
            title: "Booking request expired",
            message: "Nobody decided your request for \(what) in time, so the slot is free again. You may ask again, or choose another room.",
            level: .warning, audience: .user(first.userID), link: NoticeLink(.booking, id: first.id), kind: .bookingUpdates)
    }

    /// A request its booker withdrew: they are told it is withdrawn, and whoever was asked to decide
    /// it that there is nothing to decide any more.
    public static func withdrawn(_ bookings: [Booking], room: Room?) -> [SystemNotice] {
        guard let first = bookings.first else { return [] }
        let name = roomName(room, id: first.roomID)
        let what = bookings.count == 1 ? "\(name), \(first.spokenWhen)" : "\(bookings.count) weekly bookings of \(name) from \(first.date.spoken)"
        let asker = first.approval?.requesterName ?? ""
        return [
            SystemNotice(
                title: "Request withdrawn", message: "Your request for \(what) is withdrawn; the slot is free for others.", level: .info,
                audience: .user(first.userID), link: NoticeLink(.booking, id: first.id), kind: .bookingUpdates),
            SystemNotice(
                title: "Request withdrawn",
                message: "\(asker.isEmpty ? "The request" : "\(asker)'s request") for \(what) was withdrawn: there is nothing to decide.",
                level: .info, audience: (room?.approval ?? RoomApproval()).audience, link: NoticeLink(.booking, id: first.id), kind: .bookingUpdates),
        ]
    }
}
