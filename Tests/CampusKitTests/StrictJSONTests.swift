import CampusKit
import Foundation
import Testing

/// RFC 8259 at the door: what Foundation's decoder would read anyway is refused before it can.
@Suite struct StrictJSONTests {
    func problem(_ text: String) -> StrictJSON.Problem? {
        problem(Array(text.utf8))
    }

    func problem(_ bytes: [UInt8]) -> StrictJSON.Problem? {
        do {
            try StrictJSON.check(bytes)
            return nil
        } catch { return error }
    }

    func isMalformed(_ problem: StrictJSON.Problem?) -> Bool {
        if case .malformed = problem { return true }
        return false
    }

    @Test func wellFormedBodiesPass() {
        for text in [#"{}"#, #"[]"#, #" {"a": [1, -2.5e+3, 0, true, false, null, "x\n\"\u00e9\ud83d\ude00"]} "#, #""text""#, "17", #"{"é": "ü 😀"}"#] {
            #expect(problem(text) == nil, "\(text)")
        }
    }

    @Test func whatRFC8259RefusesIsMalformed() {
        let bodies = [
            #"{"a": 1,}"#, #"[1, 2,]"#, #"{"a" 1}"#, #"{'a': 1}"#, #"{"a": 01}"#, #"{"a": .5}"#, #"{"a": 1.}"#, #"{"a": +1}"#,
            #"{"a": NaN}"#, #"{"a": Infinity}"#, #"{"a": tru}"#, #"{"a": "\x"}"#, #"{"a": "\u12"}"#, #"{"a": 1} {"b": 2}"#,
            #"{"a": 1} // note"#, #"{"a": "\ud800"}"#, #"{"a": "\udc00x"}"#, "{\"a\": \"tab\there\"}", #"{"a": 1"#, "", " ",
        ]
        for text in bodies { #expect(isMalformed(problem(text)), "\(text)") }
    }

    @Test func bytesThatAreNotUTF8AreMalformed() {
        let sequences: [[UInt8]] = [[0xFF, 0xFE], [0xC0, 0x80], [0xED, 0xA0, 0x80], [0xF4, 0x90, 0x80, 0x80], [0xE2, 0x82], [0x80]]
        for bad in sequences {
            #expect(isMalformed(problem(Array(#"{"title": ""#.utf8) + bad + Array(#""}"#.utf8))), "\(bad)")
        }
    }

    @Test func theNulCharacterIsFoundWithItsField() {
        #expect(problem(#"{"title": "a\u0000b"}"#) == .nulCharacter(field: "title"))
        #expect(problem(#"{"courses": [{"name": "ok"}, {"name": "\u0000"}]}"#) == .nulCharacter(field: "courses[1].name"))
        #expect(problem(#"{"audience": {"role": "x\u0000"}}"#) == .nulCharacter(field: "audience.role"))
        // Malformed anywhere wins over a NUL earlier in the body.
        #expect(isMalformed(problem(#"{"title": "\u0000", }"#)))
    }

    @Test func aKeyNamedTwiceIsRefused() {
        #expect(problem(#"{"role": "student", "role": "admin"}"#) == .duplicateKey("role"))
        #expect(problem(#"{"a": {"b": 1}, "b": {"b": 2}}"#) == nil)
    }

    @Test func deepNestingIsRefusedWithoutRecursingForever() {
        #expect(isMalformed(problem(String(repeating: "[", count: 100_000))))
        #expect(problem(String(repeating: "[", count: 10) + String(repeating: "]", count: 10)) == nil)
    }

    @Test func decodingMapsProblemsToTheContractsStatuses() throws {
        struct Body: Decodable { let title: String }
        #expect(throws: APIError.self) { try CampusJSON.decode(Body.self, from: Data(#"{"title": "a",}"#.utf8)) }
        do {
            _ = try CampusJSON.decode(Body.self, from: Data(#"{"title": "a\u0000"}"#.utf8))
            Issue.record("a NUL was decoded")
        } catch let error as APIError {
            #expect(error.status == .unprocessableContent)
            #expect(error.detail.hasPrefix("title:"))
        }
        do {
            _ = try CampusJSON.decode(Body.self, from: Data([0x7B, 0x22, 0x74, 0x22, 0x3A, 0x22, 0xFF, 0x22, 0x7D]))
            Issue.record("bytes that are not UTF-8 were decoded")
        } catch let error as APIError {
            #expect(error.status == .badRequest)
            #expect(error.code == "malformed_json")
        }
    }
}

/// Ids as the wire carries them: written as integers, read as integers or their string form.
@Suite struct WireIDTests {
    struct Holder: Codable { let id: WireID }

    @Test func integersAndTheirStringFormAreTheSameID() throws {
        for body in [#"{"id": 228}"#, #"{"id": "228"}"#] {
            #expect(try CampusJSON.decode(Holder.self, from: Data(body.utf8)).id == WireID(228))
        }
        #expect(String(decoding: try CampusJSON.encoder.encode(Holder(id: WireID(228))), as: UTF8.self) == #"{"id":228}"#)
    }

    @Test func anythingElseIsA422NamingTheField() {
        for body in [
            #"{"id": "abc"}"#, #"{"id": 1.5}"#, #"{"id": true}"#, #"{"id": " 228"}"#, #"{"id": "-1"}"#, #"{"id": -1}"#, #"{"id": "+5"}"#, #"{"id": {}}"#,
        ] {
            do {
                _ = try CampusJSON.decode(Holder.self, from: Data(body.utf8))
                Issue.record("\(body) was read as an id")
            } catch let error as APIError {
                #expect(error.status == .unprocessableContent, "\(body)")
                #expect(error.detail.hasPrefix("id:"), "\(body): \(error.detail)")
            } catch {
                Issue.record("\(body): \(error)")
            }
        }
    }

    @Test func storedTextThatIsNotAnIDIsACorruptRecord() throws {
        #expect(throws: CorruptRecord.self) { try WireID(stored: "system") }
        #expect(try WireID(stored: "42") == WireID(42))
    }

    @Test func everySpellingOfAnEmailIsOneAddress() {
        for spelling in [" t5@example.com", "t5@example.com ", "\tt5@example.com", "t5@example.com\n", "T5@Example.COM", "\u{00A0}t5@example.com"] {
            #expect(EmailAddress.normalized(spelling) == "t5@example.com", "\(spelling.debugDescription)")
        }
    }
}
