import XCTest

@testable import MaintenanceService

/// Tests for `ImageSanitizer`. The fixtures are real images made by `make_fixtures.py` (Pillow / pillow-heif); each one
/// carries EXIF with Make "SpyCam", GPS coordinates and a GPSAreaInformation "SecretPlace", plus XMP (or a PNG text
/// chunk) holding "SecretPlace". The JPEG also has EXIF Orientation 6 (big-endian "MM" TIFF) and a COM comment.
final class ImageSanitizerTests: XCTestCase {
    // MARK: - Fixtures

    /// 8×6 baseline JPEG: JFIF, Exif (Make, Model, DateTime, Orientation 6, GPS), XMP, COM.
    static let jpegBase64 = """
        /9j/4AAQSkZJRgABAQAAAQABAAD/4QEERXhpZgAATU0AKgAAAAgABQEPAAIAAAAHAAAASgEQAAIAAAAPAAAAUgESAAMAAAABAAYAAAEyAAIAAAAU
        AAAAYoglAAQAAAABAAAAdgAAAABTcHlDYW0AAFNweUNhbSBNb2RlbCBYAAAyMDI0OjA1OjA2IDA3OjA4OjA5AAAFAAEAAgAAAAJOAAAAAAIABQAA
        AAMAAAC4AAMAAgAAAAJFAAAAAAQABQAAAAMAAADQABwABwAAABMAAADoAAAAAAAAADQAAAABAAAAHwAAAAEAAAAMAAAAAQAAAA0AAAABAAAAGAAA
        AAEAAAAkAAAAAUFTQ0lJAAAAU2VjcmV0UGxhY2UA/+EBOmh0dHA6Ly9ucy5hZG9iZS5jb20veGFwLzEuMC8APD94cGFja2V0IGJlZ2luPSIiIGlk
        PSJXNU0wTXBDZWhpSHpyZVN6TlRjemtjOWQiPz48eDp4bXBtZXRhIHhtbG5zOng9ImFkb2JlOm5zOm1ldGEvIj48cmRmOlJERiB4bWxuczpyZGY9
        Imh0dHA6Ly93d3cudzMub3JnLzE5OTkvMDIvMjItcmRmLXN5bnRheC1ucyMiPjxyZGY6RGVzY3JpcHRpb24geG1sbnM6ZGM9Imh0dHA6Ly9wdXJs
        Lm9yZy9kYy9lbGVtZW50cy8xLjEvIiBkYzpkZXNjcmlwdGlvbj0iU2VjcmV0UGxhY2UiLz48L3JkZjpSREY+PC94OnhtcG1ldGE+PD94cGFja2V0
        IGVuZD0idyI/Pv/+ABVTZWNyZXRQbGFjZSBjb21tZW50/9sAQwAQCwwODAoQDg0OEhEQExgoGhgWFhgxIyUdKDozPTw5Mzg3QEhcTkBEV0U3OFBt
        UVdfYmdoZz5NcXlwZHhcZWdj/9sAQwEREhIYFRgvGhovY0I4QmNjY2NjY2NjY2NjY2NjY2NjY2NjY2NjY2NjY2NjY2NjY2NjY2NjY2NjY2NjY2Nj
        Y2Nj/8AAEQgABgAIAwEiAAIRAQMRAf/EAB8AAAEFAQEBAQEBAAAAAAAAAAABAgMEBQYHCAkKC//EALUQAAIBAwMCBAMFBQQEAAABfQECAwAEEQUS
        ITFBBhNRYQcicRQygZGhCCNCscEVUtHwJDNicoIJChYXGBkaJSYnKCkqNDU2Nzg5OkNERUZHSElKU1RVVldYWVpjZGVmZ2hpanN0dXZ3eHl6g4SF
        hoeIiYqSk5SVlpeYmZqio6Slpqeoqaqys7S1tre4ubrCw8TFxsfIycrS09TV1tfY2drh4uPk5ebn6Onq8fLz9PX29/j5+v/EAB8BAAMBAQEBAQEB
        AQEAAAAAAAABAgMEBQYHCAkKC//EALURAAIBAgQEAwQHBQQEAAECdwABAgMRBAUhMQYSQVEHYXETIjKBCBRCkaGxwQkjM1LwFWJy0QoWJDThJfEX
        GBkaJicoKSo1Njc4OTpDREVGR0hJSlNUVVZXWFlaY2RlZmdoaWpzdHV2d3h5eoKDhIWGh4iJipKTlJWWl5iZmqKjpKWmp6ipqrKztLW2t7i5usLD
        xMXGx8jJytLT1NXW19jZ2uLj5OXm5+jp6vLz9PX29/j5+v/aAAwDAQACEQMRAD8Aj0zQIeOlFFFb0m+UeDxFX2S94//Z
        """
    /// 8×6 RGB PNG: tEXt Comment, iTXt XMP, zTXt Software, eXIf.
    static let pngBase64 = """
        iVBORw0KGgoAAAANSUhEUgAAAAgAAAAGCAIAAABxZ0isAAAAE3RFWHRDb21tZW50AFNlY3JldFBsYWNla3zWSgAAATFpVFh0WE1MOmNvbS5hZG9i
        ZS54bXAAAAAAADw/eHBhY2tldCBiZWdpbj0iIiBpZD0iVzVNME1wQ2VoaUh6cmVTek5UY3prYzlkIj8+PHg6eG1wbWV0YSB4bWxuczp4PSJhZG9i
        ZTpuczptZXRhLyI+PHJkZjpSREYgeG1sbnM6cmRmPSJodHRwOi8vd3d3LnczLm9yZy8xOTk5LzAyLzIyLXJkZi1zeW50YXgtbnMjIj48cmRmOkRl
        c2NyaXB0aW9uIHhtbG5zOmRjPSJodHRwOi8vcHVybC5vcmcvZGMvZWxlbWVudHMvMS4xLyIgZGM6ZGVzY3JpcHRpb249IlNlY3JldFBsYWNlIi8+
        PC9yZGY6UkRGPjwveDp4bXBtZXRhPjw/eHBhY2tldCBlbmQ9InciPz6On/OZAAAAGHpUWHRTb2Z0d2FyZQAAeJwLLqh0TswFAAgEAk6A6TN2AAAA
        8GVYSWZNTQAqAAAACAAEAQ8AAgAAAAcAAAA+ARAAAgAAAA8AAABGATIAAgAAABQAAABWiCUABAAAAAEAAABqAAAAAFNweUNhbQAAU3B5Q2FtIE1v
        ZGVsIFgAADIwMjQ6MDU6MDYgMDc6MDg6MDkAAAUAAQACAAAAAk4AAAAAAgAFAAAAAwAAAKwAAwACAAAAAkUAAAAABAAFAAAAAwAAAMQAHAAHAAAA
        EwAAANwAAAAAAAAANAAAAAEAAAAfAAAAAQAAAAwAAAABAAAADQAAAAEAAAAYAAAAAQAAACQAAAABQVNDSUkAAABTZWNyZXRQbGFjZQDAVp0FAAAA
        GklEQVR4nGNkYGCQYxDBRCwMGiIMDFgQPSQAuoUFXOzPXEYAAAAASUVORK5CYII=
        """
    /// 8×6 lossy WebP (VP8X + VP8 + EXIF + XMP).
    static let webpBase64 = """
        UklGRnACAABXRUJQVlA4WAoAAAAMAAAABwAABQAAVlA4IDYAAADQAQCdASoIAAYAAsBMJbACdAD0rsa2AAD+81U9RsbSDT7v06+1PPRA13XiBfHV
        0A/s+mMAAABFWElG8AAAAE1NACoAAAAIAAQBDwACAAAABwAAAD4BEAACAAAADwAAAEYBMgACAAAAFAAAAFaIJQAEAAAAAQAAAGoAAAAAU3B5Q2Ft
        AABTcHlDYW0gTW9kZWwgWAAAMjAyNDowNTowNiAwNzowODowOQAABQABAAIAAAACTgAAAAACAAUAAAADAAAArAADAAIAAAACRQAAAAAEAAUAAAAD
        AAAAxAAcAAcAAAATAAAA3AAAAAAAAAA0AAAAAQAAAB8AAAABAAAADAAAAAEAAAANAAAAAQAAABgAAAABAAAAJAAAAAFBU0NJSQAAAFNlY3JldFBs
        YWNlAFhNUCAbAQAAPD94cGFja2V0IGJlZ2luPSIiIGlkPSJXNU0wTXBDZWhpSHpyZVN6TlRjemtjOWQiPz48eDp4bXBtZXRhIHhtbG5zOng9ImFk
        b2JlOm5zOm1ldGEvIj48cmRmOlJERiB4bWxuczpyZGY9Imh0dHA6Ly93d3cudzMub3JnLzE5OTkvMDIvMjItcmRmLXN5bnRheC1ucyMiPjxyZGY6
        RGVzY3JpcHRpb24geG1sbnM6ZGM9Imh0dHA6Ly9wdXJsLm9yZy9kYy9lbGVtZW50cy8xLjEvIiBkYzpkZXNjcmlwdGlvbj0iU2VjcmV0UGxhY2Ui
        Lz48L3JkZjpSREY+PC94OnhtcG1ldGE+PD94cGFja2V0IGVuZD0idyI/PgA=
        """
    /// 8×6 lossless WebP (VP8X + VP8L + EXIF + XMP).
    static let losslessWebPBase64 = """
        UklGRlgCAABXRUJQVlA4WAoAAAAMAAAABwAABQAAVlA4TB4AAAAvB0ABALmM6H/sIqL/ASEBYY7/GyULxmMoYgKAWzdFWElG8AAAAE1NACoAAAAI
        AAQBDwACAAAABwAAAD4BEAACAAAADwAAAEYBMgACAAAAFAAAAFaIJQAEAAAAAQAAAGoAAAAAU3B5Q2FtAABTcHlDYW0gTW9kZWwgWAAAMjAyNDow
        NTowNiAwNzowODowOQAABQABAAIAAAACTgAAAAACAAUAAAADAAAArAADAAIAAAACRQAAAAAEAAUAAAADAAAAxAAcAAcAAAATAAAA3AAAAAAAAAA0
        AAAAAQAAAB8AAAABAAAADAAAAAEAAAANAAAAAQAAABgAAAABAAAAJAAAAAFBU0NJSQAAAFNlY3JldFBsYWNlAFhNUCAbAQAAPD94cGFja2V0IGJl
        Z2luPSIiIGlkPSJXNU0wTXBDZWhpSHpyZVN6TlRjemtjOWQiPz48eDp4bXBtZXRhIHhtbG5zOng9ImFkb2JlOm5zOm1ldGEvIj48cmRmOlJERiB4
        bWxuczpyZGY9Imh0dHA6Ly93d3cudzMub3JnLzE5OTkvMDIvMjItcmRmLXN5bnRheC1ucyMiPjxyZGY6RGVzY3JpcHRpb24geG1sbnM6ZGM9Imh0
        dHA6Ly9wdXJsLm9yZy9kYy9lbGVtZW50cy8xLjEvIiBkYzpkZXNjcmlwdGlvbj0iU2VjcmV0UGxhY2UiLz48L3JkZjpSREY+PC94OnhtcG1ldGE+
        PD94cGFja2V0IGVuZD0idyI/PgA=
        """
    /// 16×16 HEIC (coded 64×64 with a clean-aperture crop to 16×16), with an Exif item and an XMP mime item.
    static let heicBase64 = """
        AAAAHGZ0eXBoZWljAAAAAG1pZjFoZWljbWlhZgAAAgdtZXRhAAAAAAAAACFoZGxyAAAAAAAAAABwaWN0AAAAAAAAAAAAAAAAAAAAAEZpbG9jAAAA
        AERAAAMAAQAAAAACKwABAAAAAAAAAEQAAgAAAAACbwABAAAAAAAAAPoAAwAAAAADaQABAAAAAAAAARsAAABiaWluZgAAAAAAAwAAABVpbmZlAgAA
        AAABAABodmMxAAAAABVpbmZlAgAAAQACAABFeGlmAAAAACppbmZlAgAAAQADAABtaW1lAGFwcGxpY2F0aW9uL3JkZit4bWwAAAAAAA5waXRtAAAA
        AAABAAAA/GlwcnAAAADcaXBjbwAAAHVodmNDAQNwAAAAkAAAAAAAHvAA/P34+AAADwNgAAEAGEABDAH//wNwAAADAJAAAAMAAAMAHroCQGEAAQAp
        QgEBA3AAAAMAkAAAAwAAAwAeoCCBBZbqrprm4CGgwIAAAAyAAAADAIRiAAEABkQBwXPBiQAAABNjb2xybmNseAABAA0ABoAAAAAUaXNwZQAAAAAA
        AABAAAAAQAAAAChjbGFwAAAAEAAAAAEAAAAQAAAAAf///9AAAAAC////0AAAAAIAAAAQcGl4aQAAAAADCAgIAAAAGGlwbWEAAAAAAAAAAQABBYEC
        AwWEAAAAKGlyZWYAAAAAAAAADmNkc2MAAgABAAEAAAAOY2RzYwADAAEAAQAAAmFtZGF0AAAAQCgBrwQSF84s+OmIuAkblpB1hTkYLKgdCdmthXGi
        vVYPPIrBuTjBoNvKfjFPVLRpW6rXShxvULoxK80htbRPhvcAAAAGRXhpZgAATU0AKgAAAAgABAEPAAIAAAAHAAAAPgEQAAIAAAAPAAAARgEyAAIA
        AAAUAAAAVoglAAQAAAABAAAAagAAAABTcHlDYW0AAFNweUNhbSBNb2RlbCBYAAAyMDI0OjA1OjA2IDA3OjA4OjA5AAAFAAEAAgAAAAJOAAAAAAIA
        BQAAAAMAAACsAAMAAgAAAAJFAAAAAAQABQAAAAMAAADEABwABwAAABMAAADcAAAAAAAAADQAAAABAAAAHwAAAAEAAAAMAAAAAQAAAA0AAAABAAAA
        GAAAAAEAAAAkAAAAAUFTQ0lJAAAAU2VjcmV0UGxhY2UAPD94cGFja2V0IGJlZ2luPSIiIGlkPSJXNU0wTXBDZWhpSHpyZVN6TlRjemtjOWQiPz48
        eDp4bXBtZXRhIHhtbG5zOng9ImFkb2JlOm5zOm1ldGEvIj48cmRmOlJERiB4bWxuczpyZGY9Imh0dHA6Ly93d3cudzMub3JnLzE5OTkvMDIvMjIt
        cmRmLXN5bnRheC1ucyMiPjxyZGY6RGVzY3JpcHRpb24geG1sbnM6ZGM9Imh0dHA6Ly9wdXJsLm9yZy9kYy9lbGVtZW50cy8xLjEvIiBkYzpkZXNj
        cmlwdGlvbj0iU2VjcmV0UGxhY2UiLz48L3JkZjpSREY+PC94OnhtcG1ldGE+PD94cGFja2V0IGVuZD0idyI/Pg==
        """

