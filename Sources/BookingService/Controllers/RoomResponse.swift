import CampusKit
import Foundation
import Hummingbird

/// The room object of docs/contract.md §6: `{"id","name","building","capacity","features","faculty_only","check_in_required"}`.
public struct RoomResponse: Codable, Sendable, Equatable, ResponseEncodable {
    public let id: Int
    public let name: String
    public let building: String
    public let capacity: Int
    public let features: [String]
    public let facultyOnly: Bool
    /// Bookings made from now on must be checked in to, or are released (``CheckInRule``).
    public let checkInRequired: Bool

    public init(_ room: Room) {
        id = room.id
        name = room.name
        building = room.building
        capacity = room.capacity
        features = room.features
        facultyOnly = room.facultyOnly
        checkInRequired = room.checkInRequired
    }
}
