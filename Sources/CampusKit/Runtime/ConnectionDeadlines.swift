import HTTPTypes
import Hummingbird
import HummingbirdCore
import HummingbirdWebSocket
import Logging
import NIOCore
import NIOHTTPTypes

/// How long a connection may take over its request headers, and how long it may sit idle
/// (`HEADER_TIMEOUT`, `IDLE_TIMEOUT`): one client dribbling bytes cannot hold the server's sockets.
public struct ConnectionTimeouts: Sendable, Equatable {
    /// From the first byte of a request to the end of its headers.
    public var headerSeconds: Int
    /// With no request in progress: after the connection opens, and after each response.
    public var idleSeconds: Int

    public init(headerSeconds: Int, idleSeconds: Int) {
        self.headerSeconds = headerSeconds
        self.idleSeconds = idleSeconds
    }
}

extension HTTPServerBuilder {
    /// HTTP/1.1 with the connection deadlines of `timeouts`: what every service serves with.
    public static func campusHTTP1(timeouts: ConnectionTimeouts) -> HTTPServerBuilder {
        .init { responder in
            DeadlineChildChannel(
                inner: HTTP1Channel(responder: responder, configuration: .init(additionalChannelHandlers: [RequestPartWatch()])),
                timeouts: timeouts)
        }
    }

    /// HTTP/1.1 that upgrades to a WebSocket where `shouldUpgrade` says so, with the deadlines of
    /// `timeouts` until then; an upgraded connection is left to the WebSocket's own pings.
    public static func campusWebSocket(
        timeouts: ConnectionTimeouts, configuration: WebSocketServerConfiguration,
        shouldUpgrade:
            @escaping @Sendable (HTTPRequest, any Channel, Logger) async throws -> ShouldUpgradeResult<
                WebSocketDataHandler<HTTP1WebSocketUpgradeChannel.Context>
            >
    ) -> HTTPServerBuilder {
        .init { responder in
            DeadlineChildChannel(
                inner: HTTP1WebSocketUpgradeChannel(
                    responder: responder,
                    configuration: .init(http1: .init(additionalChannelHandlers: [RequestPartWatch()]), ws: configuration)
                ) { request, channel, logger in
                    ConnectionDeadlineHandler.on(channel) { $0.requestHeadArrived() }
                    let decision = try await shouldUpgrade(request, channel, logger)
                    if case .upgrade = decision { ConnectionDeadlineHandler.on(channel) { $0.upgraded() } }
                    return decision
                },
                timeouts: timeouts)
        }
    }
}

/// Puts a ``ConnectionDeadlineHandler`` first in a connection's pipeline (it sees the raw bytes),
/// then sets the connection up as `inner` would.
struct DeadlineChildChannel<Inner: ServerChildChannel>: ServerChildChannel {
    typealias Value = Inner.Value
    let inner: Inner
    let timeouts: ConnectionTimeouts

    func setup(channel: any Channel, logger: Logger) -> EventLoopFuture<Value> {
        channel.eventLoop.makeCompletedFuture {
            try channel.pipeline.syncOperations.addHandler(ConnectionDeadlineHandler(timeouts: timeouts))
        }.flatMap { inner.setup(channel: channel, logger: logger) }
    }

    func handle(value: Value, logger: Logger) async {
        await inner.handle(value: value, logger: logger)
    }
}

