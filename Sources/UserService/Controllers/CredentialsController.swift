import Foundation
import CampusKit
import Hummingbird

/// `POST /internal/credentials/verify`: the gateway's password check. Only a service token
/// minted by the gateway may call it, so it cannot be used to guess passwords around the
/// gateway's lockout and rate limit.
struct CredentialsController: Sendable {
    let repository: any UserRepository
    let hasher: PasswordHasher

    func addRoutes(to group: RouterGroup<AuthenticatedContext>) {
        group.post("verify", use: verify)
    }

    struct VerifyRequest: Decodable {
        let email: String
        let password: String
    }

    @Sendable func verify(_ request: Request, context: AuthenticatedContext) async throws -> UserResponse {
        try UserPolicy.table.require(.verifyCredentials, for: context.identity)
        guard context.identity.serviceName == .gateway else {
            throw APIError.forbidden("Only the gateway may verify credentials.")
        }
        let body = try await request.decode(as: VerifyRequest.self, context: context)
        let email = body.email.trimmingCharacters(in: .whitespacesAndNewlines).lowercased()
        guard let user = try await repository.find(email: email) else {
            try await hasher.verifyDecoy(body.password)
            throw Self.rejected
        }
        guard try await hasher.verify(body.password, against: user.passwordHash) else { throw Self.rejected }
        return UserResponse(user)
    }

    static let rejected = APIError.unauthorized("The email or password is incorrect.", code: "invalid_credentials")
}
