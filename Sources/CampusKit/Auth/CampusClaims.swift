import JWTKit

/// The JWT claims of CONTRACT §3. `exp` is not optional: a token without it does not decode.
public struct CampusClaims: JWTPayload, Equatable {
    public static let issuer = "campus-services-hub"

    public var sub: SubjectClaim
    public var email: String
    public var name: String
    public var role: Role
    public var iat: IssuedAtClaim
    public var exp: ExpirationClaim
    public var iss: IssuerClaim
    public var jti: IDClaim

    public init(sub: SubjectClaim, email: String, name: String, role: Role, iat: IssuedAtClaim, exp: ExpirationClaim, iss: IssuerClaim, jti: IDClaim) {
        self.sub = sub
        self.email = email
        self.name = name
        self.role = role
        self.iat = iat
        self.exp = exp
        self.iss = iss
        self.jti = jti
    }

    public func verify(using algorithm: some JWTAlgorithm) async throws {
        try exp.verifyNotExpired()
        guard iss.value == Self.issuer else {
            throw JWTError.claimVerificationFailure(failedClaim: iss, reason: "issuer is not \(Self.issuer)")
        }
    }
}
