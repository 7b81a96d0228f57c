import AsyncHTTPClient
import Foundation
import HTTPTypes
import HummingbirdCore
import Logging
import NIOCore
import NIOHTTP1
import NIOPosix

/// Calls between services: `REQUEST_TIMEOUT`, retries with exponential backoff (idempotent
/// methods, connection failures only), a circuit breaker per target, the request id passed on,
/// and either the caller's token or a short-lived service token.
public final class ServiceClient: Sendable {
    public enum Credentials: Sendable {
        case none
        /// Forward the end user's bearer token.
        case bearer(String)
        /// A service token naming the calling service.
        case service
    }

    public struct Reply: Sendable {
        public let status: HTTPResponseStatus
        public let headers: HTTPHeaders
        public let body: ByteBuffer

        public func decode<T: Decodable>(_ type: T.Type) throws -> T {
            try CampusJSON.decoder.decode(T.self, from: Data(body.readableBytesView))
        }
    }

    public struct Policy: Sendable {
        public var timeout: TimeInterval
        public var retryAttempts: Int
        public var retryBackoff: TimeInterval
        public var breakerThreshold = 5
        public var breakerOpenSeconds: TimeInterval = 60

        public init(timeout: TimeInterval, retryAttempts: Int, retryBackoff: TimeInterval) {
            self.timeout = timeout
            self.retryAttempts = retryAttempts
            self.retryBackoff = retryBackoff
        }

        public init(settings: Settings) {
            self.init(timeout: settings.requestTimeout, retryAttempts: settings.requestRetryAttempts, retryBackoff: settings.requestRetryBackoff)
            breakerOpenSeconds = settings.circuitBreakerOpenSeconds
        }
    }

    private let http: HTTPClient
    public let caller: ServiceName
    private let tokens: TokenService
    private let endpoints: [ServiceName: Settings.Endpoint]
    public let policy: Policy
    private let breakers: [ServiceName: CircuitBreaker]
    private let maxResponseBytes = 16 * 1024 * 1024

    public init(http: HTTPClient, caller: ServiceName, tokens: TokenService, endpoints: [ServiceName: Settings.Endpoint], policy: Policy) {
        self.http = http
        self.caller = caller
        self.tokens = tokens
        self.endpoints = endpoints
        self.policy = policy
        self.breakers = Dictionary(
            uniqueKeysWithValues: ServiceName.allCases.map {
                ($0, CircuitBreaker(threshold: policy.breakerThreshold, openFor: policy.breakerOpenSeconds))
            })
    }

    /// The HTTP client every service of a process shares: connection failures surface at once so
    /// this client's own retry policy, not the pool's, decides what happens next.
    public static func makeHTTPClient(timeout: TimeInterval) -> HTTPClient {
        var configuration = HTTPClient.Configuration()
        configuration.connectionPool.retryConnectionEstablishment = false
        configuration.timeout = .init(connect: .milliseconds(Int64(min(timeout, 3) * 1000)), read: .milliseconds(Int64(timeout * 1000)))
        configuration.redirectConfiguration = .disallow
        // The default of 8 connections per service queued the gateway's forwarded requests behind
        // each other at 32 concurrent clients (p99 40 ms); keep-alive connections are cheap on loopback.
        configuration.connectionPool.concurrentHTTP1ConnectionsPerHostSoftLimit = 64
        return HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
    }

    public func breaker(for service: ServiceName) -> CircuitBreaker? { breakers[service] }

    /// Sends a request to `service` at `path` (which may carry a query string) and collects its answer.
    public func send(
        _ service: ServiceName, method: HTTPMethod, path: String, headers: HTTPHeaders = [:], body: ByteBuffer? = nil,
        requestID: String?, credentials: Credentials, logger: Logger
    ) async throws -> Reply {
        let response = try await execute(
            service, method: method, path: path, headers: headers, body: body, requestID: requestID, credentials: credentials, logger: logger)
        do {
            return Reply(status: response.status, headers: response.headers, body: try await response.body.collect(upTo: maxResponseBytes))
        } catch {
            throw failed(service, path: path, error: error, attempts: 1, logger: logger)
        }
    }

    /// What a forward hands back: the downstream's status and headers at once, and its body either
    /// whole (small, with a known length) or as a stream passed on chunk by chunk as it arrives, so
    /// a large answer (a calendar feed, a long page) is neither held in memory nor capped.
    public struct Forwarded: Sendable {
        public let status: HTTPResponseStatus
        public let headers: HTTPHeaders
        public let body: ResponseBody
    }

    /// Answers up to this size, with a `Content-Length`, are collected: one buffer is cheaper than a stream.
    public static let bufferedForwardBytes = 64 * 1024

    /// Sends a request on behalf of a client (the gateway's forward); see ``Forwarded``.
    public func forward(
        _ service: ServiceName, method: HTTPMethod, path: String, headers: HTTPHeaders, body: ByteBuffer?,
        requestID: String?, credentials: Credentials, logger: Logger
    ) async throws -> Forwarded {
        let response = try await execute(
            service, method: method, path: path, headers: headers, body: body, requestID: requestID, credentials: credentials, logger: logger)
        let length = response.headers.first(name: "Content-Length").flatMap(Int.init)
        if method == .HEAD || (length.map { $0 <= Self.bufferedForwardBytes } ?? false) {
            do {
                let whole = try await response.body.collect(upTo: method == .HEAD ? 0 : Self.bufferedForwardBytes)
                return Forwarded(status: response.status, headers: response.headers, body: ResponseBody(byteBuffer: whole))
            } catch {
                throw failed(service, path: path, error: error, attempts: 1, logger: logger)
            }
        }
        let chunks = response.body
        return Forwarded(
            status: response.status, headers: response.headers,
            body: ResponseBody(contentLength: length) { writer in
                for try await chunk in chunks { try await writer.write(chunk) }
                try await writer.finish(nil)
            })
    }

