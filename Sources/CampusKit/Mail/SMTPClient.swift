import Foundation
import NIOCore
import NIOPosix
import NIOSSL

/// How a message leaves for the mail server (`SMTP_*` settings, docs/contract.md §10).
public struct SMTPSettings: Sendable, Equatable {
    public enum Security: String, Sendable, CaseIterable {
        /// Plain text all the way (a relay on the same host or network).
        case none
        /// Plain connection upgraded with STARTTLS before anything else is sent; refused if the server does not offer it.
        case starttls
        /// TLS from the first byte (port 465).
        case tls

        public var defaultPort: Int {
            switch self {
            case .none: 25
            case .starttls: 587
            case .tls: 465
            }
        }
    }

    public struct Credentials: Sendable, Equatable {
        public var username: String
        public var password: String
        public init(username: String, password: String) {
            self.username = username
            self.password = password
        }
    }

    public var host: String
    public var port: Int
    public var security: Security
    /// PEM certificates trusted instead of the system's roots.
    public var caFile: String?
    public var credentials: Credentials?
    public var from: MailAddress
    /// Seconds to wait for any one reply (RFC 5321 §4.5.3.2 allows minutes; a stuck server should not hold mail that long).
    public var replyTimeout: Double = 60

    public init(host: String, port: Int, security: Security, caFile: String? = nil, credentials: Credentials? = nil, from: MailAddress) {
        self.host = host
        self.port = port
        self.security = security
        self.caFile = caFile
        self.credentials = credentials
        self.from = from
    }
}

/// A reply of the mail server: its code and the text of each line.
public struct SMTPReply: Sendable, Equatable, CustomStringConvertible {
    public let code: Int
    public let lines: [String]

    public var isPositive: Bool { (200..<400).contains(code) }
    /// 4xx: try again later. 5xx: do not.
    public var isTransient: Bool { (400..<500).contains(code) }
    public var description: String { "\(code) \(lines.joined(separator: " / "))" }
}

public enum SMTPError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The server answered with a code that ends the session or the step (a greeting, EHLO, STARTTLS or AUTH refused).
    case refused(step: String, reply: SMTPReply)
    case startTLSNotOffered
    case authenticationNotOffered
    case malformedReply(String)
    case timedOut(step: String)
    case connectionClosed

    /// Whether trying again later may succeed (a 5xx refusal of credentials, or a server without TLS, will not fix itself).
    public var isTransient: Bool {
        switch self {
        case .refused(_, let reply): reply.isTransient
        case .startTLSNotOffered, .authenticationNotOffered: false
        case .malformedReply, .timedOut, .connectionClosed: true
        }
    }

    public var description: String {
        switch self {
        case .refused(let step, let reply): "the mail server refused \(step): \(reply)"
        case .startTLSNotOffered: "the mail server does not offer STARTTLS (SMTP_TLS=starttls)"
        case .authenticationNotOffered: "the mail server offers no AUTH PLAIN or LOGIN for SMTP_USERNAME"
        case .malformedReply(let line): "the mail server sent a line that is not an SMTP reply: \(line.prefix(100))"
        case .timedOut(let step): "the mail server did not answer \(step) in time"
        case .connectionClosed: "the mail server closed the connection"
        }
    }
}

/// What became of one message in a session.
public enum SMTPOutcome: Sendable, Equatable {
    case accepted
    /// 4xx at MAIL, RCPT or DATA: the message may be sent again later.
    case deferred(SMTPReply)
    /// 5xx: this message will not be accepted; do not send it again.
    case rejected(SMTPReply)
}

/// A small SMTP client (RFC 5321) on SwiftNIO: EHLO, STARTTLS or implicit TLS (NIOSSL, certificates
/// verified), AUTH PLAIN or LOGIN, then MAIL / RCPT / DATA per message with dot-stuffing, on one connection.
public struct SMTPClient: Sendable {
    public let settings: SMTPSettings
    let tls: NIOSSLContext?
    let eventLoopGroup: any EventLoopGroup

