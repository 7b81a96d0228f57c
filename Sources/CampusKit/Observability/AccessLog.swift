import Dispatch
import Hummingbird
import Logging
import NIOConcurrencyHelpers

/// What inner middleware learn about a request that outer ones log: the caller, once the token
/// is verified. Shared by every copy of one request's context.
public final class RequestNotes: Sendable {
    private let caller = NIOLockedValueBox<String?>(nil)

    public init() {}

    public var userID: String? {
        get { caller.withLockedValue { $0 } }
        set { caller.withLockedValue { $0 = newValue } }
    }
}

/// One line per answered request, at `info` (`error` for a 5xx): method, route template (never the raw path, which
/// may hold ids and tokens), status, duration in milliseconds, response bytes, and in the line's
/// metadata the request id, the user id and the client address. Health checks and metric scrapes
/// log at `debug`, so a load balancer probing every few seconds does not drown the log.
public struct AccessLogMiddleware: RouterMiddleware {
    public typealias Context = CampusRequestContext
    public init() {}

    public func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let start = DispatchTime.now().uptimeNanoseconds
        let response = try await next(request, context)
        let milliseconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1_000_000
        let route = context.endpointPath ?? "unmatched"
        var metadata: Logger.Metadata = [
            "method": .string(request.method.rawValue),
            "route": .string(route),
            "status": .stringConvertible(Int(response.status.code)),
            "duration_ms": .stringConvertible((milliseconds * 1000).rounded() / 1000),
            "bytes": .stringConvertible(response.body.contentLength ?? 0),
        ]
        if let user = context.notes.userID { metadata["user_id"] = .string(user) }
        let quiet = route.hasPrefix("/health") || route == "/metrics"
        // A 5xx is an outage somewhere: at `error`, so log-based alerting sees it.
        let level: Logger.Level = response.status.code >= 500 ? .error : quiet ? .debug : .info
        if response.status.code >= 500 { CampusTracing.recordFailure(status: Int(response.status.code)) }
        context.logger.log(level: level, "\(request.method) \(route) \(response.status.code)", metadata: metadata)
        return response
    }

}
