import CampusKit
import Foundation
import Hummingbird

/// `/rooms` of docs/contract.md §6: everyone signed in browses the catalogue, admins manage it.
struct RoomsController: Sendable {
    let repository: any RoomRepository
    /// User management, which names a room's approver.
    let accounts: any AccountDirectory
    let now: @Sendable () -> Date

    func addRoutes(to group: RouterGroup<AuthenticatedContext>) {
        group.get(use: list)
        group.post(use: create)
        group.get("{id}", use: show)
        group.put("{id}", use: update)
        group.delete("{id}", use: delete)
    }

    enum Field: String, CodingKey, CaseIterable { case name, building, capacity, features, facultyOnly, checkInRequired, approvalRequired, approverId }

    /// `approval_required` and `approver_id` as sent: `approver` is nil when not sent, `.some(nil)` for null.
    struct ApprovalFields {
        let required: Bool?
        let approver: WireID??

        init(_ container: KeyedDecodingContainer<Field>) throws {
            required = try container.decodeIfPresent(Bool.self, forKey: .approvalRequired)
            approver =
                container.contains(.approverId)
                ? .some(try container.decodeNil(forKey: .approverId) ? nil : try container.decode(WireID.self, forKey: .approverId)) : nil
        }

        var isEmpty: Bool { required == nil && approver == nil }
    }

    struct CreateRequest: Decodable {
        let name: String
        let building: String
        let capacity: Int
        let features: [String]?
        let facultyOnly: Bool?
        let checkInRequired: Bool?
        let approval: ApprovalFields