    /// Decodes a wrapped base64 literal (line breaks and indentation are ignored).
    static func decode(_ base64: String) -> [UInt8] {
        Data(base64Encoded: base64, options: .ignoreUnknownCharacters).map { Array($0) } ?? []
    }

    let jpeg = decode(jpegBase64)
    let png = decode(pngBase64)
    let webp = decode(webpBase64)
    let losslessWebP = decode(losslessWebPBase64)
    let heic = decode(heicBase64)

    var fixtures: [(name: String, bytes: [UInt8], kind: ImageKind, width: Int, height: Int)] {
        [
            ("jpeg", jpeg, .jpeg, 8, 6), ("png", png, .png, 8, 6), ("webp", webp, .webp, 8, 6),
            ("lossless webp", losslessWebP, .webp, 8, 6), ("heic", heic, .heic, 16, 16),
        ]
    }

    static let limit = 10_000_000

    // MARK: - Helpers

    func sanitize(_ bytes: [UInt8], maximumPixels: Int = 50_000_000) throws -> SanitizedImage {
        try ImageSanitizer.sanitize(bytes, maximumBytes: Self.limit, maximumPixels: maximumPixels)
    }

    /// The refusal for `bytes`, or nil if they were accepted.
    func refusal(_ bytes: [UInt8], maximumBytes: Int = limit, maximumPixels: Int = 50_000_000) -> ImageRefusal? {
        do {
            _ = try ImageSanitizer.sanitize(bytes, maximumBytes: maximumBytes, maximumPixels: maximumPixels)
            return nil
        } catch {
            return error
        }
    }

