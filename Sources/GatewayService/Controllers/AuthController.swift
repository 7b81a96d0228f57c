import CampusKit
import Foundation
import Hummingbird
import Logging
import Prometheus

/// `/auth/login`, `/auth/me`, `/auth/logout` (docs/contract.md §3), and `/auth/config` for the sign-in page.
struct AuthController: Sendable {
    /// What the sign-in page may know before anyone signs in: whether to offer the demo accounts.
    struct PageConfig: ResponseEncodable, Sendable {
        let environment: String
        let demoAccounts: Bool
        /// The campus clock's zone (docs/contract.md §11), so the page's "today" is the campus's.
        let timeZone: String

        init(settings: Settings) {
            environment = settings.appEnv.rawValue
            demoAccounts = !settings.isProduction && settings.seedDefaultUsers
            timeZone = settings.campusTimeZone.campusName
        }
    }

    let pageConfig: PageConfig
    let store: any GatewayStore
    let users: ServiceClient
    let tokens: TokenService
    let rateLimiter: LoginRateLimiter
    let lockout: LoginLockoutPolicy
    let metrics: SignInMetrics
    let now: @Sendable () -> Date

    func addRoutes(to router: Router<CampusRequestContext>) {
        router.post("/auth/login", use: login)
        let config = pageConfig
        router.get("/auth/config") { _, _ in config }
        let signedIn = router.group("/auth", context: AuthenticatedContext.self)
        signedIn.get("me", use: me)
        signedIn.post("logout", use: logout)
    }

    struct LoginRequest: Decodable {
        let email: String
        let password: String
    }

    struct LoginResponse: ResponseEncodable {
        let accessToken: String
        let tokenType = "Bearer"
        let expiresIn: Int
        let user: UserSummary
    }

    /// The user object as user management returns it.
    struct UserSummary: Codable, Sendable, ResponseEncodable {
        let id: Int
        let email: String
        let name: String
        let role: Role
        let createdAt: Date?
    }

    /// What user management answers a right password with: the user, and from when its tokens count.
    struct VerifiedAccount: Decodable {
        let tokensValidAfter: Date?
    }

    @Sendable func login(_ request: Request, context: CampusRequestContext) async throws -> LoginResponse {
        let address = context.clientAddress
        if let wait = rateLimiter.attempt(from: address, now: now()) {
            context.logger.warning("Login rate limit reached", metadata: ["client_address": "\(address)"])
            metrics.rateLimited.increment()
            throw APIError.tooManyRequests("Too many sign-in attempts from your address; try again in \(wait) s.", retryAfter: wait)
        }
        let body = try await request.decode(as: LoginRequest.self, context: context)
        let email = LoginLockoutPolicy.key(for: body.email)
        guard !email.isEmpty else { throw APIError.invalid("email", "must not be empty") }
        guard !body.password.isEmpty else { throw APIError.invalid("password", "must not be empty") }
        guard body.email.utf8.count <= 254, body.password.utf8.count <= 1024 else {
            throw APIError.invalid(body.email.utf8.count > 254 ? "email" : "password", "is too long")
        }

        if let until = try await store.lockedUntil(email: email, now: now()) {
            try await audit(email, nil, .locked, context)
            throw locked(until: until)
        }
        let verified = try await users.send(
            .users, method: .POST, path: "/internal/credentials/verify",
            body: ByteBuffer(bytes: try CampusJSON.encoder.encode(["email": email, "password": body.password])),
            requestID: context.requestID, credentials: .service, logger: context.logger
        )
        switch verified.status.code {
        case 200:
            let user = try verified.decode(UserSummary.self)
            let account = try verified.decode(VerifiedAccount.self)
            try await store.clearFailures(email: email)
            try await audit(email, String(user.id), .success, context)
            context.notes.userID = String(user.id)
            let issued = try await tokens.issue(
                userID: String(user.id), email: user.email, name: user.name, role: user.role, notIssuedBefore: account.tokensValidAfter
            )
            return LoginResponse(accessToken: issued.token, expiresIn: Int(tokens.lifetime), user: user)
        case 401:
            if let until = try await store.recordFailure(email: email, now: now(), policy: lockout) {
                metrics.lockouts.increment()
                try await audit(email, nil, .locked, context)
                throw locked(until: until)
            }
            try await audit(email, nil, .invalidCredentials, context)
            throw APIError.unauthorized("The email or password is incorrect.", code: "invalid_credentials")
        default:
            throw APIError(downstream: verified, service: .users)
        }
    }

    @Sendable func me(_ request: Request, context: AuthenticatedContext) async throws -> UserSummary {
        guard context.role != .service else { throw APIError.forbidden("Service tokens have no profile.") }
        let reply = try await users.send(
            .users, method: .GET, path: "/users/\(context.identity.userID)",
            requestID: context.requestID, credentials: .bearer(context.bearerToken), logger: context.logger
        )
        switch reply.status.code {
        case 200: return try reply.decode(UserSummary.self)
        case 404: throw APIError.unauthorized("This account no longer exists.", code: "account_deleted")
        default: throw APIError(downstream: reply, service: .users)
        }
    }

    @Sendable func logout(_ request: Request, context: AuthenticatedContext) async throws -> Response {
        try await store.revoke(tokenID: context.identity.tokenID, expiresAt: context.identity.expiresAt)
        return Response(status: .noContent)
    }

    private func locked(until: Date) -> APIError {
        let seconds = Int(until.timeIntervalSince(now()).rounded(.up))
        let minutes = max(1, (seconds + 59) / 60)
        return APIError.locked(
            "Too many failed sign-in attempts: this account is locked for \(minutes) more minute\(minutes == 1 ? "" : "s").",
            retryAfter: seconds
        )
    }

    private func audit(_ email: String, _ userID: String?, _ outcome: LoginAuditEntry.Outcome, _ context: CampusRequestContext) async throws {
        metrics.attempts[outcome]?.increment()
        try await store.record(
            LoginAuditEntry(
                email: email, userId: userID, outcome: outcome, clientAddress: context.clientAddress,
                requestId: context.requestID, createdAt: now()
            ))
    }
}

/// Sign-in on the gateway's `/metrics`: `campus_login_attempts_total{outcome}` (success,
/// invalid_credentials, locked), `campus_login_lockouts_total` (accounts locked by a failure) and
/// `campus_login_rate_limited_total` (429s of `LOGIN_RATE_PER_MINUTE`).
struct SignInMetrics: Sendable {
    let attempts: [LoginAuditEntry.Outcome: Counter]
    let lockouts: Counter
    let rateLimited: Counter

    init(_ metrics: HTTPMetrics) {
        attempts = Dictionary(
            uniqueKeysWithValues: [LoginAuditEntry.Outcome.success, .invalidCredentials, .locked].map {
                ($0, metrics.counter("campus_login_attempts_total", [("outcome", $0.rawValue)]))
            })
        lockouts = metrics.counter("campus_login_lockouts_total")
        rateLimited = metrics.counter("campus_login_rate_limited_total")
    }
}
