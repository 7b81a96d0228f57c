import Foundation
import Hummingbird

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// An IP address as its bytes (4 for IPv4, 16 for IPv6; an IPv4-mapped IPv6 address is its IPv4).
public struct IPAddress: Sendable, Hashable, CustomStringConvertible {
    public let bytes: [UInt8]

    /// Parses `203.0.113.7` or `2001:db8::1`; nil for anything else.
    public init?(_ text: some StringProtocol) {
        let text = String(text)
        var v4 = in_addr()
        if inet_pton(AF_INET, text, &v4) == 1 {
            bytes = withUnsafeBytes(of: &v4) { Array($0) }
            return
        }
        var v6 = in6_addr()
        guard inet_pton(AF_INET6, text, &v6) == 1 else { return nil }
        let all = withUnsafeBytes(of: &v6) { Array($0) }
        bytes = all[0..<12] == [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xFF, 0xFF] ? Array(all[12...]) : all
    }

    /// The canonical text (`::ffff:10.0.0.1` reads `10.0.0.1`), so one client is one key.
    public var description: String {
        var buffer = [CChar](repeating: 0, count: Int(INET6_ADDRSTRLEN))
        var bytes = bytes
        let family = bytes.count == 4 ? AF_INET : AF_INET6
        guard inet_ntop(family, &bytes, &buffer, socklen_t(buffer.count)) != nil else { return "unknown" }
        return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}

/// A CIDR range (`10.0.0.0/8`, `fd00::/8`) or one address (`127.0.0.1`): one entry of `TRUSTED_PROXIES`.
public struct AddressRange: Sendable, Hashable, CustomStringConvertible {
    public let network: IPAddress
    public let prefixLength: Int

    public init?(_ text: some StringProtocol) {
        let parts = text.split(separator: "/", maxSplits: 1, omittingEmptySubsequences: false)
        guard let network = IPAddress(parts[0].trimmingCharacters(in: .whitespaces)) else { return nil }
        let bits = network.bytes.count * 8
        if parts.count == 2 {
            guard let length = Int(parts[1]), (0...bits).contains(length) else { return nil }
            prefixLength = length
        } else {
            prefixLength = bits
        }
        self.network = network
    }

    public func contains(_ address: IPAddress) -> Bool {
        guard address.bytes.count == network.bytes.count else { return false }
        var remaining = prefixLength
        for (mine, theirs) in zip(network.bytes, address.bytes) where remaining > 0 {
            let mask: UInt8 = remaining >= 8 ? 0xFF : ~(0xFF >> UInt8(remaining))
            if mine & mask != theirs & mask { return false }
            remaining -= 8
        }
        return true
    }

    public var description: String { "\(network)/\(prefixLength)" }
}

/// Who the client is: the TCP peer, unless the peer is one of our proxies (`TRUSTED_PROXIES`);
/// then the right-most address of `X-Forwarded-For` (or, without one, RFC 7239 `Forwarded`)
/// that is not itself a trusted proxy. An untrusted peer's forwarding headers are ignored, so
/// nobody outside can choose the address their sign-in limit and audit lines are kept under.
public struct ClientAddressResolver: Sendable {
    public let trusted: [AddressRange]

    public init(trusted: [AddressRange]) { self.trusted = trusted }

    public func isTrusted(_ address: IPAddress) -> Bool { trusted.contains { $0.contains(address) } }

    /// `peer` is the TCP peer's address text; `forwardedFor` and `forwarded` the values of those headers, in order.
    public func resolve(peer: String?, forwardedFor: [String], forwarded: [String]) -> String {
        guard let peerText = peer, let peerAddress = IPAddress(peerText) else { return peer ?? "unknown" }
        guard isTrusted(peerAddress) else { return peerAddress.description }
        let hops = forwardedFor.isEmpty ? Self.forwardedHops(forwarded) : Self.forwardedForHops(forwardedFor)
        var client = peerAddress
        for hop in hops.reversed() {
            // A hop we cannot read was not written by our proxies: stop at the last one we could.
            guard let address = IPAddress(hop) else { break }
            client = address
            if !isTrusted(address) { break }
        }
        return client.description
    }

    /// `X-Forwarded-For: client, proxy1, proxy2` (ports and IPv6 brackets removed).
    static func forwardedForHops(_ values: [String]) -> [String] {
        values.flatMap { $0.split(separator: ",") }.map { hostOnly($0.trimmingCharacters(in: .whitespaces)) }
    }

    /// RFC 7239: `Forwarded: for=192.0.2.60;proto=http, for="[2001:db8::17]:4711"`.
    static func forwardedHops(_ values: [String]) -> [String] {
        values.flatMap { $0.split(separator: ",") }.compactMap { element in
            for pair in element.split(separator: ";") {
                let keyValue = pair.split(separator: "=", maxSplits: 1)
                guard keyValue.count == 2, keyValue[0].trimmingCharacters(in: .whitespaces).lowercased() == "for" else { continue }
                let value = keyValue[1].trimmingCharacters(in: .whitespaces).trimmingCharacters(in: CharacterSet(charactersIn: "\""))
                return hostOnly(value)
            }
            return ""
        }
    }

    /// `[2001:db8::1]:443` → `2001:db8::1`; `192.0.2.1:8080` → `192.0.2.1`; a bare address unchanged.
    static func hostOnly(_ text: String) -> String {
        if text.hasPrefix("["), let end = text.firstIndex(of: "]") { return String(text[text.index(after: text.startIndex)..<end]) }
        if text.filter({ $0 == ":" }).count == 1, let colon = text.firstIndex(of: ":") { return String(text[..<colon]) }
        return text
    }
}

/// Sets ``CampusRequestContext/clientAddress`` from the peer and, behind trusted proxies, their
/// forwarding headers; the address goes into the request's log metadata too.
public struct ClientAddressMiddleware: RouterMiddleware {
    public typealias Context = CampusRequestContext
    let resolver: ClientAddressResolver

    public init(resolver: ClientAddressResolver) { self.resolver = resolver }

    public func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var context = context
        context.clientAddress = resolver.resolve(
            peer: context.remoteAddress?.ipAddress,
            forwardedFor: request.headers[values: .xForwardedFor],
            forwarded: request.headers[values: .forwarded])
        context.logger[metadataKey: "client_address"] = .string(context.clientAddress)
        return try await next(request, context)
    }
}
