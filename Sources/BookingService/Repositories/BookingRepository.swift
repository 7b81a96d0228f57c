import CampusKit
import Foundation

/// Why a booking write was refused.
public enum BookingStoreError: Error, Equatable {
    /// The `room_id` names no room of the catalogue.
    case unknownRoom
    /// A confirmed booking of the room overlaps `date` (nil `existing`: it was cancelled again
    /// before it could be read back).
    case conflict(room: Room, existing: Booking?, date: CalendarDate)
    /// No such booking or series of this user.
    case notFound
    /// The booking has begun or is over; it stays as it was.
    case alreadyStarted(Booking)
    /// A booking of a change was changed or cancelled after it was read; nothing was changed.
    case changedMeanwhile(Booking)
}

/// The busy times of one room within a window, for the availability grid.
public struct RoomOccupancy: Sendable, Equatable {
    public let roomID: Int
    public let roomName: String
    public let busy: [DateInterval]
}

/// Storage of bookings. Writes take values — the plan, the booker's `BookingLimits` — apply the
/// domain's checks that need the stored state inside their transaction, and store the domain's
/// notices (`BookingNotices`) in the outbox in that same transaction.
public protocol BookingRepository: Sendable {
    /// The days whose bookings this repository has changed (for answers worth keeping until then).
    var changes: BookingChanges { get }

    /// Stores every occurrence of `plan` or none. Inside one transaction: the room must exist
    /// (`unknownRoom`), `limits` must admit the room and the booker's upcoming count
    /// (`BookingRefusal`), and no occurrence may overlap a confirmed booking (`conflict`) — which
    /// the database itself also enforces, so concurrent requests cannot both win.
    func book(_ plan: BookingPlan, limits: BookingLimits, now: Date) async throws -> [Booking]

    /// Stores every step of `move` or none, with the booker's notice. Inside one transaction: each
    /// booking must still be as it was read (`changedMeanwhile`), the room must exist
    /// (`unknownRoom`) and `limits` admit it, and no result may overlap another confirmed booking
    /// of the room (`conflict`) — which the database also enforces. The old slots are free only
    /// once the new ones are held.
    func change(_ move: BookingMove, limits: BookingLimits, now: Date) async throws -> [Booking]

    /// The user's bookings (nil: everyone's, for an admin; `filter.roomID` narrows to one room), earliest first.
    func list(userID: String?, filter: BookingFilter, page: Pagination) async throws -> (bookings: [Booking], total: Int)
    func find(id: Int) async throws -> Booking?
    /// The user's bookings of one weekly series, earliest first (empty for another user's series).
    func series(_ seriesID: String, userID: String) async throws -> [Booking]
    /// Cancels the user's booking (idempotent: an already cancelled one is returned as it is, with no notice).
    func cancel(id: Int, userID: String, now: Date) async throws -> Booking
    /// An admin cancels anyone's booking that has not begun, with a reason its owner is told
    /// (`notFound`, `alreadyStarted`); an already cancelled one is returned as it is, with no notice.
    func cancel(id: Int, reason: String, by adminID: String, now: Date) async throws -> Booking
    /// Cancels the user's confirmed bookings of the series that have not begun; returns them.
    func cancelSeries(_ seriesID: String, userID: String, now: Date) async throws -> [Booking]
    /// Every room (or just `roomID`) with its bookings holding a slot (confirmed or pending) overlapping `from`–`to`, in one query.
    func occupancy(roomID: Int?, from: Date, to: Date) async throws -> [RoomOccupancy]
    /// The room's bookings holding a slot (confirmed or pending) that end after `from` and begin before `to`, earliest first, at most `limit`.
    func upcoming(roomID: Int, from: Date, to: Date, limit: Int) async throws -> [Booking]
    /// The user's bookings holding a slot (confirmed, or pending approval), earliest first, with their rooms (nil for a deleted room).
    func held(userID: String) async throws -> [(booking: Booking, room: Room?)]
    /// What a subscribed calendar shows: the user's bookings ending after `since`, cancelled ones
    /// included (so subscribers mark them cancelled), earliest first, with their rooms.
    func calendar(userID: String, since: Date) async throws -> [(booking: Booking, room: Room?)]
    /// A room's bookings holding a slot (confirmed or pending) ending after `since`, earliest first.
    func calendar(roomID: Int, since: Date) async throws -> [Booking]
    /// How many bookings of the user hold a slot (confirmed or pending) and have not ended at `now` (what the limit counts).
    func upcomingCount(userID: String, now: Date) async throws -> Int
}
