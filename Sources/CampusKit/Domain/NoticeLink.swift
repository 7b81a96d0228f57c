/// What a notice is about, so a reader can open it: a booking or a ticket, by id.
/// On the wire `{"kind": "ticket", "id": 7}`; the id is read as an integer or its string form.
public struct NoticeLink: Codable, Sendable, Equatable {
    public enum Kind: String, Codable, Sendable, CaseIterable {
        case booking, ticket
    }

    public let kind: Kind
    public let id: Int

    public init(_ kind: Kind, id: Int) {
        self.kind = kind
        self.id = id
    }

    enum CodingKeys: String, CodingKey { case kind, id }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let kind = try container.decode(String.self, forKey: .kind)
        guard let parsed = Kind(rawValue: kind) else {
            throw FieldRefusal("link.kind", .notOneOf(value: kind, allowed: Kind.allCases.map(\.rawValue)))
        }
        self.kind = parsed
        self.id = try container.decode(WireID.self, forKey: .id).value
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(kind, forKey: .kind)
        try container.encode(id, forKey: .id)
    }
}