    public init(settings: SMTPSettings, eventLoopGroup: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton) throws {
        self.settings = settings
        self.eventLoopGroup = eventLoopGroup
        if settings.security == .none {
            tls = nil
        } else {
            var configuration = TLSConfiguration.makeClientConfiguration()
            if let caFile = settings.caFile { configuration.trustRoots = .file(caFile) }
            tls = try NIOSSLContext(configuration: configuration)
        }
    }

    /// Opens a session (greeting, EHLO, TLS, AUTH), runs `body` with it, and says QUIT.
    public func withSession<Result>(_ body: (SMTPSession) async throws -> Result) async throws -> Result {
        let tls = self.tls
        let implicitTLS = settings.security == .tls
        let serverName = Self.serverName(settings.host)
        let channel = try await ClientBootstrap(group: eventLoopGroup)
            .connectTimeout(.seconds(10))
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    if implicitTLS, let tls {
                        try channel.pipeline.syncOperations.addHandler(NIOSSLClientHandler(context: tls, serverHostname: serverName))
                    }
                    try channel.pipeline.syncOperations.addHandler(ByteToMessageHandler(SMTPReplyDecoder()))
                    try channel.pipeline.syncOperations.addHandler(SMTPReplyHandler())
                }
            }
            .connect(host: settings.host, port: settings.port).get()
        var session = SMTPSession(channel: channel, timeout: settings.replyTimeout)
        do {
            try await session.open(settings: settings, tls: tls, serverName: serverName)
            let result = try await body(session)
            _ = try? await session.command("QUIT", step: "QUIT")
            try? await channel.close()
            return result
        } catch {
            try? await channel.close()
            throw error
        }
    }

    /// A sentence for the log and the delivery's `last_error`: SMTP refusals as they are, TLS failures with what usually causes them.
    public func explain(_ error: any Error) -> String {
        switch error {
        case let error as SMTPError:
            return error.description
        case let error as NIOSSLError:
            var text = "TLS with the mail server failed (\(error))"
            if case .handshakeFailed = error, settings.security == .tls {
                text += "; a server that starts in plain text (ports 587 and 25) wants SMTP_TLS=starttls"
            } else if case .handshakeFailed = error {
                text += "; the certificate must chain to SMTP_TLS_CA_FILE or the system's roots and name SMTP_HOST"
            }
            return text
        case let error as NIOSSLExtraError:
            return "the mail server's certificate does not name \(settings.host) (\(error))"
        default:
            return "\(settings.host):\(settings.port): \(error)"
        }
    }

    /// The name sent for SNI and checked against the certificate; an IP address is checked as an address instead.
    static func serverName(_ host: String) -> String? {
        IPAddress(host.trimmingCharacters(in: CharacterSet(charactersIn: "[]"))) == nil ? host : nil
    }
}

/// One connection to the mail server, ready for messages.
public struct SMTPSession: Sendable {
    let channel: any Channel
    let timeout: Double

    /// The extensions the server announced in its last EHLO reply (`STARTTLS`, `AUTH PLAIN LOGIN`, ...), upper-cased.
    public private(set) var extensions: [String] = []

    init(channel: any Channel, timeout: Double) {
        self.channel = channel
        self.timeout = timeout
    }

    mutating func open(settings: SMTPSettings, tls: NIOSSLContext?, serverName: String?) async throws {
        try Self.require(await reply(step: "the greeting"), step: "the connection")
        try await hello()
        if settings.security == .starttls, let tls {
            guard extensions.contains("STARTTLS") else { throw SMTPError.startTLSNotOffered }
            try Self.require(await command("STARTTLS", step: "STARTTLS"), step: "STARTTLS")
            let channel = self.channel
            try await channel.eventLoop.submit {
                try channel.pipeline.syncOperations.addHandler(NIOSSLClientHandler(context: tls, serverHostname: serverName), position: .first)
            }.get()
            // RFC 3207 §4.2: everything learnt before TLS is forgotten; ask again.
            try await hello()
        }
        if let credentials = settings.credentials { try await authenticate(credentials) }
    }

