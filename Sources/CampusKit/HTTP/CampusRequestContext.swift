import Hummingbird
import Logging
import NIOCore

/// The request context of every service: request id, the caller (once authenticated), the peer address.
public struct CampusRequestContext: RequestContext, Sendable {
    public var coreContext: CoreRequestContextStorage
    /// `X-Request-ID` of this request (echoed from the caller or generated).
    public var requestID: String
    /// Set by ``AuthMiddleware`` when a valid bearer token was presented.
    public var identity: Identity?
    public let remoteAddress: SocketAddress?
    /// Raw bearer token, kept so a handler can forward the caller's credentials downstream.
    public var bearerToken: String?

    /// The client's IP address as text: the TCP peer's, or behind `TRUSTED_PROXIES` the address
    /// they forwarded (``ClientAddressMiddleware``); `unknown` when the transport has none.
    public var clientAddress: String
    /// Shared by every copy of this request's context: what inner middleware learn for outer ones.
    public let notes = RequestNotes()

    public init(source: ApplicationRequestContextSource) {
        self.coreContext = .init(source: source)
        self.requestID = ""
        self.remoteAddress = source.channel.remoteAddress
        self.clientAddress = remoteAddress?.ipAddress ?? "unknown"
    }

    public var maxUploadSize: Int { CampusJSON.maxBodyBytes }
    public var requestDecoder: CampusRequestDecoder { CampusRequestDecoder() }
    public var responseEncoder: CampusResponseEncoder { CampusResponseEncoder() }
}

/// The context of routes that need a signed-in caller: `identity` is guaranteed, not optional.
public struct AuthenticatedContext: ChildRequestContext, Sendable {
    public typealias ParentContext = CampusRequestContext
    public var coreContext: CoreRequestContextStorage
    public let identity: Identity
    public let requestID: String
    public let bearerToken: String
    public let remoteAddress: SocketAddress?
    public let clientAddress: String

    public init(context: CampusRequestContext) throws {
        guard let identity = context.identity, let token = context.bearerToken else {
            throw APIError.unauthorized("Sign in first: send Authorization: Bearer <token>.")
        }
        self.coreContext = context.coreContext
        self.identity = identity
        self.requestID = context.requestID
        self.bearerToken = token
        self.remoteAddress = context.remoteAddress
        self.clientAddress = context.clientAddress
    }

    public var maxUploadSize: Int { CampusJSON.maxBodyBytes }
    public var requestDecoder: CampusRequestDecoder { CampusRequestDecoder() }
    public var responseEncoder: CampusResponseEncoder { CampusResponseEncoder() }
    public var role: Role { identity.role }
}
