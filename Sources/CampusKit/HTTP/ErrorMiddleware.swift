import Hummingbird
import Logging
import NIOCore

/// Turns every error into problem+json. Known errors keep their status; anything unexpected is
/// logged with the request id and answered as a 500 that reveals nothing.
public struct ErrorMiddleware<Context: RequestContext>: RouterMiddleware {
    public init() {}

    public func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch {
            let response = ProblemResponder.response(for: error, request: request, logger: context.logger)
            // The request's span says where a failure started: the error that became a 5xx.
            if response.status.code >= 500 { CampusTracing.recordFailure(error) }
            return response
        }
    }
}

/// Maps any error to its problem+json response.
enum ProblemResponder {
    static func response(for error: any Error, request: Request, logger: Logger) -> Response {
        switch error {
        case let apiError as APIError:
            return apiError.makeResponse()
        case let refusal as any ProblemConvertible:
            return refusal.problem.makeResponse()
        case is NIOTooManyBytesError:
            return APIError.contentTooLarge().makeResponse()
        case let decodingError as DecodingError:
            return APIError(decodingError: decodingError).makeResponse()
        case let httpError as HTTPError:
            return APIError(httpError: httpError, path: request.uri.path).makeResponse()
        default:
            if let problem = DatabaseUnavailable.problem(for: error) {
                // `problem` says which: database_unavailable (down, or no connection free), storage_unavailable, or
                // database_busy (locked, or a race the database broke, still lost after the retries).
                logger.error(
                    "Database unavailable",
                    metadata: ["problem": .string(problem.code), "error": .string(String(reflecting: error)), "path": .string(request.uri.path)])
                return problem.makeResponse()
            }
            logger.error(
                "Unhandled error",
                metadata: [
                    "error": .string(String(reflecting: error)), "method": .string(request.method.rawValue), "path": .string(request.uri.path),
                ])
            return APIError.internalError.makeResponse()
        }
    }
}

extension APIError {
    /// Hummingbird's own errors (unknown route, bad method, body too large) in the contract's shape.
    init(httpError: HTTPError, path: String) {
        switch httpError.status {
        case .notFound:
            self = .notFound("No resource at \(path).")
        case .methodNotAllowed:
            self = APIError(.methodNotAllowed, code: "method_not_allowed", detail: "This method is not allowed on \(path).", headers: httpError.headers)
        case .contentTooLarge:
            self = .contentTooLarge()
        case .badRequest:
            self = .badRequest(httpError.body ?? "The request could not be read.")
        default:
            let code = httpError.status.code >= 500 ? "internal_error" : "http_\(httpError.status.code)"
            self = APIError(httpError.status, code: code, detail: httpError.body ?? httpError.status.reasonPhrase, headers: httpError.headers)
        }
    }
}
