import HTTPTypes

extension HTTPField.Name {
    public static let requestID = HTTPField.Name("X-Request-ID")!
    public static let totalCount = HTTPField.Name("X-Total-Count")!
    public static let xForwardedFor = HTTPField.Name("X-Forwarded-For")!
    public static let forwarded = HTTPField.Name("Forwarded")!
}

extension HTTPField.Name {
    public static let referrerPolicy = HTTPField.Name("Referrer-Policy")!
    public static let xFrameOptions = HTTPField.Name("X-Frame-Options")!
}
