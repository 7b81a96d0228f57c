import Foundation

// MARK: - Public API

/// The four image formats that maintenance-ticket photos may be uploaded in.
///
/// The kind of an upload is always decided from its bytes (its "magic numbers"),
/// never from its file name or from the Content-Type the client claimed.
public enum ImageKind: String, Sendable, Codable, CaseIterable {
    case jpeg, png, webp, heic

    /// The media type to store and serve an image of this kind with.
    public var mediaType: String {
        switch self {
        case .jpeg: return "image/jpeg"
        case .png: return "image/png"
        case .webp: return "image/webp"
        case .heic: return "image/heic"
        }
    }
}

/// An accepted upload: the same image, with its privacy-sensitive metadata removed.
public struct SanitizedImage: Sendable, Equatable {
    /// The format, judged from the content.
    public let kind: ImageKind
    /// The media type matching `kind`, e.g. `image/jpeg`.
    public var mediaType: String { kind.mediaType }
    /// Width in pixels as stored in the file. For JPEG this ignores the EXIF orientation (a portrait phone
    /// photo with Orientation 6 reports its landscape sensor size); for HEIC it is the primary image's
    /// size after its clean-aperture crop and rotation, as viewers show it.
    public let width: Int
    /// Height in pixels, see `width`.
    public let height: Int
    /// The image file with its metadata removed.
    public let bytes: [UInt8]
}

/// Why an upload was refused.
public enum ImageRefusal: Error, Sendable, Equatable {
    /// The upload has no bytes at all.
    case empty
    /// The upload is bigger than the caller allows.
    case tooLarge(bytes: Int, maximum: Int)
    /// The content is none of the four accepted kinds (judged by content, never by name).
    case notAnImage
    /// The content looks like the given kind but its structure is broken or truncated; the text says what, in plain words.
    case malformed(ImageKind, String)
    /// The image has more pixels than the caller allows.
    case tooManyPixels(width: Int, height: Int, maximum: Int)
}

/// Checks uploaded photos and strips their metadata (EXIF with GPS and camera details, XMP, comments, text chunks).
///
/// Every length field read from the upload is bounds-checked, arithmetic on values taken from the file cannot overflow,
/// and no loop runs longer than the input allows, so hostile input is refused with an `ImageRefusal` instead of crashing.
public enum ImageSanitizer {
    /// Checks `bytes` and returns the image with its metadata removed, or throws why it was refused.
    ///
    /// - Parameters:
    ///   - bytes: the uploaded file.
    ///   - maximumBytes: uploads larger than this are refused with `.tooLarge`.
    ///   - maximumPixels: images with more pixels (width × height) than this are refused with `.tooManyPixels`.
    public static func sanitize(
        _ bytes: [UInt8], maximumBytes: Int, maximumPixels: Int = 50_000_000
    ) throws(ImageRefusal) -> SanitizedImage {
        guard !bytes.isEmpty else { throw .empty }
        guard bytes.count <= maximumBytes else { throw .tooLarge(bytes: bytes.count, maximum: maximumBytes) }
        guard let kind = kind(of: bytes) else { throw .notAnImage }
        let parsed: ParsedImage
        switch kind {
        case .jpeg: parsed = try JPEGCleaner.clean(bytes)
        case .png: parsed = try PNGCleaner.clean(bytes)
        case .webp: parsed = try WebPCleaner.clean(bytes)
        case .heic: parsed = try HEICCleaner.clean(bytes)
        }
        try checkPixels(width: parsed.width, height: parsed.height, maximum: maximumPixels)
        try checkPixels(width: parsed.decodedWidth, height: parsed.decodedHeight, maximum: maximumPixels)
        return SanitizedImage(kind: kind, width: parsed.width, height: parsed.height, bytes: parsed.bytes)
    }

    /// The kind of image `bytes` holds, judged by magic bytes only, or nil if it is none of the four.
    ///
    /// HEIC means an ISO-BMFF file whose first box is `ftyp` with one of the brands heic, heix, heim, heis, hevc, hevx,
    /// or the generic HEIF brands mif1/msf1. A file that also names avif/avis but no HEVC brand is AVIF and is not accepted.
    public static func kind(of bytes: [UInt8]) -> ImageKind? {
        if bytes.count >= 3, bytes[0] == 0xFF, bytes[1] == 0xD8, bytes[2] == 0xFF { return .jpeg }
        if bytes.starts(with: PNGCleaner.signature) { return .png }
        let reader = ByteReader(bytes)
        if reader.matches("RIFF", at: 0), reader.matches("WEBP", at: 8) { return .webp }
        if HEICCleaner.hasHEIFBrand(bytes) { return .heic }
        return nil
    }

    private static func checkPixels(width: Int, height: Int, maximum: Int) throws(ImageRefusal) {
        let (area, overflow) = width.multipliedReportingOverflow(by: height)
        if overflow || area > maximum {
            throw .tooManyPixels(width: width, height: height, maximum: maximum)
        }
    }
}

// MARK: - Shared helpers

/// What a format cleaner found: the cleaned bytes, the size to report, and the largest raster a decoder would allocate.
struct ParsedImage {
    let width: Int
    let height: Int
    let bytes: [UInt8]
    let decodedWidth: Int
    let decodedHeight: Int

    init(width: Int, height: Int, bytes: [UInt8], decodedWidth: Int? = nil, decodedHeight: Int? = nil) {
        self.width = width
        self.height = height
        self.bytes = bytes
        self.decodedWidth = decodedWidth ?? width
        self.decodedHeight = decodedHeight ?? height
    }
}

/// Bounds-checked reading of integers and ASCII tags from a byte array.
/// Every read takes the exclusive `end` it must stay within and returns nil rather than reading past it.
struct ByteReader {
    let bytes: [UInt8]

    init(_ bytes: [UInt8]) {
        self.bytes = bytes
    }

