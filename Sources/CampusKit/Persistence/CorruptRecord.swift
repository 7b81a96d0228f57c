/// A stored row that cannot be what its table promises (an id that is not a number, an unknown
/// role or status): a store error, never the client's fault. The error middleware logs it and
/// answers a 500 that reveals nothing.
public struct CorruptRecord: Error, CustomStringConvertible, Sendable {
    public let detail: String

    public init(detail: String) { self.detail = detail }

    /// Row `id` of `table` lacks or garbles `column`.
    public init(table: String, id: String?, _ problem: String) {
        self.detail = "\(table) row \(id ?? "without id"): \(problem)"
    }

    public var description: String { "corrupt record: \(detail)" }
}
