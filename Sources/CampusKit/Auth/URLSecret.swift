import Foundation

/// A secret that is the only key to what its URL opens (a calendar feed, an unsubscribe link):
/// 32 random bytes as 43 base64url characters, unguessable and safe in a path segment.
public enum URLSecret {
    public static func make() -> String {
        var generator = SystemRandomNumberGenerator()
        let bytes = (0..<32).map { _ in UInt8.random(in: 0...255, using: &generator) }
        return Data(bytes).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
    }

    /// The secret in a path segment, if it can be one (exactly 43 base64url characters): anything else is a 404 without a lookup.
    public static func parse(_ segment: Substring) -> String? {
        guard segment.utf8.count == 43,
            segment.utf8.allSatisfy({ byte in
                (65...90).contains(byte) || (97...122).contains(byte) || (48...57).contains(byte) || byte == 45 || byte == 95
            })
        else { return nil }
        return String(segment)
    }
}
