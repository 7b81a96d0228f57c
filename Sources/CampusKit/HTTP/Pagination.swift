import Hummingbird
import HummingbirdCore

/// `limit` (default 50, clamped to 200) and `offset` of docs/contract.md §2; bad values are 422s naming the parameter.
public struct Pagination: Sendable, Hashable {
    public static let defaultLimit = 50
    public static let maximumLimit = 200

    public let limit: Int
    public let offset: Int

    public init(limit: Int = Pagination.defaultLimit, offset: Int = 0) {
        self.limit = limit
        self.offset = offset
    }

    public init(query: FlatDictionary<Substring, Substring>) throws {
        self.limit = min(try Self.nonNegative(query, "limit") ?? Self.defaultLimit, Self.maximumLimit)
        self.offset = try Self.nonNegative(query, "offset") ?? 0
    }

    /// The rows of this page, for `range(_:)` queries. The end saturates at `Int.max`: an offset near
    /// `Int.max` is a valid (empty) page, and `offset + limit` must not overflow and trap.
    public var range: Range<Int> {
        let (end, overflow) = offset.addingReportingOverflow(limit)
        return offset..<(overflow ? Int.max : end)
    }

    private static func nonNegative(_ query: FlatDictionary<Substring, Substring>, _ name: String) throws -> Int? {
        guard let text = query[name[...]].map(String.init) else { return nil }
        // A whole number past Int64 is outside the documented range (int64): say so, not "not a whole number".
        let unsigned = text.hasPrefix("+") || text.hasPrefix("-") ? text.dropFirst() : Substring(text)
        if Int(text) == nil, !unsigned.isEmpty, unsigned.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) {
            throw APIError.invalid(name, text.hasPrefix("-") ? "must not be negative" : "must be at most \(Int.max)")
        }
        guard let value = Int(text) else { throw APIError.invalid(name, "\"\(text)\" is not a whole number") }
        guard value >= 0 else { throw APIError.invalid(name, "must not be negative") }
        return value
    }
}

/// A page of a list and the total it was cut from; the response is the array with `X-Total-Count`.
public struct Page<Item: Encodable & Sendable>: ResponseGenerator, Sendable {
    public let items: [Item]
    public let total: Int

    public init(items: [Item], total: Int) {
        self.items = items
        self.total = total
    }

    /// The page of a list computed whole in memory (the grade scale, a day's availability).
    public init(all items: [Item], page: Pagination) {
        let range = page.range.clamped(to: 0..<items.count)
        self.init(items: Array(items[range]), total: items.count)
    }

    public func response(from request: Request, context: some RequestContext) throws -> Response {
        var response = try CampusResponseEncoder().encode(items, from: request, context: context)
        response.headers[.totalCount] = String(total)
        return response
    }
}

extension Response {
    /// A JSON body with a chosen status (201 Created and friends).
    public static func json(_ value: some Encodable, status: HTTPResponse.Status = .ok, headers: HTTPFields = [:]) throws -> Response {
        json(body: ByteBuffer(bytes: try CampusJSON.encoder.encode(value)), status: status, headers: headers)
    }

    /// A JSON body already encoded (``JSONWriter``, a kept answer).
    public static func json(body: ByteBuffer, status: HTTPResponse.Status = .ok, headers: HTTPFields = [:]) -> Response {
        var fields = headers
        fields[.contentType] = "application/json; charset=utf-8"
        return Response(status: status, headers: fields, body: .init(byteBuffer: body))
    }
}
