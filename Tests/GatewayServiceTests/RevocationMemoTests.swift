import Foundation
import Testing

@testable import GatewayService

@Suite struct RevocationMemoTests {
    @Test func notRevokedAnswersAreTrustedForOneSecondOnly() {
        let memo = RevocationMemo()
        let start = ContinuousClock.Instant.now
        #expect(memo.lookup("a", now: start) == nil)
        memo.remember("a", revokedUntil: nil, now: start)
        #expect(memo.lookup("a", now: start.advanced(by: .milliseconds(900))) == false)
        #expect(memo.lookup("a", now: start.advanced(by: .milliseconds(1001))) == nil)
    }

    @Test func revokedTokensStayRevoked() {
        let memo = RevocationMemo()
        let start = ContinuousClock.Instant.now
        memo.remember("a", revokedUntil: nil, now: start)
        let expiry = Date(timeIntervalSince1970: 2_000_000_000)
        memo.remember("a", revokedUntil: expiry, now: start)
        #expect(memo.lookup("a", now: start) == true)
        #expect(memo.lookup("a", now: start.advanced(by: .seconds(3600))) == true)
        memo.forget(expiredBy: expiry.addingTimeInterval(-1))
        #expect(memo.lookup("a", now: start) == true)
        memo.forget(expiredBy: expiry)
        #expect(memo.lookup("a", now: start) == nil)
    }
}
