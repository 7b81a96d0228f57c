extension KeyedDecodingContainer {
    /// An integer field that answers `1.5`, `1e300` or `"3"` with a 422 naming the field: the
    /// decoder's own error for a number that does not fit carries no field, and would read as
    /// malformed JSON (400).
    func decodeWholeNumber(forKey key: Key) throws -> Int {
        if let value = try? decode(Int.self, forKey: key) { return value }
        if (try? decodeNil(forKey: key)) == true || !contains(key) {
            return try decode(Int.self, forKey: key)  // throws the usual "is required" / "must not be null"
        }
        throw DecodingError.typeMismatch(Int.self, .init(codingPath: codingPath + [key], debugDescription: "expected a whole number"))
    }

    func decodeWholeNumberIfPresent(forKey key: Key) throws -> Int? {
        guard contains(key), (try? decodeNil(forKey: key)) != true else { return nil }
        return try decodeWholeNumber(forKey: key)
    }
}
