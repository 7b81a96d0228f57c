import Hummingbird

/// CORS for the origins listed in `CORS_ORIGINS` (`*` allows any). Without a list, no CORS headers:
/// the web page is served by the gateway itself, same origin.
public struct CampusCORSMiddleware<Context: RequestContext>: RouterMiddleware {
    let origins: Set<String>
    let allowsAny: Bool

    public init(origins: [String]) {
        self.origins = Set(origins)
        self.allowsAny = origins.contains("*")
    }

    public func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard let origin = request.headers[.origin], allowsAny || origins.contains(origin) else {
            return try await next(request, context)
        }
        if request.method == .options, request.headers[.accessControlRequestMethod] != nil {
            var response = Response(status: .noContent)
            apply(to: &response.headers, origin: origin)
            response.headers[.accessControlAllowMethods] = "GET, POST, PUT, PATCH, DELETE, OPTIONS"
            response.headers[.accessControlAllowHeaders] = request.headers[.accessControlRequestHeaders] ?? "Authorization, Content-Type, X-Request-ID"
            response.headers[.accessControlMaxAge] = "600"
            return response
        }
        var response = try await next(request, context)
        apply(to: &response.headers, origin: origin)
        response.headers[.accessControlExposeHeaders] = "X-Request-ID, X-Total-Count, Retry-After"
        return response
    }

    private func apply(to headers: inout HTTPFields, origin: String) {
        headers[.accessControlAllowOrigin] = allowsAny ? "*" : origin
        if !allowsAny {
            headers[.vary] = "Origin"
            headers[.accessControlAllowCredentials] = "true"
        }
    }
}
