import Foundation
import NIOCore
import NIOEmbedded
import Testing

@testable import CampusKit

/// The parts of e-mail that are pure text: addresses, header encoding, MIME, dot-stuffing, dates,
/// invitations, settings. What a real mail server receives is proven in e2e/mail (aiosmtpd).
@Suite struct MailTests {
    let from = MailAddress("Campus Services Hub <campus@example.edu>")!

    @Test func addressesAreParsedOrRefused() throws {
        #expect(from.name == "Campus Services Hub")
        #expect(from.address == "campus@example.edu")
        #expect(from.domain == "example.edu")
        #expect(MailAddress("campus@example.edu")?.name == nil)
        #expect(MailAddress("\"Hub, Campus\" <campus@example.edu>")?.name == "Hub, Campus")
        for bad in ["", "campus", "@example.edu", "campus@", "a b@example.edu", "campus@example.edu>", "zoë@example.edu", "a@b@c"] {
            #expect(MailAddress(bad) == nil, "\(bad) should be refused")
        }
    }

    @Test func headerTextIsPlainASCIIOrEncodedWordsThatDecodeBack() throws {
        #expect(MailHeader.text("Booking confirmed") == "Booking confirmed")
        #expect(MailHeader.phrase("Campus Services Hub") == "Campus Services Hub")
        #expect(MailHeader.phrase("Hub, Campus") == "\"Hub, Campus\"")
        let subject = String(repeating: "Café ☕ — closed for repairs; ", count: 4)
        let encoded = MailHeader.text(subject)
        let words = encoded.components(separatedBy: "\r\n ")
        #expect(words.count > 1)
        var decoded = Data()
        for word in words {
            #expect(word.count <= 75)
            #expect(word.hasPrefix("=?UTF-8?B?") && word.hasSuffix("?="))
            let payload = try #require(Data(base64Encoded: String(word.dropFirst(10).dropLast(2))))
            // Each word is whole characters on its own (RFC 2047 §5).
            #expect(String(data: payload, encoding: .utf8) != nil)
            decoded += payload
        }
        #expect(String(decoding: decoded, as: UTF8.self) == subject)
        // Text that looks like an encoded word is encoded rather than sent as it is.
        #expect(MailHeader.text("=?UTF-8?B?abc?=").hasPrefix("=?UTF-8?B?"))
        #expect(MailAddress(name: "Zoë Ångström", address: "zoe@example.edu")!.header.hasPrefix("=?UTF-8?B?"))
    }

    @Test func theMessageIsSevenBitMIMEWithBothAlternativesAndTheAttachment() throws {
        let message = MailMessage(
            from: from, to: MailAddress(name: "Zoë", address: "zoe@example.edu")!, subject: "Réservation", date: Date(timeIntervalSince1970: 1_800_000_000),
            messageID: "notice-1.user-2@example.edu", headers: [("Auto-Submitted", "auto-generated")], text: "Hello ☕\n.\n..dots",
            html: "<p>Hello ☕</p>",
            attachments: [.init(contentType: "text/calendar; charset=utf-8; method=REQUEST", fileName: "invite.ics", content: "BEGIN:VCALENDAR\r\n")])
        let rendered = message.rendered()
        let lines = rendered.components(separatedBy: "\r\n")
        #expect(!rendered.replacingOccurrences(of: "\r\n", with: "").contains("\n"))
        #expect(rendered.unicodeScalars.allSatisfy { $0.isASCII })
        #expect(lines.allSatisfy { $0.utf8.count <= 78 })
        #expect(lines.contains("Date: Fri, 15 Jan 2027 08:00:00 +0000"))
        #expect(lines.contains("Message-ID: <notice-1.user-2@example.edu>"))
        #expect(lines.contains("MIME-Version: 1.0"))
        #expect(lines.contains("Auto-Submitted: auto-generated"))
        #expect(lines.contains("Content-Type: text/plain; charset=utf-8"))
        #expect(lines.contains("Content-Type: text/html; charset=utf-8"))
        #expect(lines.contains("Content-Disposition: attachment; filename=\"invite.ics\""))
        #expect(lines.first { $0.hasPrefix("Subject: ") } == "Subject: =?UTF-8?B?\(Data("Réservation".utf8).base64EncodedString())?=")
        // The body parts decode back to exactly what was given.
        let boundary = try #require(lines.first { $0.hasPrefix(" boundary=\"=_alt_") }?.split(separator: "\"")[1])
        let plainStart = try #require(lines.firstIndex(of: "Content-Type: text/plain; charset=utf-8")) + 3
        let plainEnd = try #require(lines[plainStart...].firstIndex(of: "--\(boundary)"))
        let plain = try #require(Data(base64Encoded: lines[plainStart..<plainEnd].joined()))
        #expect(String(decoding: plain, as: UTF8.self) == "Hello ☕\n.\n..dots")
    }