    /// True if `offset..<offset+width` lies inside `0..<end` (and inside the array).
    func fits(_ offset: Int, _ width: Int, end: Int) -> Bool {
        guard offset >= 0, width >= 0, end <= bytes.count, end >= 0 else { return false }
        return offset <= end - width
    }

    /// Reads a `width`-byte (0…8) unsigned integer, most significant byte first.
    func bigEndian(at offset: Int, width: Int, end: Int) -> UInt64? {
        guard width <= 8, fits(offset, width, end: end) else { return nil }
        var value: UInt64 = 0
        for index in offset..<(offset + width) { value = value << 8 | UInt64(bytes[index]) }
        return value
    }

    /// Reads a `width`-byte (0…8) unsigned integer, least significant byte first.
    func littleEndian(at offset: Int, width: Int, end: Int) -> UInt64? {
        guard width <= 8, fits(offset, width, end: end) else { return nil }
        var value: UInt64 = 0
        for index in (offset..<(offset + width)).reversed() { value = value << 8 | UInt64(bytes[index]) }
        return value
    }

    func u8(_ offset: Int, end: Int) -> Int? { bigEndian(at: offset, width: 1, end: end).map { Int($0) } }
    func be16(_ offset: Int, end: Int) -> Int? { bigEndian(at: offset, width: 2, end: end).map { Int($0) } }
    func be32(_ offset: Int, end: Int) -> Int? { bigEndian(at: offset, width: 4, end: end).flatMap { Int(exactly: $0) } }
    func le16(_ offset: Int, end: Int) -> Int? { littleEndian(at: offset, width: 2, end: end).map { Int($0) } }
    func le24(_ offset: Int, end: Int) -> Int? { littleEndian(at: offset, width: 3, end: end).map { Int($0) } }
    func le32(_ offset: Int, end: Int) -> Int? { littleEndian(at: offset, width: 4, end: end).flatMap { Int(exactly: $0) } }

    /// True if the ASCII text `tag` is found at `offset`.
    func matches(_ tag: String, at offset: Int) -> Bool {
        let ascii = Array(tag.utf8)
        guard fits(offset, ascii.count, end: bytes.count) else { return false }
        return bytes[offset..<(offset + ascii.count)].elementsEqual(ascii)
    }

    /// Four bytes as text (for chunk and box types); non-ASCII bytes become "?".
    func fourCC(at offset: Int) -> String {
        guard fits(offset, 4, end: bytes.count) else { return "????" }
        let scalars = bytes[offset..<(offset + 4)].map { $0 >= 0x20 && $0 < 0x7F ? Character(UnicodeScalar($0)) : "?" }
        return String(scalars)
    }
}

/// Big- and little-endian byte encodings for building output.
enum Encode {
    static func be16(_ value: Int) -> [UInt8] { [UInt8((value >> 8) & 0xFF), UInt8(value & 0xFF)] }
    static func be32(_ value: UInt32) -> [UInt8] { [24, 16, 8, 0].map { UInt8((value >> UInt32($0)) & 0xFF) } }
    static func le32(_ value: UInt32) -> [UInt8] { [0, 8, 16, 24].map { UInt8((value >> UInt32($0)) & 0xFF) } }
}

// MARK: - JPEG