    func isMalformed(_ refusal: ImageRefusal?, _ kind: ImageKind) -> Bool {
        if case .malformed(let found, let text)? = refusal { return found == kind && !text.isEmpty }
        return false
    }

    func contains(_ haystack: [UInt8], _ needle: String) -> Bool {
        let pattern = Array(needle.utf8)
        guard !pattern.isEmpty, haystack.count >= pattern.count else { return false }
        return (0...(haystack.count - pattern.count)).contains { haystack[$0..<($0 + pattern.count)].elementsEqual(pattern) }
    }

    func firstIndex(of needle: [UInt8], in haystack: [UInt8]) -> Int? {
        guard haystack.count >= needle.count else { return nil }
        return (0...(haystack.count - needle.count)).first { haystack[$0..<($0 + needle.count)].elementsEqual(needle) }
    }

    /// JPEG segments (marker, payload) from SOI up to and including the first SOS.
    func jpegSegments(_ bytes: [UInt8]) -> [(marker: UInt8, payload: [UInt8])] {
        var result: [(UInt8, [UInt8])] = []
        var position = 2
        while position + 4 <= bytes.count, bytes[position] == 0xFF {
            let marker = bytes[position + 1]
            let length = Int(bytes[position + 2]) << 8 | Int(bytes[position + 3])
            guard position + 2 + length <= bytes.count else { break }
            result.append((marker, Array(bytes[(position + 4)..<(position + 2 + length)])))
            position += 2 + length
            if marker == 0xDA { break }
        }
        return result
    }

