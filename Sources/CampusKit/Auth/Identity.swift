import Foundation

/// Who is calling: taken from a verified token.
public struct Identity: Sendable, Equatable {
    public let userID: String
    public let email: String
    public let name: String
    public let role: Role
    public let tokenID: String
    public let expiresAt: Date
    /// The token's `iat`: a token issued before its account's cutoff is ended (docs/contract.md §11).
    public let issuedAt: Date

    public init(userID: String, email: String, name: String, role: Role, tokenID: String, expiresAt: Date, issuedAt: Date = .distantPast) {
        self.userID = userID
        self.email = email
        self.name = name
        self.role = role
        self.tokenID = tokenID
        self.expiresAt = expiresAt
        self.issuedAt = issuedAt
    }

    public init(claims: CampusClaims) {
        self.init(
            userID: claims.sub.value, email: claims.email, name: claims.name, role: claims.role,
            tokenID: claims.jti.value, expiresAt: claims.exp.value, issuedAt: claims.iat.value
        )
    }

    /// For a service token: the calling service's name.
    public var serviceName: ServiceName? { role == .service ? ServiceName(rawValue: userID) : nil }
}
