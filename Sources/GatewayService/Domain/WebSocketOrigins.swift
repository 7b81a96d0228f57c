import Foundation

/// Which browser origins may open `/api/ws`: the gateway's own (the `Origin` names the host the
/// request was sent to) and those in `CORS_ORIGINS`. Browsers send `http(s)://host[:port]` or
/// `null`; a `ws://`/`wss://` origin is a WebSocket library's own (Hummingbird's client sends one),
/// never a web page's, so it is not a cross-site attempt and is let through.
struct WebSocketOrigins: Sendable {
    let allowed: Set<String>

    init(allowed: [String]) {
        self.allowed = Set(allowed.map { $0.lowercased().trimmingSuffix("/") })
    }

    func allows(_ origin: String, host: String?) -> Bool {
        let origin = origin.lowercased().trimmingSuffix("/")
        if allowed.contains(origin) || allowed.contains("*") { return true }
        guard let components = URLComponents(string: origin), let scheme = components.scheme else { return false }
        if scheme == "ws" || scheme == "wss" { return true }
        guard let host = host?.lowercased(), scheme == "http" || scheme == "https", let originHost = components.host else { return false }
        // A proxy that passes Host without its port (nginx's `$host`) is matched by name alone.
        guard let colon = host.lastIndex(of: ":"), !host.hasSuffix("]") else { return originHost == host }
        let defaultPort = scheme == "https" ? 443 : 80
        return originHost == host[..<colon] && String(components.port ?? defaultPort) == host[host.index(after: colon)...]
    }
}

extension String {
    fileprivate func trimmingSuffix(_ suffix: String) -> String { hasSuffix(suffix) ? String(dropLast(suffix.count)) : self }
}
