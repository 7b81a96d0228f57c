import Foundation
import Hummingbird

/// Reads `Authorization: Bearer <token>`, verifies it locally with the shared key and sets
/// `context.identity`. A request without a token passes on (public routes); a bad token is a 401.
/// Routes that need a caller use ``AuthenticatedContext``, which refuses a missing identity.
public struct AuthMiddleware: RouterMiddleware {
    public typealias Context = CampusRequestContext
    let tokens: TokenService
    let acceptance: (any TokenAcceptance)?

    /// - Parameter acceptance: the gateway passes its revocation and account checks; other services verify statelessly.
    public init(tokens: TokenService, acceptance: (any TokenAcceptance)? = nil) {
        self.tokens = tokens
        self.acceptance = acceptance
    }

    public func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard let header = request.headers[.authorization] else {
            return try await next(request, context)
        }
        guard let token = Self.bearerToken(from: header) else {
            throw APIError.unauthorized("The Authorization header must be \"Bearer <token>\".", code: "invalid_token")
        }
        var context = context
        let identity = try await authenticate(token)
        context.identity = identity
        context.bearerToken = token
        context.logger[metadataKey: "user_id"] = .string(identity.userID)
        context.notes.userID = identity.userID
        return try await next(request, context)
    }

    /// Verifies a token and, where given, its ``TokenAcceptance``; used by this middleware, the
    /// WebSocket handshake and a WebSocket's first message.
    public func authenticate(_ token: String) async throws -> Identity {
        let claims: CampusClaims
        do {
            claims = try await tokens.verify(token)
        } catch .wrongAlgorithm(let algorithm) {
            throw APIError.unauthorized("Tokens must be signed with HS256, not \(algorithm ?? "none").", code: "invalid_token")
        } catch .malformed {
            throw APIError.unauthorized("The token is not a JWT.", code: "invalid_token")
        } catch .invalid {
            throw APIError.unauthorized("The token is invalid or has expired; sign in again.", code: "invalid_token")
        }
        let identity = Identity(claims: claims)
        // A person's `sub` is their user id (docs/contract.md §3); anything else names no account.
        if identity.role != .service, WireID(identity.userID) == nil {
            throw APIError.unauthorized("The token's subject is not a user id.", code: "invalid_token")
        }
        try await acceptance?.check(identity)
        return identity
    }

    /// `Bearer <token>` (scheme case-insensitive, spaces around the token ignored). Works on the
    /// UTF-8 bytes: the Unicode-aware split/lowercase/trim it replaced cost 7 % of a small request.
    static func bearerToken(from header: String) -> String? {
        let bytes = header.utf8
        let scheme = "bearer".utf8
        guard bytes.count > scheme.count + 1 else { return nil }
        var index = bytes.startIndex
        for expected in scheme {
            guard bytes[index] | 0x20 == expected else { return nil }  // ASCII lowercase
            index = bytes.index(after: index)
        }
        guard bytes[index] == UInt8(ascii: " ") else { return nil }
        var start = bytes.index(after: index)
        var end = bytes.endIndex
        while start < end, bytes[start] == UInt8(ascii: " ") || bytes[start] == UInt8(ascii: "\t") { start = bytes.index(after: start) }
        while end > start {
            let before = bytes.index(before: end)
            guard bytes[before] == UInt8(ascii: " ") || bytes[before] == UInt8(ascii: "\t") else { break }
            end = before
        }
        guard start < end else { return nil }
        return String(header[start..<end])
    }
}