/// Walks JPEG marker segments, keeping what a decoder needs and dropping metadata.
///
/// Kept: APP0 JFIF (with any embedded thumbnail removed), APP2 `ICC_PROFILE`, APP14 `Adobe`, and every non-APP segment
/// (DQT, DHT, SOFn, DRI, SOS, ...). Dropped: other APP0 (e.g. JFXX thumbnails), APP1 (Exif, XMP), APP2–APP15 otherwise
/// (MPF, Photoshop/IPTC, ...), and COM. Entropy-coded data is copied verbatim up to and including the end-of-image
/// marker; anything after it (e.g. MPF secondary images or vendor trailers, which carry their own Exif) is dropped.
/// An EXIF Orientation other than 1 is written back as a minimal Exif APP1 holding only that tag.
enum JPEGCleaner {
    static func clean(_ input: [UInt8]) throws(ImageRefusal) -> ParsedImage {
        let reader = ByteReader(input)
        let count = input.count
        var header: [UInt8] = []  // kept segments before the first SOS
        var body: [UInt8] = []  // first SOS up to and including EOI
        var exifInsertionPoint = 0  // where in `header` the orientation segment goes
        var keptAnySegment = false
        var frameSize: (width: Int, height: Int)?
        var orientation: ExifOrientation?
        var sawExif = false
        var sawScan = false
        var inScan = false
        var position = 2

        while true {
            if inScan {
                let start = position
                var foundMarker = false
                while position + 1 < count {
                    if input[position] == 0xFF {
                        let next = input[position + 1]
                        if next == 0xFF {
                            position += 1
                            continue
                        }
                        if next == 0x00 || (0xD0...0xD7).contains(next) {
                            position += 2
                            continue
                        }
                        foundMarker = true
                        break
                    }
                    position += 1
                }
                guard foundMarker else { throw malformed("the image data ends without an end-of-image marker (truncated)") }
                body.append(contentsOf: input[start..<position])
                inScan = false
            }
            guard position < count, input[position] == 0xFF else {
                throw malformed(
                    position >= count
                        ? "the file ends before the start of scan (truncated)"
                        : "expected a marker at byte \(position)")
            }
            while position < count, input[position] == 0xFF { position += 1 }
            guard position < count else { throw malformed("the file ends inside a marker (truncated)") }
            let marker = input[position]
            position += 1

            switch marker {
            case 0xD9:
                guard sawScan else { throw malformed("there is no start-of-scan segment before the end-of-image marker") }
                body.append(contentsOf: [0xFF, 0xD9])
                guard let size = frameSize else { throw malformed("there is no frame header (SOF)") }
                let exif = orientation.map { $0.segment() } ?? []
                var output: [UInt8] = [0xFF, 0xD8]
                output.reserveCapacity(2 + header.count + exif.count + body.count)
                output.append(contentsOf: header[0..<exifInsertionPoint])
                output.append(contentsOf: exif)
                output.append(contentsOf: header[exifInsertionPoint...])
                output.append(contentsOf: body)
                return ParsedImage(width: size.width, height: size.height, bytes: output)
            case 0xD8:
                throw malformed("a second start-of-image marker appears at byte \(position - 2)")
            case 0x00:
                throw malformed("a stray 0xFF00 appears outside the image data at byte \(position - 2)")
            case 0x01, 0xD0...0xD7:
                // Stand-alone markers without a length: copy them as they are.
                if sawScan { body.append(contentsOf: [0xFF, marker]) } else { header.append(contentsOf: [0xFF, marker]) }
                continue
            default:
                break
            }

            guard let length = reader.be16(position, end: count) else {
                throw malformed("the file ends inside the length of segment FF\(hex(marker)) (truncated)")
            }
            guard length >= 2 else { throw malformed("segment FF\(hex(marker)) has an impossible length of \(length)") }
            let segmentEnd = position + length
            guard segmentEnd <= count else {
                throw malformed("segment FF\(hex(marker)) at byte \(position - 2) runs past the end of the file")
            }
            let payload = (position + 2)..<segmentEnd

            var kept: [UInt8]?
            switch marker {
            case 0xE0:
                kept = jfifWithoutThumbnail(input, payload)
            case 0xE1:
                if !sawExif, reader.matches("Exif\0\0", at: payload.lowerBound) {
                    sawExif = true
                    orientation = ExifOrientation.read(from: input, tiffStart: payload.lowerBound + 6, end: payload.upperBound)
                }
            case 0xE2:
                if reader.matches("ICC_PROFILE\0", at: payload.lowerBound) { kept = Array(input[(position - 2)..<segmentEnd]) }
            case 0xEE:
                if reader.matches("Adobe", at: payload.lowerBound) { kept = Array(input[(position - 2)..<segmentEnd]) }
            case 0xE3...0xED, 0xEF, 0xFE:
                kept = nil
            default:
                kept = Array(input[(position - 2)..<segmentEnd])
            }

            if isStartOfFrame(marker), frameSize == nil {
                guard let height = reader.be16(payload.lowerBound + 1, end: segmentEnd),
                    let width = reader.be16(payload.lowerBound + 3, end: segmentEnd)
                else {
                    throw malformed("the frame header (SOF) is too short")
                }
                guard width > 0, height > 0 else { throw malformed("the frame header gives a zero width or height") }
                frameSize = (width, height)
            }
            if marker == 0xDA {
                guard frameSize != nil else { throw malformed("a start-of-scan segment comes before any frame header (SOF)") }
            }

            if let kept {
                if sawScan {
                    body.append(contentsOf: kept)
                } else {
                    if marker == 0xDA {
                        body.append(contentsOf: kept)
                    } else {
                        header.append(contentsOf: kept)
                        if !keptAnySegment, marker == 0xE0 { exifInsertionPoint = header.count }
                        keptAnySegment = true
                    }
                }
            }
            position = segmentEnd
            if marker == 0xDA {
                sawScan = true
                inScan = true
            }
        }
    }

    /// SOF0–SOF15 except DHT (C4), JPG (C8) and DAC (CC).
    static func isStartOfFrame(_ marker: UInt8) -> Bool {
        (0xC0...0xCF).contains(marker) && marker != 0xC4 && marker != 0xC8 && marker != 0xCC
    }

    /// The APP0 segment rewritten without its optional thumbnail, or nil (drop) if it is not a complete JFIF header.
    static func jfifWithoutThumbnail(_ input: [UInt8], _ payload: Range<Int>) -> [UInt8]? {
        guard ByteReader(input).matches("JFIF\0", at: payload.lowerBound), payload.count >= 14 else { return nil }
        // "JFIF\0", version (2), units (1), densities (2 + 2), then thumbnail width/height set to 0.
        let fields = input[payload.lowerBound..<(payload.lowerBound + 12)]
        return [0xFF, 0xE0, 0x00, 0x10] + fields + [0x00, 0x00]
    }

    static func malformed(_ text: String) -> ImageRefusal { .malformed(.jpeg, text) }

    static func hex(_ byte: UInt8) -> String {
        let digits = Array("0123456789ABCDEF")
        return String([digits[Int(byte >> 4)], digits[Int(byte & 0x0F)]])
    }
}

/// The EXIF Orientation tag (0x0112) of a JPEG, and how to write it back on its own.
struct ExifOrientation: Equatable {
    /// 2…8 (1, "upright", is never kept because it needs no tag).
    let value: Int
    /// Byte order of the original TIFF header, kept so the rewritten header matches it.
    let littleEndian: Bool

    /// Finds Orientation in IFD0 of the TIFF structure starting at `tiffStart`; nil if absent, 1, invalid or unreadable.
    static func read(from bytes: [UInt8], tiffStart: Int, end: Int) -> ExifOrientation? {
        let reader = ByteReader(bytes)
        let littleEndian: Bool
        if reader.matches("II", at: tiffStart) {
            littleEndian = true
        } else if reader.matches("MM", at: tiffStart) {
            littleEndian = false
        } else {
            return nil
        }
        func read(_ offset: Int, _ width: Int) -> Int? {
            let value =
                littleEndian
                ? reader.littleEndian(at: offset, width: width, end: end)
                : reader.bigEndian(at: offset, width: width, end: end)
            return value.flatMap { Int(exactly: $0) }
        }
        guard read(tiffStart + 2, 2) == 42, let ifdOffset = read(tiffStart + 4, 4),
            let entryCount = read(tiffStart + ifdOffset, 2)
        else { return nil }
        var entry = tiffStart + ifdOffset + 2
        for _ in 0..<entryCount {
            guard let tag = read(entry, 2), let type = read(entry + 2, 2), let count = read(entry + 4, 4) else { return nil }
            if tag == 0x0112 {
                guard type == 3, count == 1, let value = read(entry + 8, 2), (2...8).contains(value) else { return nil }
                return ExifOrientation(value: value, littleEndian: littleEndian)
            }
            entry += 12
        }
        return nil
    }

