import CampusKit
import FluentKit
import Foundation

/// The `rooms` table row. Features are stored as a JSON array of feature names.
final class RoomRecord: Model, @unchecked Sendable {
    static let schema = "rooms"

    @ID(custom: "id", generatedBy: .database) var id: Int?
    @Field(key: "name") var name: String
    @Field(key: "building") var building: String
    @Field(key: "capacity") var capacity: Int
    @Field(key: "features") var features: String
    @Field(key: "faculty_only") var facultyOnly: Bool
    @Field(key: "check_in_required") var checkInRequired: Bool
    @OptionalField(key: "out_of_order_ticket") var outOfOrderTicket: Int?
    @Field(key: "approval_required") var approvalRequired: Bool
    @OptionalField(key: "approver_id") var approverID: String?
    @OptionalField(key: "approver_name") var approverName: String?
    @Field(key: "created_at") var createdAt: Date
    @Field(key: "updated_at") var updatedAt: Date

    init() {}

    init(_ room: NewRoom, now: Date) {
        self.name = room.name
        self.building = room.building
        self.capacity = room.capacity
        self.features = Self.encode(room.features)
        self.facultyOnly = room.facultyOnly
        self.checkInRequired = room.checkInRequired
        self.approval = room.approval
        self.createdAt = now
        self.updatedAt = now
    }

    func domain() throws -> Room {
        guard let id else { throw CorruptRecord(table: Self.schema, id: nil, "no id") }
        return Room(
            id: id, name: name, building: building, capacity: capacity, features: Self.decode(features), facultyOnly: facultyOnly,
            checkInRequired: checkInRequired, outOfOrderTicket: outOfOrderTicket, approval: approval)
    }

    /// Who decides the room's requests; nil when it takes bookings without approval.
    var approval: RoomApproval? {
        get { approvalRequired ? RoomApproval(approverID: approverID, approverName: approverName) : nil }
        set {
            approvalRequired = newValue != nil
            approverID = newValue?.approverID
            approverName = newValue?.approverName
        }
    }

    /// The rooms of `ids` that exist, by id.
    static func rooms(_ ids: some Collection<Int>, on db: any Database) async throws -> [Int: Room] {
        var rooms: [Int: Room] = [:]
        for record in try await query(on: db).filter(\.$id ~~ Array(Set(ids))).all() {
            let room = try record.domain()
            rooms[room.id] = room
        }
        return rooms
    }

    static func encode(_ features: [String]) -> String {
        (try? String(decoding: JSONEncoder().encode(features), as: UTF8.self)) ?? "[]"
    }

    static func decode(_ text: String) -> [String] {
        (try? JSONDecoder().decode([String].self, from: Data(text.utf8))) ?? []
    }

    /// A `LIKE` pattern matching rows whose features include `feature` (escape character `!`).
    static func likePattern(feature: String) -> String {
        let escaped = feature.replacingOccurrences(of: "!", with: "!!").replacingOccurrences(of: "_", with: "!_").replacingOccurrences(of: "%", with: "!%")
        return "%\"\(escaped)\"%"
    }
}
