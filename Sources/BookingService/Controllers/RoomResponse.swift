import CampusKit
import Foundation
import Hummingbird

/// The room object of docs/contract.md §6: `{"id","name","building","capacity","features","faculty_only","check_in_required","approval_required","approver"}`.
public struct RoomResponse: Codable, Sendable, Equatable, ResponseEncodable {
    public let id: Int
    public let name: String
    public let building: String
    public let capacity: Int
    public let features: [String]
    public let facultyOnly: Bool
    /// Bookings made from now on must be checked in to, or are released (``CheckInRule``).
    public let checkInRequired: Bool
    /// Bookings by anyone but its approver are requests until decided (``ApprovalRule``).
    public let approvalRequired: Bool
    /// `{"id","name"}` of the named approver; null: any admin decides (or no approval is needed).
    public let approver: Approver?

    public struct Approver: Codable, Sendable, Equatable {
        public let id: WireID
        public let name: String
    }

    public init(_ room: Room) {
        id = room.id
        name = room.name
        building = room.building
        capacity = room.capacity
        features = room.features
        facultyOnly = room.facultyOnly
        checkInRequired = room.checkInRequired
        approvalRequired = room.approval != nil
        approver = room.approval.flatMap { approval in
            approval.approverID.flatMap { id in (try? WireID(stored: id)).map { Approver(id: $0, name: approval.approverName ?? "") } }
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(id, forKey: .id)
        try container.encode(name, forKey: .name)
        try container.encode(building, forKey: .building)
        try container.encode(capacity, forKey: .capacity)
        try container.encode(features, forKey: .features)
        try container.encode(facultyOnly, forKey: .facultyOnly)
        try container.encode(checkInRequired, forKey: .checkInRequired)
        try container.encode(approvalRequired, forKey: .approvalRequired)
        try container.encode(approver, forKey: .approver)
    }
}