    /// A complete APP1 segment: "Exif\0\0", a TIFF header, and IFD0 with the single Orientation entry.
    func segment() -> [UInt8] {
        func u16(_ value: Int) -> [UInt8] {
            littleEndian ? [UInt8(value & 0xFF), UInt8((value >> 8) & 0xFF)] : [UInt8((value >> 8) & 0xFF), UInt8(value & 0xFF)]
        }
        func u32(_ value: UInt32) -> [UInt8] { littleEndian ? Encode.le32(value) : Encode.be32(value) }
        var tiff: [UInt8] = littleEndian ? [0x49, 0x49] : [0x4D, 0x4D]
        tiff += u16(42) + u32(8)  // magic, IFD0 right after the header
        tiff += u16(1)  // one entry
        tiff += u16(0x0112) + u16(3) + u32(1) + u16(value) + u16(0)  // Orientation, SHORT, count 1, value
        tiff += u32(0)  // no next IFD
        let payload: [UInt8] = Array("Exif\0\0".utf8) + tiff
        return [0xFF, 0xE1] + Encode.be16(payload.count + 2) + payload
    }
}

// MARK: - PNG

/// Walks PNG chunks, verifies each CRC-32, and keeps only the chunks needed to render the image.
enum PNGCleaner {
    static let signature: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]

    /// Critical chunks plus the ancillary chunks that change how the image looks (colour, transparency, animation).
    static let keptChunks: Set<String> = [
        "IHDR", "PLTE", "IDAT", "IEND",
        "tRNS", "gAMA", "cHRM", "sRGB", "iCCP", "sBIT", "pHYs", "bKGD", "acTL", "fcTL", "fdAT",
    ]

    static func clean(_ input: [UInt8]) throws(ImageRefusal) -> ParsedImage {
        let reader = ByteReader(input)
        let count = input.count
        var output = signature
        var size: (width: Int, height: Int)?
        var sawImageData = false
        var position = signature.count

        while true {
            guard let length = reader.be32(position, end: count) else {
                throw malformed("the file ends before the IEND chunk (truncated)")
            }
            guard reader.fits(position + 4, 4, end: count) else { throw malformed("the file ends inside a chunk header (truncated)") }
            let typeBytes = input[(position + 4)..<(position + 8)]
            guard typeBytes.allSatisfy({ (0x41...0x5A).contains($0) || (0x61...0x7A).contains($0) }) else {
                throw malformed("a chunk at byte \(position) has an invalid type")
            }
            let type = reader.fourCC(at: position + 4)
            guard length <= 0x7FFF_FFFF else { throw malformed("chunk \(type) declares an impossible length") }
            let dataStart = position + 8
            guard length <= count - dataStart, count - dataStart - length >= 4 else {
                throw malformed("chunk \(type) at byte \(position) runs past the end of the file")
            }
            let dataEnd = dataStart + length
            let chunkEnd = dataEnd + 4
            guard let storedCRC = reader.be32(dataEnd, end: count),
                UInt32(storedCRC) == CRC32.checksum(input[(position + 4)..<dataEnd])
            else {
                throw malformed("chunk \(type) at byte \(position) has a wrong CRC (corrupted)")
            }

            if size == nil {
                guard type == "IHDR" else { throw malformed("the first chunk is \(type), not IHDR") }
                guard length == 13, let width = reader.be32(dataStart, end: dataEnd),
                    let height = reader.be32(dataStart + 4, end: dataEnd)
                else {
                    throw malformed("the IHDR chunk has the wrong length")
                }
                guard width > 0, height > 0, width <= 0x7FFF_FFFF, height <= 0x7FFF_FFFF else {
                    throw malformed("IHDR gives a zero or out-of-range width or height")
                }
                size = (width, height)
            } else if type == "IHDR" {
                throw malformed("there is a second IHDR chunk")
            }
            if type == "IDAT" { sawImageData = true }
            if keptChunks.contains(type) { output.append(contentsOf: input[position..<chunkEnd]) }
            if type == "IEND" {
                guard sawImageData, let size else { throw malformed("there is no IDAT image data") }
                return ParsedImage(width: size.width, height: size.height, bytes: output)
            }
            position = chunkEnd
        }
    }

    static func malformed(_ text: String) -> ImageRefusal { .malformed(.png, text) }
}

/// CRC-32 (ISO-HDLC, polynomial 0xEDB88320, as used by PNG and zlib).
enum CRC32 {
    static let table: [UInt32] = (0..<256).map { index -> UInt32 in
        var crc = UInt32(index)
        for _ in 0..<8 { crc = (crc & 1) != 0 ? (crc >> 1) ^ 0xEDB8_8320 : crc >> 1 }
        return crc
    }

    static func checksum<Bytes: Sequence>(_ bytes: Bytes) -> UInt32 where Bytes.Element == UInt8 {
        var crc: UInt32 = 0xFFFF_FFFF
        for byte in bytes { crc = table[Int((crc ^ UInt32(byte)) & 0xFF)] ^ (crc >> 8) }
        return crc ^ 0xFFFF_FFFF
    }
}

// MARK: - WebP

/// Walks the RIFF chunks of a WebP file, drops EXIF and XMP (and unknown chunks), clears their VP8X flags and
/// rewrites the RIFF size. Bytes after the RIFF payload are dropped.
enum WebPCleaner {
    static let keptChunks: Set<String> = ["VP8 ", "VP8L", "VP8X", "ALPH", "ANIM", "ANMF", "ICCP"]

