import CampusKit
import Foundation

/// A service's OpenAPI document as the public sees it through the gateway: each path the gateway
/// routes to that service, under its `/api/...` name; paths the gateway does not route
/// (`/internal/...`, `/health`, `/metrics`, the service's own `/docs`) left out; the server
/// relative, since the document is served by the gateway it describes.
public enum PublicAPIDocument {
    /// The services whose documents the gateway publishes at `/api/<name>/openapi.json`.
    public static let services: [ServiceName] = GatewayRoute.table.reduce(into: []) { names, route in
        if !names.contains(route.service) { names.append(route.service) }
    }

    /// The gateway path of `servicePath` (a path template such as `/users/{id}`), nil when not public.
    public static func gatewayPath(of servicePath: String, service: ServiceName) -> String? {
        for route in GatewayRoute.table where route.service == service {
            guard servicePath == route.servicePrefix || servicePath.hasPrefix(route.servicePrefix + "/") else { continue }
            if let allowed = route.publicPaths, !allowed.contains(servicePath) { continue }
            let gatewayPath = route.prefix + servicePath.dropFirst(route.servicePrefix.count)
            // The WebSocket is documented by the gateway itself.
            return gatewayPath == "/api/ws" ? nil : gatewayPath
        }
        return nil
    }

    /// Rewrites `document` (the service's `/openapi.json`); throws when it is not an OpenAPI object.
    public static func rewrite(_ document: Data, service: ServiceName) throws -> Data {
        guard var object = try JSONSerialization.jsonObject(with: document) as? [String: Any], let paths = object["paths"] as? [String: Any]
        else { throw CocoaError(.propertyListReadCorrupt) }
        var publicPaths: [String: Any] = [:]
        for (path, item) in paths {
            if let gatewayPath = gatewayPath(of: path, service: service) { publicPaths[gatewayPath] = item }
        }
        object["paths"] = publicPaths
        object["servers"] = [["url": "/", "description": "The gateway: the public API of Campus Services Hub"]]
        if var info = object["info"] as? [String: Any] {
            info["title"] = "Campus Services Hub – \(service.displayName) (public API through the gateway)"
            info["description"] =
                "\(info["description"] as? String ?? "") To call it, sign in with POST /auth/login (the gateway's own document, /openapi.json and /docs) and send the access_token as Authorization: Bearer <token> (Authorize in Swagger UI). The other services: "
                + services.map { "/api/\($0.rawValue)/docs" }.joined(separator: ", ") + "."
            object["info"] = info
        }
        return try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes])
    }
}
