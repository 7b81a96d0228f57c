import Foundation
import Hummingbird
import NIOCore

/// Writes JSON straight into a buffer, for the few response bodies on hot routes: the same bytes
/// ``CampusJSON/encoder`` writes (sorted keys, unescaped slashes, Decimals in plain notation),
/// without Codable's containers and key conversion. Callers write their
/// keys in sorted order; `JSONWriterTests` holds each writer to the encoder's bytes.
public struct JSONWriter {
    public private(set) var buffer: ByteBuffer
    /// Per open object or array: whether a member has been written (a comma comes before the next).
    private var hasMember: [Bool] = []

    public init(capacity: Int = 256) {
        buffer = ByteBufferAllocator().buffer(capacity: capacity)
    }

    public mutating func object(_ members: (inout JSONWriter) throws -> Void) rethrows {
        separate()
        buffer.writeInteger(UInt8(ascii: "{"))
        hasMember.append(false)
        try members(&self)
        hasMember.removeLast()
        buffer.writeInteger(UInt8(ascii: "}"))
    }

    public mutating func array<S: Sequence>(_ elements: S, _ element: (inout JSONWriter, S.Element) throws -> Void) rethrows {
        separate()
        buffer.writeInteger(UInt8(ascii: "["))
        hasMember.append(false)
        for item in elements { try element(&self, item) }
        hasMember.removeLast()
        buffer.writeInteger(UInt8(ascii: "]"))
    }

    /// A member's key; its value is the next thing written.
    public mutating func key(_ key: StaticString) {
        separate()
        buffer.writeInteger(UInt8(ascii: "\""))
        buffer.writeStaticString(key)
        buffer.writeString("\":")
        valueFollowsKey = true
    }

    private var valueFollowsKey = false

    public mutating func string(_ text: String) {
        separate()
        buffer.writeInteger(UInt8(ascii: "\""))
        let utf8 = text.utf8
        // Most text needs no escaping: one write for the whole string.
        if !utf8.contains(where: { $0 < 0x20 || $0 == UInt8(ascii: "\"") || $0 == UInt8(ascii: "\\") }) {
            buffer.writeString(text)
        } else {
            for byte in utf8 {
                switch byte {
                case UInt8(ascii: "\""): buffer.writeString("\\\"")
                case UInt8(ascii: "\\"): buffer.writeString("\\\\")
                case 0x08: buffer.writeString("\\b")
                case 0x0C: buffer.writeString("\\f")
                case 0x0A: buffer.writeString("\\n")
                case 0x0D: buffer.writeString("\\r")
                case 0x09: buffer.writeString("\\t")
                case ..<0x20:
                    let hex = Array("0123456789abcdef".utf8)
                    buffer.writeString("\\u00")
                    buffer.writeInteger(hex[Int(byte >> 4)])
                    buffer.writeInteger(hex[Int(byte & 0xF)])
                default: buffer.writeInteger(byte)
                }
            }
        }
        buffer.writeInteger(UInt8(ascii: "\""))
    }

    public mutating func string(_ text: String?) {
        if let text { string(text) } else { null() }
    }

    public mutating func number(_ value: Int?) {
        guard let value else { return null() }
        separate()
        buffer.writeString(String(value))
    }

    public mutating func null() {
        separate()
        buffer.writeString("null")
    }

    public mutating func bool(_ value: Bool) {
        separate()
        buffer.writeString(value ? "true" : "false")
    }

    /// A Decimal as the encoder writes it (`3.53`, `0.5`, `30`, `-1.25`: its `description`).
    public mutating func number(_ value: Decimal) {
        separate()
        buffer.writeString(value.description)
    }

    public mutating func number(_ value: Decimal?) {
        if let value { number(value) } else { null() }
    }

    private mutating func separate() {
        if valueFollowsKey {
            valueFollowsKey = false
            hasMember[hasMember.count - 1] = true
            return
        }
        guard let last = hasMember.last else { return }
        if last { buffer.writeInteger(UInt8(ascii: ",")) }
        hasMember[hasMember.count - 1] = true
    }

    /// A 200 (or `status`) JSON response with the written body.
    public func response(status: HTTPResponse.Status = .ok, headers: HTTPFields = [:]) -> Response {
        .json(body: buffer, status: status, headers: headers)
    }
}
