import Foundation
import JWTKit
import NIOConcurrencyHelpers

/// Mints and verifies HS256 tokens with the shared `JWT_SECRET_KEY`.
public struct TokenService: Sendable {
    public static let algorithm = "HS256"
    /// Lifetime of the tokens one service mints to call another.
    public static let serviceTokenLifetime: TimeInterval = 300

    private let keys: JWTKeyCollection
    private let verified = VerifiedTokens()
    public let lifetime: TimeInterval
    private let now: @Sendable () -> Date

    public init(secret: String, lifetime: TimeInterval, now: @escaping @Sendable () -> Date = Date.init) async {
        self.keys = await JWTKeyCollection().add(hmac: HMACKey(from: secret), digestAlgorithm: .sha256)
        self.lifetime = lifetime
        self.now = now
    }

    public struct Issued: Sendable {
        public let token: String
        public let claims: CampusClaims
    }

    /// Signs a token for a person. `notIssuedBefore` is the account's token cutoff: a token issued
    /// in the same second as a role or password change carries the cutoff as its `iat` (less than
    /// a second ahead, well inside ``CampusClaims/clockSkew``), so the change does not end it.
    public func issue(userID: String, email: String, name: String, role: Role, notIssuedBefore: Date? = nil) async throws -> Issued {
        try await issue(userID: userID, email: email, name: name, role: role, lifetime: lifetime, notIssuedBefore: notIssuedBefore)
    }

    /// Signs a short-lived token with role `service` and `sub` the calling service.
    public func issueServiceToken(for service: ServiceName) async throws -> Issued {
        try await issue(
            userID: service.rawValue, email: "\(service.rawValue)@services.internal", name: service.displayName,
            role: .service, lifetime: Self.serviceTokenLifetime
        )
    }

    private func issue(
        userID: String, email: String, name: String, role: Role, lifetime: TimeInterval, notIssuedBefore: Date? = nil
    ) async throws -> Issued {
        // Whole seconds: NumericDate as most JWT libraries write and expect it.
        let issuedAt = max(now().wholeSeconds, notIssuedBefore?.wholeSeconds ?? .distantPast)
        let claims = CampusClaims(
            sub: .init(value: userID), email: email, name: name, role: role,
            iat: .init(value: issuedAt), exp: .init(value: issuedAt.addingTimeInterval(lifetime)),
            iss: .init(value: CampusClaims.issuer), jti: .init(value: UUID().uuidString.lowercased())
        )
        let token = try await keys.sign(claims)
        return Issued(token: token, claims: claims)
    }

    public enum VerificationFailure: Error, Equatable {
        case malformed
        case wrongAlgorithm(String?)
        case invalid
    }

    /// Verifies signature, `alg` (exactly HS256), `exp`, `iss`, and that the token is already
    /// valid: `nbf` (when present) and `iat` not in the future (beyond ``CampusClaims/clockSkew``).
    public func verify(_ token: String) async throws(VerificationFailure) -> CampusClaims {
        // A token verified before (same bytes, so same signature) only needs its times checked again.
        if let claims = verified.claims(for: token) {
            do {
                try claims.verifyTimes(at: now())
                return claims
            } catch {
                verified.forget(token)
                throw .invalid
            }
        }
        let algorithm = try Self.headerAlgorithm(of: token)
        guard algorithm == Self.algorithm else { throw .wrongAlgorithm(algorithm) }
        do {
            let claims = try await keys.verify(token, as: CampusClaims.self)
            try claims.verifyTimes(at: now())
            verified.remember(token, claims)
            return claims
        } catch {
            throw .invalid
        }
    }

    /// JWTKit verifies with the key it holds whatever the header claims, so `alg` is checked here.
    static func headerAlgorithm(of token: String) throws(VerificationFailure) -> String? {
        let parts = token.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 3, let headerData = Data(base64URLEncoded: String(parts[0])),
            let header = try? JSONSerialization.jsonObject(with: headerData) as? [String: Any]
        else {
            throw .malformed
        }
        return header["alg"] as? String
    }
}

extension Data {
    init?(base64URLEncoded text: String) {
        var base64 = text.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        let remainder = base64.count % 4
        if remainder == 1 { return nil }
        if remainder > 0 { base64 += String(repeating: "=", count: 4 - remainder) }
        self.init(base64Encoded: base64)
    }
}

/// Tokens this process has verified, keyed by the whole token text: a client sends the same token
/// with every request, and checking its signature and decoding its JSON again each time was the
/// largest cost of a small authenticated request. Bounded; past the bound it starts afresh.
final class VerifiedTokens: Sendable {
    static let capacity = 10_000
    private let tokens = NIOLockedValueBox<[String: CampusClaims]>([:])

    func claims(for token: String) -> CampusClaims? {
        tokens.withLockedValue { $0[token] }
    }

    func remember(_ token: String, _ claims: CampusClaims) {
        tokens.withLockedValue { tokens in
            if tokens.count >= Self.capacity { tokens.removeAll(keepingCapacity: true) }
            tokens[token] = claims
        }
    }

    func forget(_ token: String) {
        tokens.withLockedValue { $0[token] = nil }
    }
}
