import Foundation
import Hummingbird
import HummingbirdTesting
import NIOCore

/// Test-side views of the wire: plain JSON objects, so a change on the wire breaks a test.
public typealias JSONObject = [String: Any]

extension TestResponse {
    public var json: JSONObject {
        (try? JSONSerialization.jsonObject(with: Data(body.readableBytesView))) as? JSONObject ?? [:]
    }
    public var jsonArray: [JSONObject] {
        (try? JSONSerialization.jsonObject(with: Data(body.readableBytesView))) as? [JSONObject] ?? []
    }
    public var text: String { String(buffer: body) }
    /// `code` of a problem+json body.
    public var problemCode: String? { json["code"] as? String }
    public var isProblem: Bool { headers[.contentType] == "application/problem+json" }
}

public func jsonBody(_ object: JSONObject) -> ByteBuffer {
    ByteBuffer(bytes: (try? JSONSerialization.data(withJSONObject: object)) ?? Data())
}

public func bearer(_ token: String, _ extra: HTTPFields = [:]) -> HTTPFields {
    var fields = extra
    fields[.authorization] = "Bearer \(token)"
    fields[.contentType] = "application/json"
    return fields
}

public let jsonHeaders: HTTPFields = [.contentType: "application/json"]