    /// PNG chunk types in order.
    func pngChunkTypes(_ bytes: [UInt8]) -> [String] {
        var types: [String] = []
        var position = 8
        while position + 12 <= bytes.count {
            let length = bytes[position..<(position + 4)].reduce(0) { $0 << 8 | Int($1) }
            types.append(String(decoding: bytes[(position + 4)..<(position + 8)], as: UTF8.self))
            position += 12 + length
        }
        return types
    }

    /// WebP chunk FourCCs in order.
    func webpChunkTypes(_ bytes: [UInt8]) -> [String] {
        var types: [String] = []
        var position = 12
        while position + 8 <= bytes.count {
            let size = bytes[(position + 4)..<(position + 8)].reversed().reduce(0) { $0 << 8 | Int($1) }
            types.append(String(decoding: bytes[position..<(position + 4)], as: UTF8.self))
            position += 8 + size + size % 2
        }
        return types
    }

    // MARK: - Detection by content

    func testFixturesReallyCarryTheMetadataWeLookFor() {
        for fixture in fixtures {
            XCTAssertFalse(fixture.bytes.isEmpty, fixture.name)
            XCTAssertTrue(contains(fixture.bytes, "SpyCam"), fixture.name)
            XCTAssertTrue(contains(fixture.bytes, "SecretPlace"), fixture.name)
        }
    }

