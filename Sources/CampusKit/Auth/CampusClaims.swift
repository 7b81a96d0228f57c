import Foundation
import JWTKit

/// The JWT claims of docs/contract.md §3. `exp` is not optional: a token without it does not decode.
/// `nbf` is not one of ours, but a token from another JWT library may carry it; it is honoured.
public struct CampusClaims: JWTPayload, Equatable {
    public static let issuer = "campus-services-hub"
    /// How far another machine's clock may run ahead of ours before its `iat`/`nbf` is refused.
    public static let clockSkew: TimeInterval = 60

    public var sub: SubjectClaim
    public var email: String
    public var name: String
    public var role: Role
    public var iat: IssuedAtClaim
    public var exp: ExpirationClaim
    public var iss: IssuerClaim
    public var jti: IDClaim
    public var nbf: NotBeforeClaim?

    public init(
        sub: SubjectClaim, email: String, name: String, role: Role, iat: IssuedAtClaim, exp: ExpirationClaim, iss: IssuerClaim, jti: IDClaim,
        nbf: NotBeforeClaim? = nil
    ) {
        self.sub = sub
        self.email = email
        self.name = name
        self.role = role
        self.iat = iat
        self.exp = exp
        self.iss = iss
        self.jti = jti
        self.nbf = nbf
    }

    public func verify(using algorithm: some JWTAlgorithm) async throws {
        try verifyTimes(at: Date())
        guard iss.value == Self.issuer else {
            throw JWTError.claimVerificationFailure(failedClaim: iss, reason: "issuer is not \(Self.issuer)")
        }
    }

    /// Refuses a token that has expired, is not valid yet (`nbf`), or was issued in the future (`iat`),
    /// allowing ``clockSkew`` for the not-yet-valid cases.
    public func verifyTimes(at now: Date) throws {
        try exp.verifyNotExpired(currentDate: now)
        let latest = now.addingTimeInterval(Self.clockSkew)
        if let nbf { try nbf.verifyNotBefore(currentDate: latest) }
        guard iat.value <= latest else {
            throw JWTError.claimVerificationFailure(failedClaim: iat, reason: "issued in the future")
        }
    }
}