        init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: Field.self)
            approval = try ApprovalFields(container)
            name = try container.decode(String.self, forKey: .name)
            building = try container.decode(String.self, forKey: .building)
            capacity = try container.decodeWholeNumber(forKey: .capacity)
            features = try container.decodeIfPresent([String].self, forKey: .features)
            facultyOnly = try container.decodeIfPresent(Bool.self, forKey: .facultyOnly)
            checkInRequired = try container.decodeIfPresent(Bool.self, forKey: .checkInRequired)
        }
    }

    struct UpdateRequest: Decodable {
        let name: String?
        let building: String?
        let capacity: Int?
        let features: [String]?
        let facultyOnly: Bool?
        let checkInRequired: Bool?
        let approval: ApprovalFields

        init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: Field.self)
            approval = try ApprovalFields(container)
            name = try container.decodeIfPresent(String.self, forKey: .name)
            building = try container.decodeIfPresent(String.self, forKey: .building)
            capacity = try container.decodeWholeNumberIfPresent(forKey: .capacity)
            features = try container.decodeIfPresent([String].self, forKey: .features)
            facultyOnly = try container.decodeIfPresent(Bool.self, forKey: .facultyOnly)
            checkInRequired = try container.decodeIfPresent(Bool.self, forKey: .checkInRequired)
        }
    }

    @Sendable func list(_ request: Request, context: AuthenticatedContext) async throws -> Page<RoomResponse> {
        try BookingPolicy.table.require(.browseRooms, for: context.identity)
        let query = request.uri.queryParameters
        let page = try Pagination(query: query)
        var filter = RoomFilter()
        if let text = query["min_capacity"].map(String.init) {
            guard let value = Int(text), value >= 0 else { throw APIError.invalid("min_capacity", "\"\(text)\" is not a whole number of people") }
            filter.minCapacity = value
        }
        if let text = query["feature"].map(String.init), !text.isEmpty {
            guard let feature = RoomRules.feature(text) else { throw APIError.invalid("feature", "\"\(text)\" is not a feature name") }
            filter.feature = feature
        }
        let result = try await repository.list(filter, page: page)
        return Page(items: result.rooms.map(RoomResponse.init), total: result.total)
    }

    @Sendable func show(_ request: Request, context: AuthenticatedContext) async throws -> RoomResponse {
        try BookingPolicy.table.require(.browseRooms, for: context.identity)
        let id = try Self.roomID(context)
        guard let room = try await repository.find(id: id) else { throw Self.noRoom(id) }
        return RoomResponse(room)
    }

    @Sendable func create(_ request: Request, context: AuthenticatedContext) async throws -> Response {
        try BookingPolicy.table.require(.manageRooms, for: context.identity)
        let body = try await request.decode(as: CreateRequest.self, context: context)
        let room = NewRoom(
            name: try RoomRules.name(body.name), building: try RoomRules.building(body.building),
            capacity: try RoomRules.capacity(body.capacity), features: try RoomRules.features(body.features ?? []),
            facultyOnly: body.facultyOnly ?? false, checkInRequired: body.checkInRequired ?? false,
            approval: try await approval(body.approval) ?? nil
        )
        do {
            let created = try await repository.create(room)
            return try Response.json(RoomResponse(created), status: .created, headers: [.location: "/rooms/\(created.id)"])
        } catch RoomStoreError.nameTaken {
            throw Self.nameTaken(room.name)
        }
    }

    @Sendable func update(_ request: Request, context: AuthenticatedContext) async throws -> RoomResponse {
        try BookingPolicy.table.require(.manageRooms, for: context.identity)
        let id = try Self.roomID(context)
        let body = try await request.decode(as: UpdateRequest.self, context: context)
        let changes = RoomChanges(
            name: try body.name.map(RoomRules.name), building: try body.building.map(RoomRules.building),
            capacity: try body.capacity.map(RoomRules.capacity), features: try body.features.map(RoomRules.features),
            facultyOnly: body.facultyOnly, checkInRequired: body.checkInRequired,
            approval: try await approval(body.approval, current: body.approval.isEmpty ? nil : try await repository.find(id: id)?.approval)
        )
        do {
            return RoomResponse(try await repository.update(id: id, changes))
        } catch RoomStoreError.notFound {
            throw Self.noRoom(id)
        } catch RoomStoreError.nameTaken {
            throw Self.nameTaken(changes.name ?? "")
        }
    }

    @Sendable func delete(_ request: Request, context: AuthenticatedContext) async throws -> Response {
        try BookingPolicy.table.require(.manageRooms, for: context.identity)
        let id = try Self.roomID(context)
        do {
            try await repository.delete(id: id, now: now())
        } catch RoomStoreError.notFound {
            throw Self.noRoom(id)
        } catch RoomStoreError.hasUpcomingBookings(let count) {
            let name = try await repository.find(id: id)?.name ?? "Room \(id)"
            throw APIError.conflict(
                "\(name) still has \(count == 1 ? "1 upcoming booking" : "\(count) upcoming bookings"); cancel \(count == 1 ? "it" : "them") before the room can be deleted.",
                code: "room_has_bookings"
            )
        }
        return Response(status: .noContent)
    }

    /// Who decides the room's requests, from the fields sent: nil when neither was sent (no change),
    /// `.some(nil)` when approval is not required. A named approver must be faculty or an admin.
    private func approval(_ fields: ApprovalFields, current: RoomApproval? = nil) async throws -> RoomApproval?? {
        if fields.isEmpty { return nil }
        guard fields.required == true else {
            if case .some(.some) = fields.approver {
                throw APIError.invalid("approver_id", "names who approves a room that requires approval; send it with approval_required true")
            }
            guard fields.required != nil else { throw APIError.invalid("approval_required", "send true or false with approver_id") }
            return .some(nil)
        }
        // Approval stays on and no approver is sent: whoever decides now still does.
        guard let approver = fields.approver else { return .some(current ?? RoomApproval()) }
        guard case .some(let id) = approver else { return .some(RoomApproval()) }
        let userID = String(id.value)
        guard let person = try await accounts.person(userID) else { throw APIError.invalid("approver_id", "there is no user \(userID)") }
        guard person.role == .faculty || person.role == .admin else {
            throw APIError.invalid(
                "approver_id", "\(person.name) is \(person.role == .student ? "a student" : "a technician"); an approver is faculty or an admin")
        }
        return .some(RoomApproval(approverID: userID, approverName: person.name))
    }

    /// The `{id}` of a `/rooms/{id}…` path; anything but a number names no room (404).
    static func roomID(_ context: AuthenticatedContext) throws -> Int {
        let raw = context.parameters.get("id") ?? ""
        guard let id = Int(raw) else { throw APIError.notFound("There is no room \(raw).") }
        return id
    }

    static func noRoom(_ id: Int) -> APIError { APIError.notFound("There is no room \(id).") }

    static func nameTaken(_ name: String) -> APIError {
        APIError.conflict("A room called \(name) already exists.", code: "room_name_taken")
    }
}
