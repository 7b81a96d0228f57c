import CampusKit
import Foundation
import NIOCore
import Testing

@testable import GPAService

/// `POST /calculate` writes its body directly: every byte must be what the shared Codable encoder writes.
@Suite struct DirectJSONTests {
    static let names = [
        "Calculus I", "", "Quote \" and backslash \\", "Line\nbreak\ttab\r", "Control \u{01}\u{1F}\u{08}\u{0C}", "Slash / and é, 数学, 🎓",
        "U+2028 \u{2028} U+2029 \u{2029}", "DEL \u{7F}",
    ]

    @Test(arguments: names)
    func theWrittenBodyIsTheEncodersBytes(_ name: String) throws {
        let numbers = ["0", "4", "3.53", "0.5", "-1.25", "30", "123456.789", "0.001", "3.50", "100000000000000000000", "1e-20"].map { Decimal(string: $0)! }
        for (index, number) in numbers.enumerated() {
            let courses = [
                GPAController.CourseResponse(
                    name: name, grade: "A-", credits: number, gradePoints: number, qualityPoints: nil, retakeOf: nil, counts: false, note: name),
                GPAController.CourseResponse(
                    name: "P course", grade: "P", credits: 3, gradePoints: nil, qualityPoints: numbers[(index + 1) % numbers.count],
                    retakeOf: index, counts: true, note: nil),
            ]
            for list in [courses, []] {
                let response = GPAController.CalculateResponse(
                    gpa: number, totalCredits: 7, qualityPoints: number, cumulativeGpa: 3.4, courses: list,
                    retakePolicy: RetakePolicy.allCases[index % RetakePolicy.allCases.count])
                var json = JSONWriter()
                response.write(to: &json)
                let written = String(buffer: json.buffer)
                let encoded = String(decoding: try CampusJSON.encoder.encode(response), as: UTF8.self)
                #expect(written == encoded, "\(number)")
                #expect(try JSONSerialization.jsonObject(with: Data(written.utf8)) is [String: Any])
            }
        }
    }
}
