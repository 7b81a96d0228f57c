import Hummingbird

/// Refuses a declared body over the limit before anything reads it (413): the JSON limit, or a
/// file route's own (``UploadLimits``). Bodies without a length are still bounded where they are
/// collected (``CampusRequestDecoder``, the upload routes).
public struct BodyLimitMiddleware<Context: RequestContext>: RouterMiddleware {
    public init() {}

    public func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let limit = UploadLimits.limit(method: request.method, path: request.uri.path)
        if let length = request.headers[.contentLength].flatMap(Int.init), length > limit {
            throw APIError.contentTooLarge(limit: limit)
        }
        return try await next(request, context)
    }
}
