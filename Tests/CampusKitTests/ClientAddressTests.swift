import Testing

@testable import CampusKit

@Suite struct ClientAddressTests {
    let behindNginx = ClientAddressResolver(trusted: [AddressRange("127.0.0.1")!, AddressRange("10.0.0.0/8")!])

    @Test func rangesMatchByTheirPrefix() throws {
        let range = try #require(AddressRange("10.1.0.0/16"))
        #expect(range.contains(IPAddress("10.1.255.7")!))
        #expect(!range.contains(IPAddress("10.2.0.1")!))
        #expect(!range.contains(IPAddress("::1")!))
        #expect(try #require(AddressRange("fd00::/8")).contains(IPAddress("fdab::1")!))
        #expect(try #require(AddressRange("0.0.0.0/0")).contains(IPAddress("203.0.113.9")!))
        #expect(try #require(AddressRange("192.168.1.0/23")).contains(IPAddress("192.168.0.200")!))
        #expect(IPAddress("::ffff:10.0.0.1")?.description == "10.0.0.1")
        for bad in ["10.0.0.0/33", "nginx", "10.0.0", "::1/129", "10.0.0.1/-1", ""] { #expect(AddressRange(bad) == nil, "\(bad)") }
    }

    @Test func anUntrustedPeersHeadersAreIgnored() {
        let direct = ClientAddressResolver(trusted: [])
        #expect(direct.resolve(peer: "198.51.100.4", forwardedFor: ["1.2.3.4"], forwarded: ["for=5.6.7.8"]) == "198.51.100.4")
        #expect(behindNginx.resolve(peer: "198.51.100.4", forwardedFor: ["1.2.3.4"], forwarded: []) == "198.51.100.4")
    }

    @Test func behindTrustedProxiesTheRightMostUntrustedHopIsTheClient() {
        // nginx appended the client it saw; what the client wrote itself (the left part) is not believed.
        #expect(behindNginx.resolve(peer: "127.0.0.1", forwardedFor: ["6.6.6.6, 127.0.0.2"], forwarded: []) == "127.0.0.2")
        #expect(behindNginx.resolve(peer: "127.0.0.1", forwardedFor: ["6.6.6.6", "203.0.113.5, 10.0.0.9"], forwarded: []) == "203.0.113.5")
        #expect(behindNginx.resolve(peer: "127.0.0.1", forwardedFor: [], forwarded: []) == "127.0.0.1")
        #expect(behindNginx.resolve(peer: "127.0.0.1", forwardedFor: ["10.0.0.3, 10.0.0.4"], forwarded: []) == "10.0.0.3")
        #expect(behindNginx.resolve(peer: "127.0.0.1", forwardedFor: ["[2001:db8::7]:443"], forwarded: []) == "2001:db8::7")
        #expect(behindNginx.resolve(peer: "127.0.0.1", forwardedFor: ["203.0.113.5:51000"], forwarded: []) == "203.0.113.5")
        // A hop that is not an address stops the walk at the last one our proxies vouched for.
        #expect(behindNginx.resolve(peer: "127.0.0.1", forwardedFor: ["unknown, 10.0.0.4"], forwarded: []) == "10.0.0.4")
    }

    @Test func forwardedIsReadWhenThereIsNoXForwardedFor() {
        #expect(behindNginx.resolve(peer: "10.0.0.1", forwardedFor: [], forwarded: [#"for=6.6.6.6, for="[2001:db8::17]:4711";proto=https"#]) == "2001:db8::17")
        #expect(behindNginx.resolve(peer: "10.0.0.1", forwardedFor: [], forwarded: ["for=192.0.2.60;proto=http;by=10.0.0.1"]) == "192.0.2.60")
        #expect(behindNginx.resolve(peer: "10.0.0.1", forwardedFor: ["192.0.2.1"], forwarded: ["for=192.0.2.60"]) == "192.0.2.1")
    }
}
