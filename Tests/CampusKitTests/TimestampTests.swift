import CampusKit
import Foundation
import Testing

@Suite struct TimestampTests {
    /// The arithmetic formatter agrees with Foundation's ISO 8601 formatter, leap days and 1969 included.
    @Test func agreesWithFoundationAcrossCenturies() {
        let reference = ISO8601DateFormatter()
        reference.formatOptions = [.withInternetDateTime]
        reference.timeZone = TimeZone(identifier: "UTC")
        var generator = SystemRandomNumberGenerator()
        let fixed: [TimeInterval] = [0, -1, -86_400, 951_782_400 /* 2000-02-29 */, 4_107_542_399 /* 2100-02-28T23:59:59 */, 1_764_258_000.999]
        let random = (0..<2000).map { _ in TimeInterval(Int64.random(in: -2_000_000_000...8_000_000_000, using: &generator)) }
        for seconds in fixed + random {
            let date = Date(timeIntervalSince1970: seconds)
            #expect(CampusJSON.timestamp(date) == reference.string(from: Date(timeIntervalSince1970: seconds.rounded(.down))), "\(seconds)")
        }
    }
}
