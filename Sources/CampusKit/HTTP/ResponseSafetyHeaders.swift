import Hummingbird

/// Headers every answer of every service carries, whatever route made it (errors and 404s
/// included): `X-Content-Type-Options: nosniff`, `X-Frame-Options: DENY`, `Referrer-Policy:
/// no-referrer`, the service's Content-Security-Policy (unless the answer brings its own, as the
/// API docs page does), and `Cache-Control: no-store` on answers to signed-in requests and to
/// sign-in itself (it returns a token), so no browser cache or shared proxy keeps personal data or
/// tokens. A route that sets its own `Cache-Control` keeps it.
public struct ResponseSafetyHeaders: RouterMiddleware {
    public typealias Context = CampusRequestContext
    /// For services that answer JSON only: nothing may load, nothing may frame them.
    public static let apiContentSecurityPolicy = "default-src 'none'; frame-ancestors 'none'"

    let contentSecurityPolicy: String

    public init(contentSecurityPolicy: String = Self.apiContentSecurityPolicy) {
        self.contentSecurityPolicy = contentSecurityPolicy
    }

    public func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var response = try await next(request, context)
        response.headers[.xContentTypeOptions] = "nosniff"
        response.headers[.xFrameOptions] = "DENY"
        response.headers[.referrerPolicy] = "no-referrer"
        if response.headers[.contentSecurityPolicy] == nil { response.headers[.contentSecurityPolicy] = contentSecurityPolicy }
        if response.headers[.cacheControl] == nil, request.headers[.authorization] != nil || Self.bearsToken(request.uri.path) {
            response.headers[.cacheControl] = "no-store"
        }
        return response
    }

    /// Sign-in answers with a token.
    static func bearsToken(_ path: String) -> Bool { path == "/auth/login" }
}
