import CampusKit
import Foundation
import Hummingbird

/// `/notifications/preferences` and the one-click unsubscribe link of docs/contract.md §8.
struct MailPreferencesController: Sendable {
    let store: SQLMailStore
    /// Whether this server sends e-mail at all (`SMTP_HOST`).
    let emailAvailable: Bool

    func addRoutes(to group: RouterGroup<AuthenticatedContext>) {
        group.get("preferences", use: show)
        group.put("preferences", use: change)
    }

    /// No token: the secret in the link is the key (RFC 8058). GET shows a button, only POST unsubscribes,
    /// so a link checker or a mail scanner that opens the link changes nothing.
    func addUnsubscribeRoutes(to router: Router<CampusRequestContext>) {
        router.get("/notifications/unsubscribe/{secret}", use: confirmPage)
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
            guard let kind = Self.kinds[key] else {
                throw APIError.invalid("email.\(key)", "is not one of \(NoticeKind.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            changes[kind] = choice
        }
        return view(try await store.change(changes, of: reader.userID), role: reader.role)
    }

    /// Each kind by its key; Foundation's snake-case decoding may hand dictionary keys over in camel case.
    static let kinds: [String: NoticeKind] = Dictionary(
        uniqueKeysWithValues: NoticeKind.allCases.flatMap { kind in
            let parts = kind.rawValue.split(separator: "_")
            let camel = String(parts[0]) + parts.dropFirst().map { $0.prefix(1).uppercased() + $0.dropFirst() }.joined()
            return camel == kind.rawValue ? [(kind.rawValue, kind)] : [(kind.rawValue, kind), (camel, kind)]
        })

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
        let secret = try await knownSecret(context)
        return Self.page(
            title: "Stop e-mail from Campus Services Hub?",
            body: """
                <p>You will no longer get e-mail about bookings, tickets or announcements. Notices still appear in the bell on the page,
                and you can turn e-mail back on in your profile.</p>
                <form method="post" action="\(secret)"><button type="submit">Stop all e-mail</button></form>
                """)
    }

    @Sendable func unsubscribe(_ request: Request, context: CampusRequestContext) async throws -> Response {
        let secret = try await knownSecret(context)
        guard try await store.unsubscribe(secret: secret) else { throw Self.unknownLink }
        return Self.page(
            title: "You will get no more e-mail",
            body: "<p>All e-mail from Campus Services Hub is off. Notices still appear in the bell; you can turn e-mail back on in your profile.</p>")
    }

    private func knownSecret(_ context: CampusRequestContext) async throws -> String {
        guard let secret = context.parameters.get("secret").flatMap({ URLSecret.parse($0[...]) }),
            try await store.hasUnsubscribeSecret(secret)
        else { throw Self.unknownLink }
        return secret
    }

    static let unknownLink = APIError.notFound(
        "This unsubscribe link is not known. Change what you get by e-mail in your profile.", code: "unsubscribe_link_not_found")

    private static func page(title: String, body: String) -> Response {
        let html = """
            <!DOCTYPE html>
            <html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
            <title>\(title)</title></head>
            <body><main><h1>\(title)</h1>
            \(body)
            </main></body></html>
            """
        return Response(
            status: .ok,
            headers: [
                .contentType: "text/html; charset=utf-8", .cacheControl: "no-store",
                .contentSecurityPolicy: "default-src 'none'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'",
            ],
            body: .init(byteBuffer: ByteBuffer(string: html)))
    }
}