/// The connection's clock. Waiting for a request, the idle deadline runs; from a request's first
/// byte to its parsed head, the header deadline (then the connection is answered 408 and closed);
/// while its body arrives, the idle deadline between reads; while it is handled, none; after a
/// WebSocket upgrade, none ever again.
final class ConnectionDeadlineHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = ByteBuffer
    typealias OutboundOut = ByteBuffer

    private enum Phase { case waiting, readingHead, readingBody, inRequest, upgraded }

    private let timeouts: ConnectionTimeouts
    private var phase = Phase.waiting
    private var requestsInProgress = 0
    private var deadline: Scheduled<Void>?
    private var context: ChannelHandlerContext?

    init(timeouts: ConnectionTimeouts) { self.timeouts = timeouts }

    /// Runs `change` on `channel`'s handler, on its event loop (from a WebSocket's `shouldUpgrade`).
    static func on(_ channel: any Channel, _ change: @escaping @Sendable (ConnectionDeadlineHandler) -> Void) {
        channel.eventLoop.execute {
            if let handler = try? channel.pipeline.syncOperations.handler(type: ConnectionDeadlineHandler.self) { change(handler) }
        }
    }

    func handlerAdded(context: ChannelHandlerContext) {
        self.context = context
        if context.channel.isActive { startWaiting() }
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        cancelDeadline()
        self.context = nil
    }

    func channelActive(context: ChannelHandlerContext) {
        if phase == .waiting, deadline == nil { startWaiting() }
        context.fireChannelActive()
    }

    func channelInactive(context: ChannelHandlerContext) {
        cancelDeadline()
        context.fireChannelInactive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch phase {
        case .waiting:
            phase = .readingHead
            schedule(after: timeouts.headerSeconds) { handler in handler.headersTooSlow() }
        case .readingBody:
            // The body is still arriving: it has another idle period for its next bytes.
            waitForBody()
        default:
            break
        }
        context.fireChannelRead(data)
    }

    /// A request's head was parsed: no deadline until its response is written.
    func requestHeadArrived() {
        guard phase != .upgraded else { return }
        phase = .inRequest
        cancelDeadline()
    }

    /// A request's head was parsed and its body follows: a body that stops arriving for
    /// `IDLE_TIMEOUT` closes the connection (a stalled upload cannot hold a socket for ever).
    func requestStarted() {
        requestsInProgress += 1
        guard phase != .upgraded else { return }
        phase = .readingBody
        waitForBody()
    }

    /// The request's body is complete: no deadline while it is handled.
    func requestBodyFinished() {
        guard phase == .readingBody else { return }
        phase = .inRequest
        cancelDeadline()
    }

    private func waitForBody() {
        schedule(after: timeouts.idleSeconds) { handler in handler.context?.close(promise: nil) }
    }

    func responseFinished() {
        requestsInProgress = max(0, requestsInProgress - 1)
        // A response before the whole body (an early refusal) ends the request too.
        if requestsInProgress == 0, phase == .inRequest || phase == .readingBody { startWaiting() }
    }

    func upgraded() {
        phase = .upgraded
        cancelDeadline()
    }

    private func startWaiting() {
        phase = .waiting
        schedule(after: timeouts.idleSeconds) { handler in handler.context?.close(promise: nil) }
    }

    private func headersTooSlow() {
        guard let context else { return }
        let problem = APIError(
            .requestTimeout, code: "request_timeout",
            detail: "The request's headers did not arrive within \(timeouts.headerSeconds) s of its first byte; the connection is closed.")
        let body = problem.problemBody
        var response = context.channel.allocator.buffer(capacity: 256 + body.readableBytes)
        response.writeString(
            "HTTP/1.1 408 Request Timeout\r\nContent-Type: \(ProblemDetails.mediaType)\r\nContent-Length: \(body.readableBytes)\r\n"
                + "X-Content-Type-Options: nosniff\r\nConnection: close\r\n\r\n")
        response.writeImmutableBuffer(body)
        context.writeAndFlush(wrapOutboundOut(response)).assumeIsolated().whenComplete { _ in context.close(promise: nil) }
    }

    private func schedule(after seconds: Int, _ fire: @escaping (ConnectionDeadlineHandler) -> Void) {
        cancelDeadline()
        guard let context else { return }
        deadline = context.eventLoop.assumeIsolated().scheduleTask(in: .seconds(Int64(seconds))) { [self] in
            deadline = nil
            fire(self)
        }
    }

    private func cancelDeadline() {
        deadline?.cancel()
        deadline = nil
    }
}

@available(*, unavailable)
extension ConnectionDeadlineHandler: Sendable {}

/// Sits after HTTP parsing and tells the connection's ``ConnectionDeadlineHandler`` when a request
/// head arrives and when its response ends.
final class RequestPartWatch: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPRequestPart
    typealias InboundOut = HTTPRequestPart
    typealias OutboundIn = HTTPResponsePart
    typealias OutboundOut = HTTPResponsePart

    private var deadlines: ConnectionDeadlineHandler?

    func handlerAdded(context: ChannelHandlerContext) {
        deadlines = try? context.pipeline.syncOperations.handler(type: ConnectionDeadlineHandler.self)
    }

    func handlerRemoved(context: ChannelHandlerContext) { deadlines = nil }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head: deadlines?.requestStarted()
        case .end: deadlines?.requestBodyFinished()
        case .body: break
        }
        context.fireChannelRead(data)
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        if case .end = unwrapOutboundIn(data) { deadlines?.responseFinished() }
        context.write(data, promise: promise)
    }
}

@available(*, unavailable)
extension RequestPartWatch: Sendable {}