    @Test func datesAreRFC5322InUTC() {
        #expect(MailMessage.rfc5322(Date(timeIntervalSince1970: 0)) == "Thu, 01 Jan 1970 00:00:00 +0000")
        #expect(MailMessage.rfc5322(Date(timeIntervalSince1970: 1_800_000_000)) == "Fri, 15 Jan 2027 08:00:00 +0000")
        #expect(MailMessage.rfc5322(Date(timeIntervalSince1970: 951_782_400 + 86_399)) == "Tue, 29 Feb 2000 23:59:59 +0000")
    }

    @Test func dataIsDotStuffedWithCRLFLineEnds() {
        #expect(SMTPSession.dotStuffed(".\n..x\nplain\n") == "..\r\n...x\r\nplain\r\n")
        #expect(SMTPSession.dotStuffed("a\r\n.b") == "a\r\n..b\r\n")
        #expect(SMTPSession.dotStuffed("") == "\r\n")
    }

    @Test func anInvitationNamesItsOrganizerAndAttendee() {
        let event = ICalendar.Event(
            uid: "booking-7@campus-services-hub", startsAt: Date(timeIntervalSince1970: 1_800_000_000), endsAt: Date(timeIntervalSince1970: 1_800_003_600),
            summary: "Room: Study", location: "Room, Hall", description: "Study", created: Date(timeIntervalSince1970: 1_799_000_000),
            cancelledAt: Date(timeIntervalSince1970: 1_799_500_000))
        let calendar = ICalendar(
            name: "Campus", events: [event], stamp: Date(timeIntervalSince1970: 1_799_600_000), method: .cancel, organizer: from,
            attendee: MailAddress(name: "Sam \"S\" Student", address: "sam@example.edu"))
        let unfolded = calendar.render().replacingOccurrences(of: "\r\n ", with: "")
        let lines = unfolded.components(separatedBy: "\r\n")
        #expect(lines.contains("METHOD:CANCEL"))
        #expect(lines.contains("STATUS:CANCELLED"))
        #expect(lines.contains("SEQUENCE:1"))
        #expect(lines.contains("ORGANIZER;CN=\"Campus Services Hub\":mailto:campus@example.edu"))
        #expect(lines.contains("ATTENDEE;CN=\"Sam S Student\";ROLE=REQ-PARTICIPANT;PARTSTAT=DECLINED;RSVP=FALSE:mailto:sam@example.edu"))
        #expect(ICalendar(name: "Feed", events: [event], stamp: Date()).render().contains("METHOD:PUBLISH\r\n"))
    }

    private func load(_ values: [String: String]) throws -> Settings {
        try Settings.load(environment: values.merging(["JWT_SECRET_KEY": String(repeating: "k", count: 40)]) { a, _ in a }, dotEnvPath: nil)
    }

