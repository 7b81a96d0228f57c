import Foundation

/// A mailbox: an address and, optionally, the name shown with it (`Campus Services Hub <campus@example.edu>`).
public struct MailAddress: Sendable, Equatable, CustomStringConvertible {
    public let name: String?
    public let address: String

    /// `address` or `Name <address>`; nil when the address is not one an SMTP server takes without SMTPUTF8
    /// (one `@`, a non-empty local part and domain, printable ASCII, no spaces or angle brackets).
    public init?(_ text: String) {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        if trimmed.hasSuffix(">"), let open = trimmed.lastIndex(of: "<") {
            let name = trimmed[..<open].trimmingCharacters(in: .whitespaces).trimmingCharacters(in: CharacterSet(charactersIn: "\""))
            self.init(name: name.isEmpty ? nil : name, address: String(trimmed[trimmed.index(after: open)..<trimmed.index(before: trimmed.endIndex)]))
        } else {
            self.init(name: nil, address: trimmed)
        }
    }

    public init?(name: String?, address: String) {
        let parts = address.split(separator: "@", omittingEmptySubsequences: false)
        guard parts.count == 2, !parts[0].isEmpty, !parts[1].isEmpty, !parts[1].hasPrefix("."), !parts[1].hasSuffix("."),
            address.unicodeScalars.allSatisfy({ $0.value > 0x20 && $0.value < 0x7F && !"<>()[],;:\\\"".unicodeScalars.contains($0) }),
            name?.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) != true
        else { return nil }
        self.name = name
        self.address = address
    }

    public var domain: String { String(address.split(separator: "@").last ?? "") }

    /// The header form: the name as an RFC 2047 encoded word when it is not plain ASCII, quoted when it holds specials.
    public var header: String {
        guard let name, !name.isEmpty else { return address }
        return "\(MailHeader.phrase(name)) <\(address)>"
    }

    public var description: String { header }
}

/// Header values as RFC 5322 and RFC 2047 want them: ASCII only, non-ASCII text as UTF-8 encoded words.
public enum MailHeader {
    /// Plain text for an unstructured header (Subject): as it is when printable ASCII, else encoded words.
    public static func text(_ value: String) -> String {
        isPlainASCII(value) ? value : encodedWords(value)
    }

    /// A display name: as it is when it is only atoms, quoted when it holds specials, encoded words when not ASCII.
    public static func phrase(_ value: String) -> String {
        guard isPlainASCII(value) else { return encodedWords(value) }
        let atomText = CharacterSet.alphanumerics.union(CharacterSet(charactersIn: "!#$%&'*+-/=?^_`{|}~ "))
        if value.unicodeScalars.allSatisfy({ atomText.contains($0) }) { return value }
        return "\"" + value.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\""
    }

    static func isPlainASCII(_ value: String) -> Bool {
        value.unicodeScalars.allSatisfy { $0.value >= 0x20 && $0.value < 0x7F } && !value.contains("=?")
    }

    /// `=?UTF-8?B?...?=` words of at most 75 characters, never splitting a character, folded onto continuation lines.
    static func encodedWords(_ value: String) -> String {
        let maximumBytes = 45  // 60 base64 characters + 12 of framing = 72
        var words: [[UInt8]] = []
        var chunk: [UInt8] = []
        for character in value.replacingOccurrences(of: "\r", with: "").replacingOccurrences(of: "\n", with: " ") {
            let bytes = Array(String(character).utf8)
            if chunk.count + bytes.count > maximumBytes, !chunk.isEmpty {
                words.append(chunk)
                chunk = []
            }
            chunk += bytes
        }
        if !chunk.isEmpty { words.append(chunk) }
        return words.map { "=?UTF-8?B?" + Data($0).base64EncodedString() + "?=" }.joined(separator: "\r\n ")
    }
}

