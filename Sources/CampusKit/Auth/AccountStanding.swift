import Foundation
import Logging

/// Whether an account's tokens still count, as user management says (docs/contract.md §11): a deleted
/// account ends all of them; a role or password change ends those issued before it.
public enum AccountStanding: Sendable, Equatable {
    case active(tokensValidAfter: Date?)
    case deleted

    /// Whether something the account was given at `issuedAt` (a token, a calendar address) still counts.
    public func allows(issuedAt: Date) -> Bool {
        switch self {
        case .deleted: false
        case .active(let cutoff?): issuedAt >= cutoff
        case .active(nil): true
        }
    }

    /// Asks user management (`GET /internal/users/{id}/token-validity`, a service call).
    public static func fetch(_ userID: String, client: ServiceClient, logger: Logger) async throws -> AccountStanding {
        struct Validity: Decodable {
            let tokensValidAfter: Date?
        }
        let reply = try await client.send(
            .users, method: .GET, path: "/internal/users/\(userID)/token-validity", requestID: nil, credentials: .service, logger: logger)
        switch reply.status.code {
        case 200: return .active(tokensValidAfter: try reply.decode(Validity.self).tokensValidAfter)
        case 404: return .deleted
        default: throw APIError(downstream: reply, service: .users)
        }
    }

    /// The 401 that ends `identity`'s token, or `nil` when the token still counts.
    public func refusal(of identity: Identity) -> APIError? {
        switch self {
        case .deleted:
            return APIError.unauthorized("This account no longer exists.", code: "account_deleted")
        case .active(let cutoff?) where identity.issuedAt < cutoff:
            return APIError.unauthorized(
                "This account's role or password changed after this token was issued; sign in again.", code: "token_ended"
            )
        case .active:
            return nil
        }
    }
}