    static func clean(_ input: [UInt8]) throws(ImageRefusal) -> ParsedImage {
        let reader = ByteReader(input)
        guard let riffSize = reader.le32(4, end: input.count), riffSize >= 4 else { throw malformed("the RIFF header is too short") }
        guard riffSize <= input.count - 8 else {
            throw malformed("the RIFF header says \(riffSize + 8) bytes but the file has \(input.count) (truncated)")
        }
        let riffEnd = 8 + riffSize
        var chunks: [UInt8] = []
        var canvas: (width: Int, height: Int)?
        var frame: (width: Int, height: Int)?
        var sawImageData = false
        var position = 12

        while position < riffEnd {
            guard riffEnd - position >= 8, let size = reader.le32(position + 4, end: riffEnd) else {
                throw malformed("the file ends inside a chunk header (truncated)")
            }
            let type = reader.fourCC(at: position)
            let dataStart = position + 8
            guard size <= riffEnd - dataStart else { throw malformed("chunk '\(type)' runs past the end of the file") }
            let dataEnd = dataStart + size

            switch type {
            case "VP8X":
                guard position == 12 else { throw malformed("the VP8X chunk is not the first chunk") }
                guard size >= 10, let width = reader.le24(dataStart + 4, end: dataEnd),
                    let height = reader.le24(dataStart + 7, end: dataEnd)
                else {
                    throw malformed("the VP8X chunk is too short")
                }
                canvas = (width + 1, height + 1)
            case "VP8 ":
                sawImageData = true
                if frame == nil { frame = try lossySize(reader, dataStart, dataEnd) }
            case "VP8L":
                sawImageData = true
                if frame == nil { frame = try losslessSize(reader, dataStart, dataEnd) }
            case "ANMF":
                sawImageData = true
            default:
                break
            }

            if keptChunks.contains(type) {
                chunks.append(contentsOf: input[position..<dataEnd])
                if type == "VP8X" {
                    // Flags byte: clear EXIF (0x08) and XMP (0x04) presence bits.
                    chunks[chunks.count - size] &= ~UInt8(0x0C)
                }
                if size % 2 == 1 { chunks.append(dataEnd < riffEnd ? input[dataEnd] : 0) }
            }
            position = min(dataEnd + size % 2, riffEnd)
        }

        guard sawImageData else { throw malformed("there is no VP8, VP8L or ANMF image data") }
        guard let size = canvas ?? frame else { throw malformed("the image size could not be found") }
        guard chunks.count <= Int(UInt32.max) - 4 else { throw malformed("the file is too large for RIFF") }
        let output = Array("RIFF".utf8) + Encode.le32(UInt32(chunks.count + 4)) + Array("WEBP".utf8) + chunks
        return ParsedImage(width: size.width, height: size.height, bytes: output)
    }

    /// Size from a VP8 key frame: 3-byte frame tag, start code 9D 01 2A, then 14-bit width and height.
    static func lossySize(_ reader: ByteReader, _ start: Int, _ end: Int) throws(ImageRefusal) -> (width: Int, height: Int) {
        guard let tag = reader.u8(start, end: end), let width = reader.le16(start + 6, end: end),
            let height = reader.le16(start + 8, end: end)
        else { throw malformed("the VP8 frame header is too short") }
        guard tag & 1 == 0 else { throw malformed("the VP8 frame is not a key frame") }
        guard reader.bigEndian(at: start + 3, width: 3, end: end) == 0x9D012A else { throw malformed("the VP8 start code is missing") }
        guard width & 0x3FFF > 0, height & 0x3FFF > 0 else { throw malformed("the VP8 frame has a zero width or height") }
        return (width & 0x3FFF, height & 0x3FFF)
    }

    /// Size from a VP8L header: signature 0x2F, then 14 bits width−1 and 14 bits height−1 (little-endian bit order).
    static func losslessSize(_ reader: ByteReader, _ start: Int, _ end: Int) throws(ImageRefusal) -> (width: Int, height: Int) {
        guard let signature = reader.u8(start, end: end), let bits = reader.le32(start + 1, end: end) else {
            throw malformed("the VP8L header is too short")
        }
        guard signature == 0x2F, bits >> 29 == 0 else { throw malformed("the VP8L signature or version is wrong") }
        return ((bits & 0x3FFF) + 1, ((bits >> 14) & 0x3FFF) + 1)
    }

    static func malformed(_ text: String) -> ImageRefusal { .malformed(.webp, text) }
}

// MARK: - HEIC

/// One ISO-BMFF box: its type, where it starts, where its content (after the header) starts, and where it ends.
struct Box {
    let type: String
    let start: Int
    let contentStart: Int
    let end: Int
}

/// Erases the Exif and XMP items of a HEIF/HEIC file in place, leaving the file length, every box and every offset unchanged.
///
/// Items are found through `meta` → `iinf` (item types) and `iloc` (where their bytes are). Their bytes are overwritten
/// with an empty but well-formed Exif (a TIFF header with no tags) or XMP (an empty `x:xmpmeta`), followed by zeros or
/// spaces, because readers such as Pillow/pillow-heif fail on an Exif item that is all zeros. Only extents that lie inside
/// a top-level `mdat` (construction method 0) or the `meta`'s `idat` (method 1) are overwritten; a metadata item stored
/// any other way is refused, so metadata is never silently left in place and the box structure is never touched.
enum HEICCleaner {
    static let hevcBrands: Set<String> = ["heic", "heix", "heim", "heis", "hevc", "hevx"]
    static let genericBrands: Set<String> = ["mif1", "msf1"]
    static let avifBrands: Set<String> = ["avif", "avis"]