    func testKindIsJudgedByContent() throws {
        for fixture in fixtures {
            XCTAssertEqual(ImageSanitizer.kind(of: fixture.bytes), fixture.kind, fixture.name)
            let image = try sanitize(fixture.bytes)
            XCTAssertEqual(image.kind, fixture.kind, fixture.name)
            XCTAssertEqual(image.mediaType, "image/\(fixture.kind.rawValue)", fixture.name)
        }
        // A PNG uploaded as "photo.jpg" with Content-Type image/jpeg is still a PNG: only the bytes count.
        XCTAssertEqual(try sanitize(png).mediaType, "image/png")
        XCTAssertNil(ImageSanitizer.kind(of: Array("GIF89a\u{1}\u{0}\u{1}\u{0}".utf8)))
        XCTAssertNil(ImageSanitizer.kind(of: [0xFF, 0xD8]))
    }

    func testAVIFIsNotAcceptedAsHEIC() {
        var avif: [UInt8] = [0, 0, 0, 0x1C] + Array("ftypavif".utf8) + [0, 0, 0, 0] + Array("avifmif1miaf".utf8)
        avif += [0, 0, 0, 8] + Array("mdat".utf8)
        XCTAssertNil(ImageSanitizer.kind(of: avif))
        XCTAssertEqual(refusal(avif), .notAnImage)
        var heicBrand = avif
        heicBrand.replaceSubrange(8..<12, with: Array("heic".utf8))
        XCTAssertEqual(ImageSanitizer.kind(of: heicBrand), .heic)
    }

    // MARK: - Metadata removal

    func testJPEGLosesMetadataButKeepsOrientation() throws {
        let image = try sanitize(jpeg)
        XCTAssertEqual(image.kind, .jpeg)
        XCTAssertEqual(image.width, 8)
        XCTAssertEqual(image.height, 6)
        for marker in ["SpyCam", "SecretPlace", "http://ns.adobe.com/xap", "x:xmpmeta", "2024:05:06"] {
            XCTAssertFalse(contains(image.bytes, marker), marker)
        }
        XCTAssertEqual(Array(image.bytes.prefix(2)), [0xFF, 0xD8])
        XCTAssertEqual(Array(image.bytes.suffix(2)), [0xFF, 0xD9])
        let segments = jpegSegments(image.bytes)
        XCTAssertEqual(segments.first?.marker, 0xE0, "JFIF APP0 stays first")
        XCTAssertFalse(segments.contains { $0.marker == 0xFE }, "COM dropped")
        let app1 = segments.filter { $0.marker == 0xE1 }
        XCTAssertEqual(app1.count, 1)
        // "Exif\0\0", MM TIFF header, IFD0 with one entry: Orientation (0x0112), SHORT, count 1, value 6; no next IFD.
        let expected: [UInt8] =
            Array("Exif\0\0".utf8) + [
                0x4D, 0x4D, 0x00, 0x2A, 0x00, 0x00, 0x00, 0x08, 0x00, 0x01,
                0x01, 0x12, 0x00, 0x03, 0x00, 0x00, 0x00, 0x01, 0x00, 0x06,
                0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
            ]
        XCTAssertEqual(app1.first?.payload, expected)
        XCTAssertEqual(segments.firstIndex { $0.marker == 0xE1 }, 1, "Exif follows JFIF")
        XCTAssertTrue(segments.contains { $0.marker == 0xDB }, "quantisation tables kept")
        XCTAssertTrue(segments.contains { $0.marker == 0xC4 }, "Huffman tables kept")
        XCTAssertTrue(segments.contains { $0.marker == 0xC0 }, "frame header kept")
    }

    func testJPEGWithUprightOrientationGetsNoExifAtAll() throws {
        var upright = jpeg
        let entry: [UInt8] = [0x01, 0x12, 0x00, 0x03, 0x00, 0x00, 0x00, 0x01, 0x00, 0x06]
        let index = try XCTUnwrap(firstIndex(of: entry, in: upright))
        upright[index + 9] = 1
        let image = try sanitize(upright)
        XCTAssertFalse(jpegSegments(image.bytes).contains { $0.marker == 0xE1 })
        XCTAssertFalse(contains(image.bytes, "Exif"))
    }

