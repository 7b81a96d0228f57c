import CampusKit
import Foundation
import Hummingbird

/// `/notifications/preferences` and the one-click unsubscribe link of docs/contract.md §8.
struct MailPreferencesController: Sendable {
    let store: SQLMailStore
    /// Whether this server sends e-mail at all (`SMTP_HOST`).
    let emailAvailable: Bool
    /// `PUBLIC_URL`: the profile link on the unsubscribe pages.
    let publicURL: String

    func addRoutes(to group: RouterGroup<AuthenticatedContext>) {
        group.get("preferences", use: show)
        group.put("preferences", use: change)
    }

    /// No token: the secret in the link is the key (RFC 8058). GET shows a button, only POST unsubscribes,
    /// so a link checker or a mail scanner that opens the link changes nothing.
    func addUnsubscribeRoutes(to router: Router<CampusRequestContext>) {
        router.get("/notifications/unsubscribe/{secret}", use: confirmPage)
        router.head("/notifications/unsubscribe/{secret}", use: confirmPage)
        router.post("/notifications/unsubscribe/{secret}", use: unsubscribe)
    }

    /// `{"email": {"booking_updates": true, ...}, "email_available": true}`.
    struct PreferencesView: ResponseEncodable {
        let email: [String: Bool]
        let emailAvailable: Bool
    }

    struct ChangeRequest: Decodable {
        let email: [String: Bool]
    }

    @Sendable func show(_ request: Request, context: AuthenticatedContext) async throws -> PreferencesView {
        let reader = try reader(context)
        return view(try await store.preferences(of: reader.userID), role: reader.role)
    }

    @Sendable func change(_ request: Request, context: AuthenticatedContext) async throws -> PreferencesView {
        let reader = try reader(context)
        let body = try await request.decode(as: ChangeRequest.self, context: context)
        var changes: [NoticeKind: Bool] = [:]
        for (key, choice) in body.email {
            guard let kind = NoticeKind(rawValue: key) else {
                throw APIError.invalid("email.\(key)", "is not one of \(NoticeKind.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            changes[kind] = choice
        }
        return view(try await store.change(changes, of: reader.userID), role: reader.role)
    }

    private func view(_ preferences: MailPreferences, role: Role) -> PreferencesView {
        PreferencesView(
            email: Dictionary(uniqueKeysWithValues: NoticeKind.allCases.map { ($0.rawValue, preferences.allows($0, role: role)) }),
            emailAvailable: emailAvailable)
    }

    private func reader(_ context: AuthenticatedContext) throws -> Reader {
        try NotificationPolicy.table.require(.readOwn, for: context.identity)
        return Reader(userID: context.identity.userID, role: context.role)
    }

    // MARK: Unsubscribe

    @Sendable func confirmPage(_ request: Request, context: CampusRequestContext) async throws -> Response {
        guard let (secret, userID) = try await owner(context) else { return try unknownLink(request) }
        let address = try await store.lastAddress(of: userID)
        return Self.page(
            title: "Stop e-mail from Campus Services Hub?",
            body: """
                <p>\(address.map { "E-mail to <strong>\(NoticeMail.escape($0))</strong>" } ?? "Your e-mail") about bookings, tickets and \
                announcements will stop. Notices still appear in the bell on the page.</p>
                <form method="post" action="\(secret)"><button type="submit">Stop all e-mail</button></form>
                <p class="small">Only some of them? <a href="\(NoticeMail.escape(profileURL))">Choose in your profile</a>.</p>
                """, head: request.method == .head)
    }

    @Sendable func unsubscribe(_ request: Request, context: CampusRequestContext) async throws -> Response {
        guard let (secret, _) = try await owner(context), try await store.unsubscribe(secret: secret) else { return try unknownLink(request) }
        return Self.page(
            title: "You will get no more e-mail",
            body: """
                <p>All e-mail from Campus Services Hub is off. Notices still appear in the bell on the page.</p>
                <p class="small">Changed your mind? <a href="\(NoticeMail.escape(profileURL))">Turn e-mail back on in your profile</a>.</p>
                """, head: false)
    }

    private var profileURL: String { "\(publicURL)/#/profile" }

    /// The link's secret and whose it is; nil for an unknown or malformed one.
    private func owner(_ context: CampusRequestContext) async throws -> (secret: String, userID: String)? {
        guard let secret = context.parameters.get("secret").flatMap({ URLSecret.parse($0[...]) }),
            let userID = try await store.owner(ofUnsubscribeSecret: secret)
        else { return nil }
        return (secret, userID)
    }

    /// A 404: a page for a browser (a link opened from an e-mail), problem+json for anything else.
    private func unknownLink(_ request: Request) throws -> Response {
        let sentence = "This unsubscribe link is not known: it may have been copied only in part."
        let wantsPage = request.headers[.accept].map { $0.contains("text/html") } ?? false
        guard wantsPage else { throw APIError.notFound(sentence + " Change what you get by e-mail in your profile.", code: "unsubscribe_link_not_found") }
        var page = Self.page(
            title: "This link is not known",
            body: "<p>\(sentence)</p><p class=\"small\"><a href=\"\(NoticeMail.escape(profileURL))\">Choose what you get by e-mail in your profile</a>.</p>",
            head: request.method == .head)
        page.status = .notFound
        return page
    }

    /// A small page that reads well on a phone and in dark mode (its inline style is allowed for these pages only).
    static func page(title: String, body: String, head: Bool) -> Response {
        let html = """
            <!DOCTYPE html>
            <html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
            <meta name="color-scheme" content="light dark"><title>\(title)</title>
            <style>
            body { font: 16px/1.5 system-ui, -apple-system, "Segoe UI", sans-serif; margin: 0; padding: 2rem 1rem; }
            main { max-width: 34rem; margin: 0 auto; }
            h1 { font-size: 1.4rem; line-height: 1.3; }
            button { font: inherit; font-weight: 600; padding: .7rem 1.2rem; min-height: 44px; border-radius: .5rem; border: 0; background: #1f6feb; color: #fff; cursor: pointer; }
            .small { font-size: .92rem; opacity: .85; }
            </style></head>
            <body><main><h1>\(title)</h1>
            \(body)
            </main></body></html>
            """
        return Response(
            status: .ok,
            headers: [
                .contentType: "text/html; charset=utf-8", .cacheControl: "no-store",
                .contentSecurityPolicy: "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'",
            ],
            body: head ? .init() : .init(byteBuffer: ByteBuffer(string: html)))
    }
}
