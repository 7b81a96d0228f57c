import CampusKit
import Foundation
import Hummingbird

/// `POST /internal/credentials/verify`: the gateway's password check, and
/// `GET /internal/users/{id}/token-validity`: the gateway's account check. Only a service token
/// minted by the gateway may call it, so it cannot be used to guess passwords around the
/// gateway's lockout and rate limit.
struct CredentialsController: Sendable {
    let repository: any UserRepository
    let hasher: PasswordHasher

    func addRoutes(to group: RouterGroup<AuthenticatedContext>) {
        group.post("credentials/verify", use: verify)
        group.get("users/{id}/token-validity", use: tokenValidity)
    }

    /// The user object plus the first `iat` still accepted, so the gateway never issues a token
    /// that the account's own cutoff would end.
    struct VerifiedUser: Encodable, ResponseEncodable {
        let id: Int
        let email: String
        let name: String
        let role: Role
        let createdAt: Date
        let tokensValidAfter: Date?

        init(_ user: User) {
            id = user.id
            email = user.email
            name = user.name
            role = user.role
            createdAt = user.createdAt
            tokensValidAfter = user.tokensValidAfter
        }

        enum CodingKeys: String, CodingKey { case id, email, name, role, createdAt, tokensValidAfter }

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(id, forKey: .id)
            try container.encode(email, forKey: .email)
            try container.encode(name, forKey: .name)
            try container.encode(role, forKey: .role)
            try container.encode(createdAt, forKey: .createdAt)
            try container.encode(tokensValidAfter, forKey: .tokensValidAfter)
        }
    }

    /// `GET /internal/users/{id}/token-validity`: whether the account exists and from when its
    /// tokens count. The gateway asks this (remembering the answer briefly) for every token it passes.
    struct TokenValidity: Encodable, ResponseEncodable {
        let tokensValidAfter: Date?

        enum CodingKeys: String, CodingKey { case tokensValidAfter }

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(tokensValidAfter, forKey: .tokensValidAfter)
        }
    }

    @Sendable func tokenValidity(_ request: Request, context: AuthenticatedContext) async throws -> TokenValidity {
        // The gateway checks every token; booking checks the owner of a calendar address, which
        // ends with the account's tokens (deleted, role or password changed).
        try UserPolicy.table.require(.verifyCredentials, for: context.identity)
        guard context.identity.serviceName == .gateway || context.identity.serviceName == .booking else {
            throw APIError.forbidden("Only the gateway and booking may ask whether an account's tokens count.")
        }
        let raw = context.parameters.get("id") ?? ""
        guard let id = WireID(raw), let user = try await repository.find(id: id.value) else {
            throw APIError.notFound("There is no user \(raw).", code: "account_deleted")
        }
        return TokenValidity(tokensValidAfter: user.tokensValidAfter)
    }

    private func requireGateway(_ context: AuthenticatedContext) throws {
        try UserPolicy.table.require(.verifyCredentials, for: context.identity)
        guard context.identity.serviceName == .gateway else {
            throw APIError.forbidden("Only the gateway may verify credentials.")
        }
    }

    struct VerifyRequest: Decodable {
        let email: String
        let password: String
    }

    @Sendable func verify(_ request: Request, context: AuthenticatedContext) async throws -> VerifiedUser {
        try requireGateway(context)
        let body = try await request.decode(as: VerifyRequest.self, context: context)
        let email = EmailAddress.normalized(body.email)
        guard let user = try await repository.find(email: email) else {
            try await hasher.verifyDecoy(body.password)
            throw Self.rejected
        }
        guard try await hasher.verify(body.password, against: user.passwordHash) else { throw Self.rejected }
        return VerifiedUser(user)
    }

    static let rejected = APIError.unauthorized("The email or password is incorrect.", code: "invalid_credentials")
}