    /// True if the first box is `ftyp` with an HEVC brand, or a generic HEIF brand and no AVIF brand.
    static func hasHEIFBrand(_ bytes: [UInt8]) -> Bool {
        let reader = ByteReader(bytes)
        guard reader.matches("ftyp", at: 4), let declared = reader.be32(0, end: bytes.count) else { return false }
        let boxEnd = declared < 16 ? bytes.count : min(declared, bytes.count)
        var brands: Set<String> = []
        if reader.fits(8, 4, end: boxEnd) { brands.insert(reader.fourCC(at: 8)) }
        var offset = 16
        while reader.fits(offset, 4, end: boxEnd), brands.count < 64 {
            brands.insert(reader.fourCC(at: offset))
            offset += 4
        }
        if !brands.isDisjoint(with: hevcBrands) { return true }
        return !brands.isDisjoint(with: genericBrands) && brands.isDisjoint(with: avifBrands)
    }

    static func clean(_ input: [UInt8]) throws(ImageRefusal) -> ParsedImage {
        let reader = ByteReader(input)
        let top = try boxes(reader, in: 0..<input.count)
        guard top.first?.type == "ftyp" else { throw malformed("the first box is not ftyp") }
        let metas = top.filter { $0.type == "meta" }
        guard metas.count == 1, let meta = metas.first else {
            throw malformed(metas.isEmpty ? "there is no meta box" : "there is more than one meta box")
        }
        guard meta.end - meta.contentStart >= 4 else { throw malformed("the meta box is too short") }
        let children = try boxes(reader, in: (meta.contentStart + 4)..<meta.end)
        let iinf = try single("iinf", in: children)
        let iloc = try single("iloc", in: children)
        let idat = try single("idat", in: children)

        var metadataItems: [Int: MetadataItem] = [:]
        if let iinf { metadataItems = try metadataItemKinds(reader, iinf: iinf) }
        var output = input
        if !metadataItems.isEmpty {
            guard let iloc else { throw malformed("metadata items exist but there is no iloc box") }
            let mediaData = top.filter { $0.type == "mdat" }.map { $0.contentStart..<$0.end }
            let extents = try locations(reader, iloc: iloc, wanted: Set(metadataItems.keys))
            var totalErased = 0
            for (itemID, kind) in metadataItems.sorted(by: { $0.key < $1.key }) {
                var ranges: [Range<Int>] = []
                for extent in extents[itemID] ?? [] {
                    let range = try resolve(extent, mediaData: mediaData, idat: idat.map { $0.contentStart..<$0.end })
                    totalErased += range.count  // each range lies inside the file, and we stop once the sum exceeds it
                    guard totalErased <= input.count else { throw malformed("metadata item extents add up to more than the file") }
                    ranges.append(range)
                }
                kind.overwrite(ranges, in: &output)
            }
        }

        guard let size = try imageSize(reader, children: children) else { throw malformed("there is no image size (ispe) property") }
        return ParsedImage(
            width: size.shown.width, height: size.shown.height, bytes: output,
            decodedWidth: size.largest.width, decodedHeight: size.largest.height)
    }

    // MARK: Boxes

    /// The boxes that exactly tile `range`; throws if one overruns it.
    static func boxes(_ reader: ByteReader, in range: Range<Int>) throws(ImageRefusal) -> [Box] {
        var result: [Box] = []
        var position = range.lowerBound
        while position < range.upperBound {
            guard let size32 = reader.be32(position, end: range.upperBound), reader.fits(position + 4, 4, end: range.upperBound) else {
                throw malformed("a box header at byte \(position) is cut off (truncated)")
            }
            let type = reader.fourCC(at: position + 4)
            var headerSize = 8
            var size = size32
            if size32 == 1 {
                guard let large = reader.bigEndian(at: position + 8, width: 8, end: range.upperBound) else {
                    throw malformed("the 64-bit size of box '\(type)' is cut off (truncated)")
                }
                guard let largeSize = Int(exactly: large) else { throw malformed("box '\(type)' declares an impossible size") }
                size = largeSize
                headerSize = 16
            } else if size32 == 0 {
                size = range.upperBound - position
            }
            if type == "uuid" { headerSize += 16 }
            guard size >= headerSize else { throw malformed("box '\(type)' at byte \(position) is smaller than its own header") }
            guard size <= range.upperBound - position else {
                throw malformed("box '\(type)' at byte \(position) runs past the end of its parent")
            }
            result.append(Box(type: type, start: position, contentStart: position + headerSize, end: position + size))
            position += size
        }
        return result
    }

    /// The only box of `type` among `boxes`, nil if there is none; throws if there are several.
    static func single(_ type: String, in boxes: [Box]) throws(ImageRefusal) -> Box? {
        let found = boxes.filter { $0.type == type }
        guard found.count <= 1 else { throw malformed("there is more than one '\(type)' box") }
        return found.first
    }

    // MARK: Items

    /// A metadata item to erase, and what to leave in its place so readers still find a well-formed (empty) item.
    enum MetadataItem {
        case exif
        case xmp

        /// Exif item: 4-byte TIFF header offset 0, then a big-endian TIFF header whose IFD0 has no entries.
        static let emptyExif: [UInt8] = [0, 0, 0, 0, 0x4D, 0x4D, 0, 0x2A, 0, 0, 0, 8, 0, 0, 0, 0, 0, 0]
        /// XMP item: an empty x:xmpmeta element; the rest is filled with spaces (allowed XMP padding).
        static let emptyXMP: [UInt8] = Array(#"<x:xmpmeta xmlns:x="adobe:ns:meta/"/>"#.utf8)

        /// Overwrites the item's bytes (the extents in order) with the empty replacement, then zeros (Exif) or spaces (XMP).
        /// If the item is shorter than the replacement, it is all zeros (Exif) or all spaces (XMP) instead.
        func overwrite(_ ranges: [Range<Int>], in bytes: inout [UInt8]) {
            let total = ranges.reduce(0) { $0 + $1.count }
            let template = self == .exif ? Self.emptyExif : Self.emptyXMP
            let filler: UInt8 = self == .exif ? 0 : 0x20
            let replacement = total >= template.count ? template : []
            var written = 0
            for range in ranges {
                for index in range {
                    bytes[index] = written < replacement.count ? replacement[written] : filler
                    written += 1
                }
            }
        }
    }