    func testJPEGLittleEndianExifKeepsItsByteOrder() throws {
        // Replace the output's Exif with a little-endian one holding Make "SpyCam" and Orientation 8.
        let clean = try sanitize(jpeg).bytes
        var tiff: [UInt8] = [0x49, 0x49, 0x2A, 0x00, 0x08, 0x00, 0x00, 0x00, 0x02, 0x00]
        tiff += [0x0F, 0x01, 0x02, 0x00, 0x07, 0x00, 0x00, 0x00, 0x26, 0x00, 0x00, 0x00]  // Make, ASCII, 7 bytes at 38
        tiff += [0x12, 0x01, 0x03, 0x00, 0x01, 0x00, 0x00, 0x00, 0x08, 0x00, 0x00, 0x00]  // Orientation 8
        tiff += [0x00, 0x00, 0x00, 0x00] + Array("SpyCam\0".utf8)
        let payload = Array("Exif\0\0".utf8) + tiff
        let segment: [UInt8] = [0xFF, 0xE1, UInt8((payload.count + 2) >> 8), UInt8((payload.count + 2) & 0xFF)] + payload
        let start = try XCTUnwrap(firstIndex(of: [0xFF, 0xE1], in: clean))
        let oldLength = Int(clean[start + 2]) << 8 | Int(clean[start + 3])
        var input = clean
        input.replaceSubrange(start..<(start + 2 + oldLength), with: segment)
        let image = try sanitize(input)
        XCTAssertFalse(contains(image.bytes, "SpyCam"))
        let app1 = try XCTUnwrap(jpegSegments(image.bytes).first { $0.marker == 0xE1 })
        XCTAssertEqual(
            Array(app1.payload[6...]),
            [
                0x49, 0x49, 0x2A, 0x00, 0x08, 0x00, 0x00, 0x00, 0x01, 0x00,
                0x12, 0x01, 0x03, 0x00, 0x01, 0x00, 0x00, 0x00, 0x08, 0x00,
                0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
            ])
    }

    func testJPEGDropsEverythingAfterEndOfImage() throws {
        let trailer = Array("MPF second image with Exif SpyCam".utf8)
        let image = try sanitize(jpeg + trailer)
        XCTAssertEqual(image.bytes, try sanitize(jpeg).bytes)
    }

    func testPNGKeepsOnlyRenderingChunks() throws {
        let image = try sanitize(png)
        XCTAssertEqual(image.width, 8)
        XCTAssertEqual(image.height, 6)
        let types = pngChunkTypes(image.bytes)
        XCTAssertEqual(types.first, "IHDR")
        XCTAssertEqual(types.last, "IEND")
        XCTAssertTrue(types.contains("IDAT"))
        for dropped in ["tEXt", "zTXt", "iTXt", "eXIf", "tIME"] {
            XCTAssertTrue(pngChunkTypes(png).contains(dropped) || dropped == "tIME", "fixture has \(dropped)")
            XCTAssertFalse(types.contains(dropped), dropped)
        }
        XCTAssertFalse(contains(image.bytes, "SpyCam"))
        XCTAssertFalse(contains(image.bytes, "SecretPlace"))
        XCTAssertFalse(contains(image.bytes, "XML:com.adobe.xmp"))
    }

    func testWebPDropsExifAndXMPAndFixesHeader() throws {
        for (name, input) in [("lossy", webp), ("lossless", losslessWebP)] {
            let image = try sanitize(input)
            XCTAssertEqual(image.width, 8, name)
            XCTAssertEqual(image.height, 6, name)
            XCTAssertTrue(webpChunkTypes(input).contains("EXIF"), name)
            XCTAssertTrue(webpChunkTypes(input).contains("XMP "), name)
            let types = webpChunkTypes(image.bytes)
            XCTAssertFalse(types.contains("EXIF"), name)
            XCTAssertFalse(types.contains("XMP "), name)
            XCTAssertTrue(types.contains(name == "lossy" ? "VP8 " : "VP8L"), name)
            XCTAssertFalse(contains(image.bytes, "SpyCam"), name)
            XCTAssertFalse(contains(image.bytes, "SecretPlace"), name)
            let riffSize = image.bytes[4..<8].reversed().reduce(0) { $0 << 8 | Int($1) }
            XCTAssertEqual(riffSize, image.bytes.count - 8, name)
            if types.first == "VP8X" {
                XCTAssertEqual(input[20] & 0x0C, 0x0C, "fixture VP8X flags EXIF and XMP")
                XCTAssertEqual(image.bytes[20] & 0x0C, 0, "\(name): EXIF and XMP flags cleared")
            }
        }
    }

    func testHEICErasesExifAndXMPInPlace() throws {
        let image = try sanitize(heic)
        XCTAssertEqual(image.kind, .heic)
        XCTAssertEqual(image.width, 16)
        XCTAssertEqual(image.height, 16)
        XCTAssertEqual(image.bytes.count, heic.count, "length unchanged so every offset stays valid")
        XCTAssertEqual(Array(image.bytes.prefix(600)), Array(heic.prefix(600)), "boxes before the media data untouched")
        XCTAssertFalse(contains(image.bytes, "SpyCam"))
        XCTAssertFalse(contains(image.bytes, "SecretPlace"))
        XCTAssertFalse(contains(image.bytes, "rdf:Description"))
        XCTAssertNotEqual(image.bytes, heic)
    }

