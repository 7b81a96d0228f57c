import CampusKit
import Foundation

/// Whether an account's tokens still count, as user management says (docs/contract.md §11): a deleted
/// account ends all of them; a role or password change ends those issued before it.
enum AccountStanding: Sendable, Equatable {
    case active(tokensValidAfter: Date?)
    case deleted

    /// The 401 that ends `identity`'s token, or `nil` when the token still counts.
    func refusal(of identity: Identity) -> APIError? {
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
