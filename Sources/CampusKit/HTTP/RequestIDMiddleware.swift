import Foundation
import Hummingbird
import Logging

/// Gives every request an id: the caller's `X-Request-ID` when it is sane, else a new one.
/// The id goes into the logger's metadata, onto the response, and (by ``ServiceClient``) downstream.
public struct RequestIDMiddleware: RouterMiddleware {
    public typealias Context = CampusRequestContext
    public init() {}

    public func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var context = context
        let requestID = Self.acceptable(request.headers[.requestID]) ?? UUID().uuidString.lowercased()
        context.requestID = requestID
        context.logger[metadataKey: "request_id"] = .string(requestID)
        var response: Response
        do {
            response = try await next(request, context)
        } catch {
            // The error middleware sits inside this one; this is the last resort for anything it let through.
            response = ProblemResponder.response(for: error, request: request, logger: context.logger)
        }
        response.headers[.requestID] = requestID
        return response
    }

    /// Up to 128 visible ASCII characters; anything else is replaced so logs cannot be forged.
    static func acceptable(_ value: String?) -> String? {
        guard let value, !value.isEmpty, value.utf8.count <= 128,
            value.utf8.allSatisfy({ $0 > 0x20 && $0 < 0x7F })
        else { return nil }
        return value
    }
}
