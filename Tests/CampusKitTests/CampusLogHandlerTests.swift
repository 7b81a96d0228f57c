import Foundation
import Logging
import Testing

@testable import CampusKit

@Suite struct CampusLogHandlerTests {
    @Test func formatsOneLineWithSortedMetadata() {
        let line = CampusLogHandler.format(
            level: .warning, label: "campus.booking", metadata: ["service": "booking", "request_id": "r-1"],
            source: "BookingService", message: "Slow query", at: Date(timeIntervalSince1970: 0)
        )
        #expect(line == "1970-01-01T00:00:00Z warning campus.booking: request_id=r-1 service=booking [BookingService] Slow query\n")
    }

    @Test func metadataSetOnTheLoggerIsKept() {
        var handler = CampusLogHandler(label: "x", logLevel: .info)
        handler[metadataKey: "user_id"] = "7"
        #expect(handler[metadataKey: "user_id"] == "7")
        #expect(handler.metadata.count == 1)
    }
}
