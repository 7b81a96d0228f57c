import CampusKit
import Foundation

/// Why a room write was refused.
public enum RoomStoreError: Error, Equatable {
    case notFound
    case nameTaken
    /// Confirmed bookings that have not ended yet stand in the way of deleting the room.
    case hasUpcomingBookings(Int)
}

/// The room catalogue.
public protocol RoomRepository: Sendable {
    func list(_ filter: RoomFilter, page: Pagination) async throws -> (rooms: [Room], total: Int)
    func find(id: Int) async throws -> Room?
    func create(_ room: NewRoom) async throws -> Room
    func update(id: Int, _ changes: RoomChanges) async throws -> Room
    /// Deletes a room with no upcoming confirmed bookings; its past and cancelled bookings stay.
    func delete(id: Int, now: Date) async throws
    /// Rooms out of order are those of `faults`, every other room is in order (rooms it names that
    /// do not exist are passed over); answers whether anything changed.
    @discardableResult func markOutOfOrder(_ faults: RoomFaults) async throws -> Bool
}