    func testSanitizingIsIdempotent() throws {
        for fixture in fixtures {
            let once = try sanitize(fixture.bytes)
            let twice = try sanitize(once.bytes)
            XCTAssertEqual(once, twice, fixture.name)
            XCTAssertEqual(once.width, fixture.width, fixture.name)
            XCTAssertEqual(once.height, fixture.height, fixture.name)
        }
    }

    // MARK: - Refusals

    func testRefusesEmptyOversizeAndNonImages() {
        XCTAssertEqual(refusal([]), .empty)
        XCTAssertEqual(refusal(jpeg, maximumBytes: 1000), .tooLarge(bytes: jpeg.count, maximum: 1000))
        XCTAssertNil(refusal(jpeg, maximumBytes: jpeg.count))
        let others: [String: String] = [
            "text": "Hello, the boiler in flat 3 is leaking again.",
            "gif": "GIF89a\u{1}\u{0}\u{1}\u{0}\u{80}\u{0}\u{0}\u{0}\u{0}\u{0}\u{FF}\u{FF}\u{FF}!\u{F9}\u{4}\u{1};",
            "pdf": "%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF",
            "svg": "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"8\" height=\"6\"><rect width=\"8\" height=\"6\"/></svg>",
            "riff wave": "RIFF\u{24}\u{0}\u{0}\u{0}WAVEfmt ",
            "mp4": "\u{0}\u{0}\u{0}\u{18}ftypisom\u{0}\u{0}\u{2}\u{0}isomiso2",
        ]
        for (name, text) in others {
            XCTAssertEqual(refusal(Array(text.utf8)), .notAnImage, name)
        }
    }

    func testRefusesTruncatedImages() {
        for fixture in fixtures {
            let count = fixture.bytes.count
            for cut in [16, 30, 64, count / 3, count / 2, (count * 9) / 10, count - 2, count - 1] {
                let truncated = Array(fixture.bytes.prefix(cut))
                let result = refusal(truncated)
                XCTAssertTrue(isMalformed(result, fixture.kind), "\(fixture.name) cut at \(cut): \(String(describing: result))")
            }
        }
    }

    func testRefusesPNGWithWrongCRC() {
        var broken = png
        broken[29] ^= 0x01  // last byte of the IHDR CRC
        guard case .malformed(.png, let text)? = refusal(broken) else { return XCTFail("expected malformed PNG") }
        XCTAssertTrue(text.contains("CRC"), text)
        var brokenData = png
        brokenData[20] ^= 0x01  // IHDR height changed, CRC no longer matches
        XCTAssertTrue(isMalformed(refusal(brokenData), .png))
    }

    func testRefusesPNGWithoutIEND() throws {
        let iend = try XCTUnwrap(firstIndex(of: Array("IEND".utf8), in: png))
        XCTAssertTrue(isMalformed(refusal(Array(png.prefix(iend - 4))), .png))
    }

    func testRefusesJPEGSegmentRunningPastTheEnd() throws {
        var broken = jpeg
        let dqt = try XCTUnwrap(firstIndex(of: [0xFF, 0xDB], in: broken))
        broken[dqt + 2] = 0xFF
        broken[dqt + 3] = 0xFF
        guard case .malformed(.jpeg, let text)? = refusal(broken) else { return XCTFail("expected malformed JPEG") }
        XCTAssertTrue(text.contains("past the end"), text)
    }

    func testRefusesJPEGWithoutFrameOrScan() throws {
        let sos = try XCTUnwrap(firstIndex(of: [0xFF, 0xDA], in: jpeg))
        XCTAssertTrue(isMalformed(refusal(Array(jpeg.prefix(sos)) + [0xFF, 0xD9]), .jpeg), "no SOS")
        let sof = try XCTUnwrap(firstIndex(of: [0xFF, 0xC0], in: jpeg))
        var noFrame = jpeg
        noFrame[sof + 1] = 0xEF  // turn SOF0 into an APP15 that is dropped
        XCTAssertTrue(isMalformed(refusal(noFrame), .jpeg), "no SOF")
    }

    func testRefusesWebPWithChunkPastTheEnd() {
        var broken = webp
        broken[16] = 0xFF  // VP8X chunk size low byte
        broken[17] = 0xFF
        XCTAssertTrue(isMalformed(refusal(broken), .webp))
    }

    func testRefusesHEICBoxOverrunningItsParent() {
        var broken = heic
        broken[28] = 0x7F  // meta box size far beyond the file
        XCTAssertTrue(isMalformed(refusal(broken), .heic))
        var child = heic
        child[40 + 3] = 0xFF  // hdlr (first child of meta) larger than meta
        XCTAssertTrue(isMalformed(refusal(child), .heic))
    }

