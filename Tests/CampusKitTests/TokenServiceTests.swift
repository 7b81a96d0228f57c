import CampusKit
import Foundation
import JWTKit
import Testing

@Suite struct TokenServiceTests {
    struct Fixtures: Decodable {
        let secret: String
        let hs256: String
        let hs512_same_secret: String
        let expired: String
        let no_exp: String
        let wrong_issuer: String
        let wrong_secret: String
    }

    static func fixtures() throws -> Fixtures {
        let url = try #require(Bundle.module.url(forResource: "pyjwt-tokens", withExtension: "json", subdirectory: "Fixtures"))
        return try JSONDecoder().decode(Fixtures.self, from: Data(contentsOf: url))
    }

    let secret = "test-secret-key-that-is-long-enough-for-hs256"

    @Test func issuedTokenRoundTripsWithEveryContractClaim() async throws {
        let tokens = await TokenService(secret: secret, lifetime: 86400)
        let issued = try await tokens.issue(userID: "7", email: "sam@example.com", name: "Sam", role: .student)
        let claims = try await tokens.verify(issued.token)
        #expect(claims == issued.claims)
        #expect(claims.sub.value == "7")
        #expect(claims.role == .student)
        #expect(claims.iss.value == "campus-services-hub")
        #expect(abs(claims.exp.value.timeIntervalSince(claims.iat.value) - 86400) < 1)
        #expect(!claims.jti.value.isEmpty)
        // The header says HS256 and JWT.
        let header = try #require(Data(base64Encoded: String(issued.token.split(separator: ".")[0]) + "=="))
        let fields = try #require(JSONSerialization.jsonObject(with: header) as? [String: Any])
        #expect(fields["alg"] as? String == "HS256")
    }

    @Test func tokenSignedWithAnotherKeyIsRefused() async throws {
        let ours = await TokenService(secret: secret, lifetime: 60)
        let theirs = await TokenService(secret: "a-completely-different-secret-of-enough-length", lifetime: 60)
        let token = try await theirs.issue(userID: "1", email: "a@b.c", name: "A", role: .admin).token
        await #expect(throws: TokenService.VerificationFailure.invalid) { try await ours.verify(token) }
    }

    @Test func algNoneIsRefused() async throws {
        let tokens = await TokenService(secret: secret, lifetime: 60)
        let valid = try await tokens.issue(userID: "1", email: "a@b.c", name: "A", role: .admin).token
        let payload = valid.split(separator: ".")[1]
        let noneHeader = Data(#"{"alg":"none","typ":"JWT"}"#.utf8).base64EncodedString()
            .replacingOccurrences(of: "=", with: "").replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
        await #expect(throws: TokenService.VerificationFailure.wrongAlgorithm("none")) {
            try await tokens.verify("\(noneHeader).\(payload).")
        }
    }

    @Test func expiredTokenIsRefused() async throws {
        let past = Date().addingTimeInterval(-7200)
        let issuer = await TokenService(secret: secret, lifetime: 3600, now: { past })
        let token = try await issuer.issue(userID: "1", email: "a@b.c", name: "A", role: .student).token
        let verifier = await TokenService(secret: secret, lifetime: 3600)
        await #expect(throws: TokenService.VerificationFailure.invalid) { try await verifier.verify(token) }
    }

    @Test func tokenIssuedInTheFutureIsRefused() async throws {
        let future = Date().addingTimeInterval(3600)
        let issuer = await TokenService(secret: secret, lifetime: 7200, now: { future })
        let token = try await issuer.issue(userID: "1", email: "a@b.c", name: "A", role: .admin).token
        let verifier = await TokenService(secret: secret, lifetime: 3600)
        await #expect(throws: TokenService.VerificationFailure.invalid) { try await verifier.verify(token) }
    }

    @Test func slightClockSkewIsTolerated() async throws {
        let ahead = Date().addingTimeInterval(CampusClaims.clockSkew / 2)
        let issuer = await TokenService(secret: secret, lifetime: 3600, now: { ahead })
        let token = try await issuer.issue(userID: "1", email: "a@b.c", name: "A", role: .admin).token
        let verifier = await TokenService(secret: secret, lifetime: 3600)
        #expect(try await verifier.verify(token).sub.value == "1")
    }

    @Test func notBeforeIsHonoured() async throws {
        let keys = await JWTKeyCollection().add(hmac: HMACKey(from: secret), digestAlgorithm: .sha256)
        let verifier = await TokenService(secret: secret, lifetime: 3600)
        func token(notBefore: Date) async throws -> String {
            let now = Date()
            return try await keys.sign(
                CampusClaims(
                    sub: .init(value: "1"), email: "a@b.c", name: "A", role: .admin, iat: .init(value: now),
                    exp: .init(value: now.addingTimeInterval(7200)), iss: .init(value: CampusClaims.issuer), jti: .init(value: "nbf"),
                    nbf: .init(value: notBefore)
                ))
        }
        let later = try await token(notBefore: Date().addingTimeInterval(3600))
        await #expect(throws: TokenService.VerificationFailure.invalid) { try await verifier.verify(later) }
        let already = try await token(notBefore: Date().addingTimeInterval(-10))
        #expect(try await verifier.verify(already).jti.value == "nbf")
    }

    @Test func pyJWTTokenWithTheSameSecretIsAccepted() async throws {
        let fixtures = try Self.fixtures()
        let tokens = await TokenService(secret: fixtures.secret, lifetime: 60)
        let claims = try await tokens.verify(fixtures.hs256)
        #expect(claims.sub.value == "42")
        #expect(claims.email == "ada@example.com")
        #expect(claims.name == "Ada Lovelace")
        #expect(claims.role == .faculty)
        #expect(claims.jti.value == "pyjwt-fixture-0001")
        #expect(Identity(claims: claims).userID == "42")
    }

    @Test func pyJWTTokensThatBreakTheRulesAreRefused() async throws {
        let fixtures = try Self.fixtures()
        let tokens = await TokenService(secret: fixtures.secret, lifetime: 60)
        await #expect(throws: TokenService.VerificationFailure.wrongAlgorithm("HS512")) { try await tokens.verify(fixtures.hs512_same_secret) }
        await #expect(throws: TokenService.VerificationFailure.invalid) { try await tokens.verify(fixtures.expired) }
        await #expect(throws: TokenService.VerificationFailure.invalid) { try await tokens.verify(fixtures.no_exp) }
        await #expect(throws: TokenService.VerificationFailure.invalid) { try await tokens.verify(fixtures.wrong_issuer) }
        await #expect(throws: TokenService.VerificationFailure.invalid) { try await tokens.verify(fixtures.wrong_secret) }
    }

    @Test(arguments: ["", "abc", "a.b", "a.b.c.d", "!!!.???.###"])
    func garbageIsMalformed(token: String) async throws {
        let tokens = await TokenService(secret: secret, lifetime: 60)
        await #expect(throws: TokenService.VerificationFailure.self) { try await tokens.verify(token) }
    }

    @Test func serviceTokenNamesTheCallingServiceAndIsShortLived() async throws {
        let tokens = await TokenService(secret: secret, lifetime: 86400)
        let issued = try await tokens.issueServiceToken(for: .gateway)
        let identity = Identity(claims: try await tokens.verify(issued.token))
        #expect(identity.role == .service)
        #expect(identity.serviceName == .gateway)
        #expect(identity.expiresAt.timeIntervalSinceNow <= TokenService.serviceTokenLifetime + 1)
    }
}
