import Hummingbird

/// Refuses a declared body over the limit before anything reads it (413). Bodies without a
/// length are still bounded where they are collected (``CampusRequestDecoder``).
public struct BodyLimitMiddleware<Context: RequestContext>: RouterMiddleware {
    let limit: Int
    public init(limit: Int = CampusJSON.maxBodyBytes) { self.limit = limit }

    public func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        if let length = request.headers[.contentLength].flatMap(Int.init), length > limit {
            throw APIError.contentTooLarge(limit: limit)
        }
        return try await next(request, context)
    }
}
