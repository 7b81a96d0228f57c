import Foundation
import Logging
import Testing

@testable import CampusKit

@Suite struct CampusLogHandlerTests {
    @Test func formatsOneLineWithSortedMetadata() {
        let line = CampusLogHandler.format(
            level: .warning, label: "campus.booking", metadata: ["service": "booking", "request_id": "r-1"],
            source: "BookingService", message: "Slow query", at: Date(timeIntervalSince1970: 0.25)
        )
        #expect(line == "1970-01-01T00:00:00.250Z warning campus.booking: request_id=r-1 service=booking [BookingService] Slow query\n")
    }

    @Test func jsonLinesAreOneObjectThatAStandardParserReads() throws {
        let line = CampusLogHandler.json(
            level: .info, label: "campus.gateway",
            metadata: ["status": .stringConvertible(201), "duration_ms": .stringConvertible(1.25), "route": "/auth/login", "message": "spoof"],
            source: "CampusKit", message: "POST /auth/login 201 \"quoted\"\nnext", at: Date(timeIntervalSince1970: 1_764_583_200.0071)
        )
        #expect(line.hasSuffix("\n") && line.dropLast().firstIndex(of: "\n") == nil)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
        #expect(object["timestamp"] as? String == "2025-12-01T10:00:00.007Z")
        #expect(object["level"] as? String == "info" && object["logger"] as? String == "campus.gateway")
        #expect(object["message"] as? String == "POST /auth/login 201 \"quoted\"\nnext")
        #expect(object["status"] as? Int == 201 && object["duration_ms"] as? Double == 1.25 && object["route"] as? String == "/auth/login")
    }

    @Test func millisecondTimestampsCarryBeforeTheEpochToo() {
        #expect(CampusJSON.timestamp(Date(timeIntervalSince1970: -0.5), milliseconds: true) == "1969-12-31T23:59:59.500Z")
        #expect(CampusJSON.timestamp(Date(timeIntervalSince1970: 86_399.9999), milliseconds: true) == "1970-01-01T23:59:59.999Z")
        #expect(CampusJSON.timestamp(Date(timeIntervalSince1970: 86_399.9999)) == "1970-01-01T23:59:59Z")
    }

    @Test func metadataSetOnTheLoggerIsKept() {
        var handler = CampusLogHandler(label: "x", logLevel: .info)
        handler[metadataKey: "user_id"] = "7"
        #expect(handler[metadataKey: "user_id"] == "7")
        #expect(handler.metadata.count == 1)
    }
}
