import HTTPTypes

extension HTTPField.Name {
    public static let requestID = HTTPField.Name("X-Request-ID")!
    public static let totalCount = HTTPField.Name("X-Total-Count")!
}
