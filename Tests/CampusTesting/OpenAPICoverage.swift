import Foundation
import Hummingbird

/// Checks a hand-written OpenAPI document against the routes a router really serves.
public enum OpenAPICoverage {
    /// Routes the router serves that the document lacks (as `METHOD /path`), plus operations
    /// without any 2xx response or without a 401 when they need a token. Empty when all is well.
    public static func problems(router: Router<some RequestContext>, spec: String) -> [String] {
        guard let document = try? JSONSerialization.jsonObject(with: Data(spec.utf8)) as? [String: Any],
            let paths = document["paths"] as? [String: [String: Any]]
        else {
            return ["the document is not valid JSON with a paths object"]
        }
        var problems: [String] = []
        for route in router.routes {
            let path = route.path.description.replacingOccurrences(of: "**", with: "{path}")
            let method = route.method.rawValue.lowercased()
            guard let operation = paths[path]?[method] as? [String: Any] else {
                problems.append("\(route.method) \(path) is not documented")
                continue
            }
            let responses = (operation["responses"] as? [String: Any]) ?? [:]
            if !responses.keys.contains(where: { $0.hasPrefix("2") || $0 == "101" }) {
                problems.append("\(route.method) \(path) documents no success response")
            }
            let isPublic = (operation["security"] as? [Any])?.isEmpty == true
            if !isPublic && responses["401"] == nil {
                problems.append("\(route.method) \(path) needs a token but documents no 401")
            }
        }
        return problems
    }
}