    func testPixelLimit() {
        XCTAssertEqual(refusal(jpeg, maximumPixels: 47), .tooManyPixels(width: 8, height: 6, maximum: 47))
        XCTAssertNil(refusal(jpeg, maximumPixels: 48))
        XCTAssertEqual(refusal(png, maximumPixels: 10), .tooManyPixels(width: 8, height: 6, maximum: 10))
        XCTAssertEqual(refusal(webp, maximumPixels: 10), .tooManyPixels(width: 8, height: 6, maximum: 10))
        // HEIC: the coded 64×64 raster counts for the limit even though the image shows 16×16.
        XCTAssertNil(refusal(heic, maximumPixels: 4096))
        XCTAssertEqual(refusal(heic, maximumPixels: 4095), .tooManyPixels(width: 64, height: 64, maximum: 4095))
        var huge = png
        huge.replaceSubrange(16..<24, with: [0x7F, 0xFF, 0xFF, 0xFF, 0x7F, 0xFF, 0xFF, 0xFF])
        let crc = CRC32.checksum(huge[12..<29])
        huge.replaceSubrange(29..<33, with: [24, 16, 8, 0].map { UInt8((crc >> UInt32($0)) & 0xFF) })
        XCTAssertEqual(refusal(huge), .tooManyPixels(width: 0x7FFF_FFFF, height: 0x7FFF_FFFF, maximum: 50_000_000))
    }

    // MARK: - Robustness

    /// A small deterministic generator (SplitMix64) so fuzz failures can be reproduced.
    struct SeededGenerator: RandomNumberGenerator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        mutating func below(_ bound: Int) -> Int { bound <= 0 ? 0 : Int(next() % UInt64(bound)) }
    }

    func mutate(_ input: [UInt8], _ random: inout SeededGenerator) -> [UInt8] {
        var bytes = input
        for _ in 0...random.below(3) where !bytes.isEmpty {
            let at = random.below(bytes.count)
            switch random.below(8) {
            case 0: bytes[at] ^= UInt8(1 << random.below(8))
            case 1: bytes[at] = UInt8(truncatingIfNeeded: random.next())
            case 2: bytes.removeSubrange(at...)
            case 3: bytes.replaceSubrange(at..<min(at + 2, bytes.count), with: [0xFF, 0xFF])
            case 4: bytes.replaceSubrange(at..<min(at + 4, bytes.count), with: [0xFF, 0xFF, 0xFF, 0xFF])
            case 5: bytes.replaceSubrange(at..<min(at + 4, bytes.count), with: [0x00, 0x00, 0x00, 0x00])
            case 6: bytes.insert(contentsOf: (0..<random.below(16)).map { _ in UInt8(truncatingIfNeeded: random.next()) }, at: at)
            default: bytes.replaceSubrange(at..<min(at + 4, bytes.count), with: [0x00, 0x00, 0x00, 0x01])
            }
        }
        return bytes
    }

    /// Recomputes PNG chunk CRCs so mutations reach past the CRC check.
    func fixPNGChecksums(_ input: [UInt8]) -> [UInt8] {
        var bytes = input
        var position = 8
        while position + 12 <= bytes.count {
            let length = bytes[position..<(position + 4)].reduce(0) { $0 << 8 | Int($1) }
            guard length <= bytes.count - position - 12 else { break }
            let crc = CRC32.checksum(bytes[(position + 4)..<(position + 8 + length)])
            bytes.replaceSubrange(
                (position + 8 + length)..<(position + 12 + length),
                with: [24, 16, 8, 0].map { UInt8((crc >> UInt32($0)) & 0xFF) })
            position += 12 + length
        }
        return bytes
    }

    func testMutatedInputsNeverCrashAndAcceptedOutputsAreStable() {
        var random = SeededGenerator(state: 0x5EED_1234)
        for fixture in fixtures {
            var accepted = 0
            for round in 0..<2_000 {
                var input = mutate(fixture.bytes, &random)
                if fixture.kind == .png, round % 2 == 0 { input = fixPNGChecksums(input) }
                let first: SanitizedImage
                do {
                    first = try ImageSanitizer.sanitize(input, maximumBytes: Self.limit)
                } catch {
                    continue  // any ImageRefusal is fine; the typed throw guarantees it is one
                }
                accepted += 1
                XCTAssertEqual(ImageSanitizer.kind(of: first.bytes), first.kind)
                do {
                    let second = try ImageSanitizer.sanitize(first.bytes, maximumBytes: Self.limit)
                    XCTAssertEqual(second, first, "\(fixture.name) round \(round): not idempotent")
                } catch {
                    XCTFail("\(fixture.name) round \(round): output refused on re-sanitizing: \(error)")
                }
            }
            print("fuzz \(fixture.name): \(accepted) of 2000 mutations accepted")
        }
    }
}