    /// Items of type `Exif`, and `mime` items whose content type is XMP (`application/rdf+xml`), by item ID.
    static func metadataItemKinds(_ reader: ByteReader, iinf: Box) throws(ImageRefusal) -> [Int: MetadataItem] {
        guard let version = reader.u8(iinf.contentStart, end: iinf.end) else { throw malformed("the iinf box is too short") }
        let entriesStart = iinf.contentStart + 4 + (version == 0 ? 2 : 4)
        guard entriesStart <= iinf.end else { throw malformed("the iinf box is too short") }
        var items: [Int: MetadataItem] = [:]
        for infe in try boxes(reader, in: entriesStart..<iinf.end) where infe.type == "infe" {
            let end = infe.end
            guard let infeVersion = reader.u8(infe.contentStart, end: end) else { throw malformed("an infe box is too short") }
            guard infeVersion >= 2 else { continue }  // versions 0 and 1 have no item type
            let idWidth = infeVersion == 2 ? 2 : 4
            let idOffset = infe.contentStart + 4
            guard let rawID = reader.bigEndian(at: idOffset, width: idWidth, end: end), let itemID = Int(exactly: rawID),
                reader.fits(idOffset + idWidth + 2, 4, end: end)
            else {
                throw malformed("an infe box is too short")
            }
            let itemType = reader.fourCC(at: idOffset + idWidth + 2)
            if itemType == "Exif" {
                items[itemID] = .exif
            } else if itemType == "mime" {
                let nameEnd = stringEnd(reader, from: idOffset + idWidth + 6, end: end)
                let typeStart = min(nameEnd + 1, end)
                let contentType = String(decoding: reader.bytes[typeStart..<stringEnd(reader, from: typeStart, end: end)], as: UTF8.self)
                if contentType.lowercased().hasPrefix("application/rdf+xml") { items[itemID] = .xmp }
            }
        }
        return items
    }

    /// Index of the NUL ending a string that starts at `start`, or `end` if there is none.
    static func stringEnd(_ reader: ByteReader, from start: Int, end: Int) -> Int {
        var index = start
        while index < end, reader.bytes[index] != 0 { index += 1 }
        return index
    }

    /// One piece of an item's data as listed in `iloc`.
    struct Extent {
        let constructionMethod: Int
        let dataReferenceIndex: Int
        let offset: Int
        let length: Int
    }

    /// The extents of the `wanted` items by item ID, in order, from an `iloc` box of version 0, 1 or 2.
    static func locations(_ reader: ByteReader, iloc: Box, wanted: Set<Int>) throws(ImageRefusal) -> [Int: [Extent]] {
        let end = iloc.end
        var position = iloc.contentStart
        func next(_ width: Int) throws(ImageRefusal) -> Int {
            guard let value = reader.bigEndian(at: position, width: width, end: end), let result = Int(exactly: value) else {
                throw malformed("the iloc box is cut off or holds an impossible value")
            }
            position += width
            return result
        }
        let version = try next(1)
        position += 3  // flags
        guard version <= 2 else { throw malformed("the iloc box has unknown version \(version)") }
        let sizes = try next(1)
        let offsetSize = sizes >> 4
        let lengthSize = sizes & 0x0F
        let sizes2 = try next(1)
        let baseOffsetSize = sizes2 >> 4
        let indexSize = version >= 1 ? sizes2 & 0x0F : 0
        let allowed: Set<Int> = [0, 4, 8]
        guard allowed.contains(offsetSize), allowed.contains(lengthSize), allowed.contains(baseOffsetSize),
            allowed.contains(indexSize)
        else {
            throw malformed("the iloc box uses field sizes other than 0, 4 or 8 bytes")
        }
        let itemCount = try next(version < 2 ? 2 : 4)
        var extents: [Int: [Extent]] = [:]
        for _ in 0..<itemCount {
            let itemID = try next(version < 2 ? 2 : 4)
            let constructionMethod = version >= 1 ? (try next(2)) & 0x0F : 0
            let dataReferenceIndex = try next(2)
            let baseOffset = try next(baseOffsetSize)
            let extentCount = try next(2)
            let bytesPerExtent = indexSize + offsetSize + lengthSize
            // With all field sizes 0 every extent is identical and occupies no bytes: read it once.
            let readCount = bytesPerExtent == 0 ? min(extentCount, 1) : extentCount
            for _ in 0..<readCount {
                _ = try next(indexSize)
                let offset = try next(offsetSize)
                let length = try next(lengthSize)
                guard wanted.contains(itemID) else { continue }
                let (start, overflow) = baseOffset.addingReportingOverflow(offset)
                guard !overflow else { throw malformed("an iloc extent offset overflows") }
                extents[itemID, default: []].append(
                    Extent(
                        constructionMethod: constructionMethod, dataReferenceIndex: dataReferenceIndex,
                        offset: start, length: length))
            }
            if position > end { throw malformed("the iloc box is cut off") }
        }
        return extents
    }

    /// The file byte range of a metadata extent; throws unless it lies inside media data we may overwrite.
    static func resolve(_ extent: Extent, mediaData: [Range<Int>], idat: Range<Int>?) throws(ImageRefusal) -> Range<Int> {
        guard extent.dataReferenceIndex == 0 else { return 0..<0 }  // data lives in another file: nothing here to erase
        guard extent.length > 0 else { throw malformed("a metadata item has an extent of unspecified length") }
        switch extent.constructionMethod {
        case 0:
            let (end, overflow) = extent.offset.addingReportingOverflow(extent.length)
            guard !overflow, let container = lastRange(in: mediaData, startingAtOrBefore: extent.offset),
                end <= container.upperBound
            else {
                throw malformed("a metadata item points outside the media data (mdat)")
            }
            return extent.offset..<end
        case 1:
            guard let idat, extent.offset <= idat.count, extent.length <= idat.count - extent.offset else {
                throw malformed("a metadata item points outside the idat box")
            }
            return (idat.lowerBound + extent.offset)..<(idat.lowerBound + extent.offset + extent.length)
        default:
            throw malformed("a metadata item is built from other items and cannot be erased safely")
        }
    }

