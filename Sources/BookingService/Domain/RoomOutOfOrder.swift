import Foundation

/// A booking refused because its room is out of order: a technician marked it so on a maintenance
/// ticket, and it stays so until that ticket is resolved (maintenance tells booking, ``RoomFaults``).
public struct RoomOutOfOrderRefusal: Error, Sendable, Equatable {
    public let room: String
    public let ticketID: Int
    /// How many bookings the refused request would have made or changed.
    public let bookings: Int
    /// "made" for new bookings, "changed" for a change.
    public let verb: String
}

/// The rooms out of order, as the maintenance service states them, whole: room id → the ticket
/// that marked it (the earliest, when several do). Every room not named is in order.
public struct RoomFaults: Sendable, Equatable {
    public let tickets: [Int: Int]

    /// At most this many rooms in one statement.
    public static let maximumRooms = 10_000

    public init(_ pairs: [(roomID: Int, ticketID: Int)]) {
        tickets = Dictionary(pairs.map { ($0.roomID, $0.ticketID) }, uniquingKeysWith: min)
    }
}

extension Room {
    /// Whether a booking may be made in this room, or moved into it or to another time in it.
    public func checkInOrder(bookings: Int, verb: String) throws(RoomOutOfOrderRefusal) {
        if let ticket = outOfOrderTicket { throw RoomOutOfOrderRefusal(room: name, ticketID: ticket, bookings: bookings, verb: verb) }
    }
}
