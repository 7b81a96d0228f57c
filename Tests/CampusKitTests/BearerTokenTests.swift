import Testing

@testable import CampusKit

@Suite struct BearerTokenTests {
    @Test func readsTheTokenAfterTheScheme() {
        #expect(AuthMiddleware.bearerToken(from: "Bearer abc.def.ghi") == "abc.def.ghi")
        #expect(AuthMiddleware.bearerToken(from: "bearer abc") == "abc")
        #expect(AuthMiddleware.bearerToken(from: "BEARER   abc  ") == "abc")
        #expect(AuthMiddleware.bearerToken(from: "Bearer \tabc\t") == "abc")
    }

    @Test func refusesOtherSchemesAndEmptyTokens() {
        #expect(AuthMiddleware.bearerToken(from: "Basic YWxhZGRpbjpvcGVuc2VzYW1l") == nil)
        #expect(AuthMiddleware.bearerToken(from: "Bearer") == nil)
        #expect(AuthMiddleware.bearerToken(from: "Bearer ") == nil)
        #expect(AuthMiddleware.bearerToken(from: "Bearer    ") == nil)
        #expect(AuthMiddleware.bearerToken(from: "Bearerabc") == nil)
        #expect(AuthMiddleware.bearerToken(from: "Beärer abc") == nil)
        #expect(AuthMiddleware.bearerToken(from: "") == nil)
    }
}