    private mutating func hello() async throws {
        let name = Self.helloName
        let reply = try await command("EHLO \(name)", step: "EHLO")
        if reply.isPositive {
            extensions = reply.lines.dropFirst().map { $0.uppercased() }
        } else {
            try Self.require(await command("HELO \(name)", step: "HELO"), step: "HELO")
            extensions = []
        }
    }

    private func authenticate(_ credentials: SMTPSettings.Credentials) async throws {
        let mechanisms = Set(
            extensions.filter { $0.hasPrefix("AUTH ") || $0.hasPrefix("AUTH=") }.flatMap { $0.dropFirst(5).split(separator: " ").map(String.init) })
        if mechanisms.contains("PLAIN") {
            let token = Data("\0\(credentials.username)\0\(credentials.password)".utf8).base64EncodedString()
            try Self.require(await command("AUTH PLAIN \(token)", step: "AUTH PLAIN"), step: "AUTH PLAIN")
        } else if mechanisms.contains("LOGIN") {
            try Self.require(await command("AUTH LOGIN", step: "AUTH LOGIN"), step: "AUTH LOGIN")
            try Self.require(await command(Data(credentials.username.utf8).base64EncodedString(), step: "AUTH LOGIN"), step: "AUTH LOGIN")
            try Self.require(await command(Data(credentials.password.utf8).base64EncodedString(), step: "AUTH LOGIN"), step: "AUTH LOGIN")
        } else {
            throw SMTPError.authenticationNotOffered
        }
    }

    /// Sends one message. A 4xx or 5xx answer to it is an outcome, not an error; the session stays usable.
    public func send(from: String, to recipient: String, data: String) async throws -> SMTPOutcome {
        for (line, step) in [("MAIL FROM:<\(from)>", "MAIL FROM"), ("RCPT TO:<\(recipient)>", "RCPT TO"), ("DATA", "DATA")] {
            let reply = try await command(line, step: step)
            guard reply.isPositive else {
                _ = try await command("RSET", step: "RSET")
                return reply.isTransient ? .deferred(reply) : .rejected(reply)
            }
        }
        let reply = try await write(Self.dotStuffed(data) + ".\r\n", step: "the end of DATA")
        guard reply.isPositive else { return reply.isTransient ? .deferred(reply) : .rejected(reply) }
        return .accepted
    }

    /// The message as DATA carries it: CRLF line ends, a final CRLF, and a dot doubled at the start of any line (RFC 5321 §4.5.2).
    public static func dotStuffed(_ message: String) -> String {
        var lines = message.replacingOccurrences(of: "\r\n", with: "\n").split(separator: "\n", omittingEmptySubsequences: false)
        if lines.last == "" { lines.removeLast() }
        return lines.map { $0.hasPrefix(".") ? "." + $0 : String($0) }.joined(separator: "\r\n") + "\r\n"
    }

    func command(_ line: String, step: String) async throws -> SMTPReply {
        try await write(line + "\r\n", step: step)
    }

    private func write(_ text: String, step: String) async throws -> SMTPReply {
        let waiting = try await expectReply(step: step)
        try await channel.writeAndFlush(ByteBuffer(string: text))
        return try await waiting.get()
    }

    func reply(step: String) async throws -> SMTPReply {
        try await expectReply(step: step).get()
    }

    /// The next reply, failed with `timedOut` (and the connection closed) when it does not come in time.
    private func expectReply(step: String) async throws -> EventLoopFuture<SMTPReply> {
        let channel = self.channel
        let timeout = TimeAmount.milliseconds(Int64(self.timeout * 1000))
        return try await channel.eventLoop.submit {
            let handler = try channel.pipeline.syncOperations.handler(type: SMTPReplyHandler.self)
            let reply = handler.next(on: channel.eventLoop)
            let bound = NIOLoopBound(handler, eventLoop: channel.eventLoop)
            let timer = channel.eventLoop.scheduleTask(in: timeout) {
                bound.value.fail(SMTPError.timedOut(step: step))
                channel.close(promise: nil)
            }
            reply.whenComplete { _ in timer.cancel() }
            return reply
        }.get()
    }

