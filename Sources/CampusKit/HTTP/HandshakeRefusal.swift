import Foundation
import Logging
import NIOCore
import NIOHTTP1

/// Answers a refused WebSocket handshake with our own problem+json (401 for a bad `?token=`, 403
/// for a foreign `Origin`) instead of hummingbird-websocket's bare 400.
///
/// Why here and not in the router: when `shouldUpgrade` returns `.dontUpgrade` for a request that
/// asked to upgrade, `HTTP1WebSocketUpgradeChannel` (2.8) never hands the request to the router —
/// its `failedUpgrade` path writes a fixed, empty 400 and closes (`writeFailedUpgrade` is private,
/// the channel's `Value` is opaque, and the NIO upgrader bridge it builds on is internal). So the
/// refusal is written on the connection from `shouldUpgrade` itself, through the HTTP/1 encoder
/// already in the pipeline, and the connection is closed; the library's own 400 then finds it
/// closed and is dropped.
public enum HandshakeRefusal {
    public static func send(_ error: APIError, on channel: any Channel, logger: Logger) async {
        logger.info("WebSocket handshake refused", metadata: ["status": "\(error.status.code)", "code": "\(error.code)"])
        let response = error.makeResponse()
        var headers = HTTPHeaders()
        for field in response.headers { headers.add(name: field.name.rawName, value: field.value) }
        let body = error.problemBody
        headers.replaceOrAdd(name: "Content-Length", value: String(body.readableBytes))
        headers.replaceOrAdd(name: "Connection", value: "close")
        let head = HTTPResponseHead(version: .http1_1, status: .init(statusCode: Int(error.status.code)), headers: headers)
        channel.write(HTTPServerResponsePart.head(head), promise: nil)
        channel.write(HTTPServerResponsePart.body(.byteBuffer(body)), promise: nil)
        try? await channel.writeAndFlush(HTTPServerResponsePart.end(nil)).get()
        try? await channel.close().get()
    }
}