    @Test func mailIsOffUnlessAHostIsGivenAndPortsFollowTheTLSMode() throws {
        #expect(try load([:]).smtp == nil)
        #expect(try load(["SMTP_TLS": "tls", "SMTP_USERNAME": "u"]).smtp == nil)
        let starttls = try #require(try load(["SMTP_HOST": "mail.example.edu"]).smtp)
        #expect(starttls.port == 587 && starttls.security == .starttls && starttls.from.address == "campus@localhost")
        #expect(try load(["SMTP_HOST": "mail.example.edu", "SMTP_TLS": "tls"]).smtp?.port == 465)
        #expect(try load(["SMTP_HOST": "127.0.0.1", "SMTP_TLS": "none", "SMTP_USERNAME": "u", "SMTP_PASSWORD": "p"]).smtp?.credentials?.username == "u")
        #expect(try load(["GATEWAY_PORT": "6001"]).publicURL == "http://localhost:6001")
        #expect(try load(["PUBLIC_URL": "https://campus.example.edu/"]).publicURL == "https://campus.example.edu")
    }

    @Test(arguments: [
        (["SMTP_TLS": "ssl"], "SMTP_TLS"),
        (["SMTP_USERNAME": "u"], "SMTP_PASSWORD"),
        (["SMTP_PASSWORD": "p"], "SMTP_USERNAME"),
        (["SMTP_USERNAME": "u", "SMTP_PASSWORD": "p", "SMTP_TLS": "none"], "SMTP_TLS"),
        (["SMTP_FROM": "not an address"], "SMTP_FROM"),
        (["APP_ENV": "production"], "SMTP_FROM"),
        (["APP_ENV": "production", "SMTP_FROM": "campus@example.edu"], "PUBLIC_URL"),
        (["SMTP_HOST": "mail.example.edu:2525"], "SMTP_HOST"),
        (["SMTP_TLS_CA_FILE": "/nonexistent/ca.pem"], "SMTP_TLS_CA_FILE"),
        (["SMTP_PORT": "0"], "SMTP_PORT"),
        (["PUBLIC_URL": "campus.example.edu"], "PUBLIC_URL"),
    ])
    func aMailSettingThatCannotWorkStopsStartUpNamingIt(values: [String: String], named: String) throws {
        let error = try #require(throws: SettingsError.self) { try load(values.merging(["SMTP_HOST": "mail.example.edu"]) { given, _ in given }) }
        #expect(error.variable == named)
    }
}

/// Replies as a server sends them, CRLF line ends and all, split across reads anywhere.
@Suite struct SMTPReplyDecoderTests {
    func replies(_ chunks: [String]) throws -> [SMTPReply] {
        let channel = EmbeddedChannel(handler: ByteToMessageHandler(SMTPReplyDecoder()))
        for chunk in chunks { try channel.writeInbound(ByteBuffer(string: chunk)) }
        var replies: [SMTPReply] = []
        while let reply = try channel.readInbound(as: SMTPReply.self) { replies.append(reply) }
        return replies
    }

    @Test func aMultiLineReplyIsOneReplyWithoutLineEnds() throws {
        let ehlo = try replies(["220 mail.example.edu ESMTP\r\n250-mail.example.edu\r\n250-SIZE 33554432\r", "\n250-STARTTLS\r\n250 AUTH LOGIN PLAIN\r\n"])
        #expect(
            ehlo == [
                SMTPReply(code: 220, lines: ["mail.example.edu ESMTP"]),
                SMTPReply(code: 250, lines: ["mail.example.edu", "SIZE 33554432", "STARTTLS", "AUTH LOGIN PLAIN"]),
            ])
        // A bare LF ends a line too, and a code alone is a reply.
        #expect(try replies(["354\n"]) == [SMTPReply(code: 354, lines: [""])])
        #expect(try replies(["550 5.1.1 no such user\r\n"]).first?.isTransient == false)
        #expect(try replies(["451 4.3.0 try later\r\n"]).first?.isTransient == true)
    }

    @Test func aLineThatIsNotAReplyIsRefused() {
        #expect(throws: SMTPError.self) { try replies(["hello there\r\n"]) }
        #expect(throws: SMTPError.self) { try replies(["250_x\r\n"]) }
    }
}