    private static func require(_ reply: SMTPReply, step: String) throws {
        guard reply.isPositive else { throw SMTPError.refused(step: step, reply: reply) }
    }

    /// The name this client gives in EHLO: the machine's name when it is a domain, else an address literal.
    static let helloName: String = {
        let host = ProcessInfo.processInfo.hostName
        return host.contains(".") && !host.hasSuffix(".") ? host : "[127.0.0.1]"
    }()
}

/// Splits the server's bytes into replies; a multi-line reply (`250-...` lines, then `250 ...`) is one reply.
struct SMTPReplyDecoder: ByteToMessageDecoder {
    typealias InboundOut = SMTPReply
    static let maximumLineLength = 4096
    private var lines: [String] = []

    mutating func decode(context: ChannelHandlerContext, buffer: inout ByteBuffer) throws -> DecodingState {
        guard let end = buffer.readableBytesView.firstIndex(of: UInt8(ascii: "\n")) else {
            if buffer.readableBytes > Self.maximumLineLength { throw SMTPError.malformedReply("a line longer than \(Self.maximumLineLength) bytes") }
            return .needMoreData
        }
        var bytes = buffer.readBytes(length: end - buffer.readerIndex + 1) ?? []
        // On the bytes: "\r\n" is one Character in Swift, so a String's hasSuffix("\n") would never see it.
        while let last = bytes.last, last == UInt8(ascii: "\n") || last == UInt8(ascii: "\r") { bytes.removeLast() }
        let line = String(decoding: bytes, as: UTF8.self)
        guard bytes.count >= 3, let code = Int(String(decoding: bytes[0..<3], as: UTF8.self)), (200...599).contains(code),
            bytes.count == 3 || bytes[3] == UInt8(ascii: " ") || bytes[3] == UInt8(ascii: "-")
        else { throw SMTPError.malformedReply(line) }
        lines.append(bytes.count > 4 ? String(decoding: bytes[4...], as: UTF8.self) : "")
        if bytes.count > 3, bytes[3] == UInt8(ascii: "-") { return .continue }
        let reply = SMTPReply(code: code, lines: lines)
        lines = []
        context.fireChannelRead(Self.wrapInboundOut(reply))
        return .continue
    }

    mutating func decodeLast(context: ChannelHandlerContext, buffer: inout ByteBuffer, seenEOF: Bool) throws -> DecodingState {
        while try decode(context: context, buffer: &buffer) == .continue, buffer.readableBytes > 0 {}
        return .needMoreData
    }
}

/// Hands each reply to the one waiting for it, in order; a reply nobody asked for yet (the greeting) is kept.
final class SMTPReplyHandler: ChannelInboundHandler {
    typealias InboundIn = SMTPReply
    private var waiting = CircularBuffer<EventLoopPromise<SMTPReply>>()
    private var unclaimed = CircularBuffer<SMTPReply>()
    private var failure: (any Error)?

    func next(on eventLoop: any EventLoop) -> EventLoopFuture<SMTPReply> {
        if let reply = unclaimed.popFirst() { return eventLoop.makeSucceededFuture(reply) }
        if let failure { return eventLoop.makeFailedFuture(failure) }
        let promise = eventLoop.makePromise(of: SMTPReply.self)
        waiting.append(promise)
        return promise.futureResult
    }

    func fail(_ error: any Error) {
        if failure == nil { failure = error }
        while let promise = waiting.popFirst() { promise.fail(error) }
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let reply = unwrapInboundIn(data)
        if let promise = waiting.popFirst() { promise.succeed(reply) } else { unclaimed.append(reply) }
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        fail(error)
        context.close(promise: nil)
    }

    func channelInactive(context: ChannelHandlerContext) {
        fail(SMTPError.connectionClosed)
        context.fireChannelInactive()
    }
}