    /// The request with the policy around it: breaker, request id, credentials, timeout, retries;
    /// answers once the downstream's head has arrived.
    private func execute(
        _ service: ServiceName, method: HTTPMethod, path: String, headers: HTTPHeaders, body: ByteBuffer?,
        requestID: String?, credentials: Credentials, logger: Logger
    ) async throws -> HTTPClientResponse {
        guard let breaker = breakers[service] else { preconditionFailure("every service has a breaker") }
        if let wait = breaker.permit() {
            throw APIError.serviceUnavailable(
                "The \(service.displayName) service is unavailable; try again in \(Int(wait.rounded(.up))) s.", code: "dependency_unavailable"
            )
        }
        var request = HTTPClientRequest(url: endpoint(of: service).baseURL + path)
        request.method = method
        request.headers = headers
        if let requestID { request.headers.replaceOrAdd(name: "X-Request-ID", value: requestID) }
        switch credentials {
        case .none: break
        case .bearer(let token): request.headers.replaceOrAdd(name: "Authorization", value: "Bearer \(token)")
        case .service: request.headers.replaceOrAdd(name: "Authorization", value: "Bearer \(try await tokens.issueServiceToken(for: caller).token)")
        }
        if let body {
            request.body = .bytes(body)
            if request.headers["Content-Type"].isEmpty { request.headers.add(name: "Content-Type", value: "application/json") }
        }

        let retryable = Self.idempotentMethods.contains(method)
        var attempt = 0
        while true {
            do {
                let response = try await http.execute(request, timeout: .milliseconds(Int64(policy.timeout * 1000)), logger: logger)
                if response.status.code >= 500 { breaker.recordFailure() } else { breaker.recordSuccess() }
                return response
            } catch {
                if Self.isConnectionFailure(error), retryable, attempt < policy.retryAttempts {
                    let delay = policy.retryBackoff * pow(2, Double(attempt))
                    attempt += 1
                    logger.debug("Retrying \(service.displayName) after connection failure", metadata: ["attempt": "\(attempt)"])
                    try await Task.sleep(for: .milliseconds(Int64(delay * 1000)))
                    continue
                }
                throw failed(service, path: path, error: error, attempts: attempt + 1, logger: logger)
            }
        }
    }

    /// A call that failed (or whose answer broke off): counted against the service, logged, a 503.
    private func failed(_ service: ServiceName, path: String, error: any Error, attempts: Int, logger: Logger) -> APIError {
        breakers[service]?.recordFailure()
        logger.warning("Call to \(service.displayName) failed", metadata: ["error": "\(error)", "path": "\(path)"])
        return APIError.serviceUnavailable(
            "The \(service.displayName) service is not responding (after \(attempts) attempt\(attempts == 1 ? "" : "s")); try again shortly.",
            code: "dependency_unavailable"
        )
    }

    /// Sends JSON and decodes a JSON answer of a 2xx; other answers come back as their problem.
    public func json<Response: Decodable>(
        _ service: ServiceName, method: HTTPMethod, path: String, body: (some Encodable)?, as: Response.Type,
        requestID: String?, credentials: Credentials, logger: Logger
    ) async throws -> Response {
        let buffer = try body.map { ByteBuffer(bytes: try CampusJSON.encoder.encode($0)) }
        let reply = try await send(service, method: method, path: path, body: buffer, requestID: requestID, credentials: credentials, logger: logger)
        guard (200..<300).contains(reply.status.code) else {
            throw APIError(downstream: reply, service: service)
        }
        return try reply.decode(Response.self)
    }

    func endpoint(of service: ServiceName) -> Settings.Endpoint {
        endpoints[service] ?? Settings.Endpoint(host: "127.0.0.1", port: service.defaultPort)
    }

    static let idempotentMethods: [HTTPMethod] = [.GET, .HEAD, .PUT, .DELETE, .OPTIONS]

    /// True when the request cannot have reached the server: nothing to duplicate by retrying.
    static func isConnectionFailure(_ error: any Error) -> Bool {
        if let clientError = error as? HTTPClientError {
            return clientError == .connectTimeout
        }
        if error is NIOConnectionError { return true }
        if let ioError = error as? IOError {
            return [ECONNREFUSED, ECONNRESET, EHOSTUNREACH, ENETUNREACH].contains(ioError.errnoCode)
        }
        if let channelError = error as? ChannelError, case .connectTimeout = channelError { return true }
        return false
    }
}

extension APIError {
    /// A downstream problem passed on unchanged when it is one; otherwise a 503.
    public init(downstream reply: ServiceClient.Reply, service: ServiceName) {
        if reply.status.code < 500, let problem = try? reply.decode(ProblemDetails.self) {
            self = APIError(HTTPResponse.Status(code: Int(reply.status.code)), code: problem.code, title: problem.title, detail: problem.detail)
        } else {
            self = .downstream(service, answered: reply.status)
        }
    }

    /// A 503 for an answer that is not the service's own problem (a 5xx from something in between).
    public static func downstream(_ service: ServiceName, answered status: HTTPResponseStatus) -> APIError {
        .serviceUnavailable("The \(service.displayName) service answered \(status.code).", code: "dependency_unavailable")
    }
}