/// One e-mail: `text/plain` and `text/html` alternatives and optional attachments (a calendar
/// invitation), rendered as 7-bit MIME (RFC 2045–2049) with CRLF line ends and base64 bodies.
public struct MailMessage: Sendable {
    public struct Attachment: Sendable {
        /// The full media type with parameters, e.g. `text/calendar; charset=utf-8; method=REQUEST`.
        public var contentType: String
        public var fileName: String
        public var content: String
        public init(contentType: String, fileName: String, content: String) {
            self.contentType = contentType
            self.fileName = fileName
            self.content = content
        }
    }

    public var from: MailAddress
    public var to: MailAddress
    public var subject: String
    public var date: Date
    /// Without angle brackets: `notice-12.user-3@example.edu`.
    public var messageID: String
    /// Further headers, in order (`List-Unsubscribe`, `Auto-Submitted`, ...); values must be ASCII.
    public var headers: [(name: String, value: String)]
    public var text: String
    public var html: String
    public var attachments: [Attachment]

    public init(
        from: MailAddress, to: MailAddress, subject: String, date: Date, messageID: String, headers: [(name: String, value: String)] = [],
        text: String, html: String, attachments: [Attachment] = []
    ) {
        self.from = from
        self.to = to
        self.subject = subject
        self.date = date
        self.messageID = messageID
        self.headers = headers
        self.text = text
        self.html = html
        self.attachments = attachments
    }

    /// The message as DATA carries it (before dot-stuffing).
    public func rendered() -> String {
        let seed = UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased()
        let mixed = "=_mixed_" + seed
        let alternative = "=_alt_" + seed
        var lines = [
            "From: " + from.header,
            "To: " + to.header,
            "Subject: " + MailHeader.text(subject),
            "Date: " + Self.rfc5322(date),
            "Message-ID: <\(messageID)>",
            "MIME-Version: 1.0",
        ]
        lines += headers.map { "\($0.name): \($0.value)" }
        // Parameters on continuation lines keep every line within 78 characters (RFC 5322 §2.1.1).
        lines += ["Content-Type: multipart/mixed;", " boundary=\"\(mixed)\"", "", "This is a multi-part message in MIME format.", "--" + mixed]
        lines += ["Content-Type: multipart/alternative;", " boundary=\"\(alternative)\"", ""]
        lines += ["--" + alternative] + Self.part(contentType: "text/plain; charset=utf-8", content: text)
        lines += ["--" + alternative] + Self.part(contentType: "text/html; charset=utf-8", content: html)
        lines += ["--" + alternative + "--"]
        for attachment in attachments {
            lines +=
                ["--" + mixed]
                + Self.part(
                    contentType: attachment.contentType + ";\r\n name=\"\(attachment.fileName)\"", content: attachment.content,
                    disposition: "attachment; filename=\"\(attachment.fileName)\"")
        }
        lines += ["--" + mixed + "--", ""]
        return lines.joined(separator: "\r\n")
    }

    private static func part(contentType: String, content: String, disposition: String? = nil) -> [String] {
        var lines = ["Content-Type: " + contentType, "Content-Transfer-Encoding: base64"]
        if let disposition { lines.append("Content-Disposition: " + disposition) }
        lines.append("")
        let encoded = Data(content.utf8).base64EncodedString()
        var index = encoded.startIndex
        while index < encoded.endIndex {
            let end = encoded.index(index, offsetBy: 76, limitedBy: encoded.endIndex) ?? encoded.endIndex
            lines.append(String(encoded[index..<end]))
            index = end
        }
        return lines
    }

    /// `Tue, 01 Dec 2026 16:32:31 +0000` (RFC 5322 §3.3), always in UTC.
    public static func rfc5322(_ date: Date) -> String {
        let (day, secondOfDay) = CalendarDate.utc(date)
        let days = day.daysSinceEpoch
        let weekdays = ["Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"]  // 1970-01-01 was a Thursday
        let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
        func two(_ value: Int) -> String { String(value).leftPadded(to: 2) }
        return "\(weekdays[((days % 7) + 7) % 7]), \(two(day.day)) \(months[day.month - 1]) \(day.year) "
            + "\(two(secondOfDay / 3600)):\(two(secondOfDay % 3600 / 60)):\(two(secondOfDay % 60)) +0000"
    }
}
