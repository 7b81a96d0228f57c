import CampusKit
import Foundation

/// A bookable room of the catalogue.
public struct Room: Sendable, Equatable {
    public var id: Int
    public var name: String
    public var building: String
    public var capacity: Int
    public var features: [String]
    /// Lecture halls and labs: faculty only.
    public var facultyOnly: Bool
    /// Bookings made from now on must be checked in to (``CheckInRule``).
    public var checkInRequired: Bool = false
    /// The maintenance ticket on which a technician marked the room out of order, until it is
    /// resolved (``RoomOutOfOrderRefusal``); nil when the room is in order.
    public var outOfOrderTicket: Int? = nil
    /// Bookings by anyone but its approver are requests until decided (``ApprovalRule``); nil: none needed.
    public var approval: RoomApproval? = nil
}

/// A room about to be stored.
public struct NewRoom: Sendable, Equatable {
    public var name: String
    public var building: String
    public var capacity: Int
    public var features: [String]
    public var facultyOnly: Bool
    public var checkInRequired: Bool
    public var approval: RoomApproval?

    public init(
        name: String, building: String, capacity: Int, features: [String], facultyOnly: Bool, checkInRequired: Bool = false,
        approval: RoomApproval? = nil
    ) {
        self.name = name
        self.building = building
        self.capacity = capacity
        self.features = features
        self.facultyOnly = facultyOnly
        self.checkInRequired = checkInRequired
        self.approval = approval
    }
}

/// Changes to a stored room; `nil` leaves a field as it is.
public struct RoomChanges: Sendable, Equatable {
    public var name: String?
    public var building: String?
    public var capacity: Int?
    public var features: [String]?
    public var facultyOnly: Bool?
    public var checkInRequired: Bool?
    /// `.some(nil)`: no approval needed any more.
    public var approval: RoomApproval??

    public init(
        name: String? = nil, building: String? = nil, capacity: Int? = nil, features: [String]? = nil, facultyOnly: Bool? = nil,
        checkInRequired: Bool? = nil, approval: RoomApproval?? = nil
    ) {
        self.name = name
        self.building = building
        self.capacity = capacity
        self.features = features
        self.facultyOnly = facultyOnly
        self.checkInRequired = checkInRequired
        self.approval = approval
    }
}

/// `GET /rooms` filters.
public struct RoomFilter: Sendable, Equatable {
    public var minCapacity: Int?
    public var feature: String?

    public init(minCapacity: Int? = nil, feature: String? = nil) {
        self.minCapacity = minCapacity
        self.feature = feature
    }
}
