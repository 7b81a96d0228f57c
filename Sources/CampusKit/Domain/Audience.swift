/// Who a notice is for: one user, everyone with a person's role, or everyone. One type for the
/// services that send notices (through the outbox) and the notification service that keeps them.
public enum Audience: Sendable, Equatable, Codable {
    case user(String)
    case role(Role)
    case everyone

    enum CodingKeys: String, CodingKey { case userId, role, all }

    /// Exactly one of `{"user_id": 228}` (or `"228"`), `{"role": "student"}`, `{"all": true}`.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let userID = try container.decodeIfPresent(WireID.self, forKey: .userId)
        let role = try container.decodeIfPresent(String.self, forKey: .role)
        let all = try container.decodeIfPresent(Bool.self, forKey: .all)
        switch (userID, role, all) {
        case (let userID?, nil, nil):
            self = .user(userID.description)
        case (nil, let role?, nil):
            guard let parsed = Role(rawValue: role.lowercased()), parsed != .service else {
                throw FieldRefusal("audience.role", .notOneOf(value: role, allowed: Role.personRoles.map(\.rawValue)))
            }
            self = .role(parsed)
        case (nil, nil, true?):
            self = .everyone
        default:
            throw FieldRefusal("audience", .exactlyOneOf([#"{"user_id": 228}"#, #"{"role": "…"}"#, #"{"all": true}"#]))
        }
    }

    /// A user id goes out as the integer it is, like every id on the wire.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        switch self {
        case .user(let id): try container.encode(try WireID(stored: id), forKey: .userId)
        case .role(let role): try container.encode(role, forKey: .role)
        case .everyone: try container.encode(true, forKey: .all)
        }
    }

    /// How a store keeps an audience: a kind (`user`, `role`, `all`) and the one value it needs.
    public var stored: (kind: String, userID: String?, role: String?) {
        switch self {
        case .user(let id): ("user", id, nil)
        case .role(let role): ("role", nil, role.rawValue)
        case .everyone: ("all", nil, nil)
        }
    }

    /// The audience a stored row holds; a row that names no valid audience is corrupt.
    public init(storedKind kind: String, userID: String?, role: String?, table: String, id: String?) throws {
        switch kind {
        case "user":
            guard let userID, !userID.isEmpty else { throw CorruptRecord(table: table, id: id, "a user audience without a user id") }
            self = .user(userID)
        case "role":
            guard let role, let parsed = Role(rawValue: role), parsed != .service else {
                throw CorruptRecord(table: table, id: id, "the audience role \"\(role ?? "")\" is not a person's role")
            }
            self = .role(parsed)
        case "all":
            self = .everyone
        default:
            throw CorruptRecord(table: table, id: id, "the audience kind \"\(kind)\" is unknown")
        }
    }
}