    /// The last of the ascending, non-overlapping `ranges` whose start is at or before `offset` (binary search).
    static func lastRange(in ranges: [Range<Int>], startingAtOrBefore offset: Int) -> Range<Int>? {
        var low = 0
        var high = ranges.count
        while low < high {
            let middle = low + (high - low) / 2
            if ranges[middle].lowerBound <= offset { low = middle + 1 } else { high = middle }
        }
        return low > 0 ? ranges[low - 1] : nil
    }

    // MARK: Size

    /// `shown`: the primary item's size after clean-aperture crop and rotation (falling back to the largest `ispe`);
    /// `largest`: the largest `ispe` in the file, the biggest raster a decoder allocates, used for the pixel limit.
    static func imageSize(
        _ reader: ByteReader, children: [Box]
    ) throws(ImageRefusal) -> (shown: (width: Int, height: Int), largest: (width: Int, height: Int))? {
        guard let iprp = try single("iprp", in: children) else { return nil }
        let iprpChildren = try boxes(reader, in: iprp.contentStart..<iprp.end)
        guard let ipco = try single("ipco", in: iprpChildren) else { return nil }
        let properties = try boxes(reader, in: ipco.contentStart..<ipco.end)

        var largest: (width: Int, height: Int)?
        var largestArea: UInt64 = 0
        for property in properties where property.type == "ispe" {
            guard let width = reader.be32(property.contentStart + 4, end: property.end),
                let height = reader.be32(property.contentStart + 8, end: property.end)
            else {
                throw malformed("an ispe property is too short")
            }
            guard width > 0, height > 0 else { throw malformed("an ispe property gives a zero width or height") }
            let area = UInt64(width) * UInt64(height)  // both < 2^32, so this cannot overflow
            if largest == nil || area > largestArea {
                largest = (width, height)
                largestArea = area
            }
        }
        guard let largest else { return nil }

        var shown = largest
        if let primary = try primaryItem(reader, children: children),
            let associated = try associations(reader, iprpChildren: iprpChildren, item: primary)
        {
            var size: (width: Int, height: Int)?
            for index in associated where index >= 1 && index <= properties.count {
                let property = properties[index - 1]
                let end = property.end
                switch property.type {
                case "ispe":
                    if let width = reader.be32(property.contentStart + 4, end: end),
                        let height = reader.be32(property.contentStart + 8, end: end)
                    {
                        size = (width, height)
                    }
                case "clap":
                    if let current = size, let widthN = reader.be32(property.contentStart, end: end),
                        let widthD = reader.be32(property.contentStart + 4, end: end),
                        let heightN = reader.be32(property.contentStart + 8, end: end),
                        let heightD = reader.be32(property.contentStart + 12, end: end), widthD > 0, heightD > 0
                    {
                        let width = (widthN + widthD / 2) / widthD
                        let height = (heightN + heightD / 2) / heightD
                        guard width > 0, height > 0 else { throw malformed("the clean aperture (clap) is empty") }
                        size = (min(width, current.width), min(height, current.height))
                    }
                case "irot":
                    if let current = size, let angle = reader.u8(property.contentStart, end: end), angle & 1 == 1 {
                        size = (current.height, current.width)
                    }
                default:
                    break
                }
            }
            if let size { shown = size }
        }
        return (shown, largest)
    }

    /// The item ID named by `pitm`, if any.
    static func primaryItem(_ reader: ByteReader, children: [Box]) throws(ImageRefusal) -> Int? {
        guard let pitm = try single("pitm", in: children), let version = reader.u8(pitm.contentStart, end: pitm.end) else {
            return nil
        }
        return reader.bigEndian(at: pitm.contentStart + 4, width: version == 0 ? 2 : 4, end: pitm.end).flatMap { Int(exactly: $0) }
    }

    /// The 1-based `ipco` property indices associated with `item` by the `ipma` boxes, in order; nil if none.
    static func associations(_ reader: ByteReader, iprpChildren: [Box], item: Int) throws(ImageRefusal) -> [Int]? {
        for ipma in iprpChildren where ipma.type == "ipma" {
            let end = ipma.end
            guard let version = reader.u8(ipma.contentStart, end: end),
                let flags = reader.bigEndian(at: ipma.contentStart + 1, width: 3, end: end),
                let entryCount = reader.be32(ipma.contentStart + 4, end: end)
            else {
                throw malformed("the ipma box is too short")
            }
            var position = ipma.contentStart + 8
            let idWidth = version < 1 ? 2 : 4
            let indexWidth = flags & 1 == 1 ? 2 : 1
            for _ in 0..<entryCount {
                guard let rawID = reader.bigEndian(at: position, width: idWidth, end: end),
                    let count = reader.u8(position + idWidth, end: end)
                else {
                    throw malformed("the ipma box is cut off")
                }
                position += idWidth + 1
                guard reader.fits(position, count * indexWidth, end: end) else { throw malformed("the ipma box is cut off") }
                if Int(exactly: rawID) == item {
                    var indices: [Int] = []
                    for slot in 0..<count {
                        let raw = reader.bigEndian(at: position + slot * indexWidth, width: indexWidth, end: end) ?? 0
                        indices.append(Int(raw) & (indexWidth == 2 ? 0x7FFF : 0x7F))
                    }
                    return indices
                }
                position += count * indexWidth
            }
        }
        return nil
    }

    static func malformed(_ text: String) -> ImageRefusal { .malformed(.heic, text) }
}
