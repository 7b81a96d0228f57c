import Hummingbird

/// Headers every answer of every service carries, whatever route made it (errors included):
/// `X-Content-Type-Options: nosniff`, and `Cache-Control: no-store` on answers to signed-in
/// requests and to sign-in itself (it returns a token), so no browser cache or shared proxy keeps
/// personal data or tokens. A route that sets its own `Cache-Control` keeps it.
public struct ResponseSafetyHeaders: RouterMiddleware {
    public typealias Context = CampusRequestContext
    public init() {}

    public func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var response = try await next(request, context)
        response.headers[.xContentTypeOptions] = "nosniff"
        if response.headers[.cacheControl] == nil, request.headers[.authorization] != nil || Self.bearsToken(request.uri.path) {
            response.headers[.cacheControl] = "no-store"
        }
        return response
    }

    /// Sign-in answers with a token.
    static func bearsToken(_ path: String) -> Bool { path == "/auth/login" }
}
