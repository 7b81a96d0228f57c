import CampusKit
import Hummingbird

/// `/users` of docs/contract.md §5.
struct UsersController: Sendable {
    let repository: any UserRepository
    let hasher: PasswordHasher

    func addRoutes(to group: RouterGroup<AuthenticatedContext>) {
        group.get(use: list)
        group.post(use: create)
        group.get("{id}", use: show)
        group.put("{id}", use: update)
        group.delete("{id}", use: delete)
    }

    struct CreateRequest: Decodable {
        let email: String
        let name: String
        let password: String
        let role: String
    }

    struct UpdateRequest: Decodable {
        let email: String?
        let name: String?
        let role: String?
        let password: String?
        let currentPassword: String?
    }

    @Sendable func list(_ request: Request, context: AuthenticatedContext) async throws -> Page<UserResponse> {
        // Admins, and services: the notification service looks up who a role's e-mail goes to.
        try UserPolicy.table.require(.lookUpUsers, for: context.identity)
        let page = try Pagination(query: request.uri.queryParameters)
        let role = try request.uri.queryParameters["role"].map { try UserRules.role(String($0)) }
        let search = TextSearch(request.uri.queryParameters["q"].map(String.init))
        let result = try await repository.list(role: role, search: search, page: page)
        return Page(items: result.users.map(UserResponse.init), total: result.total)
    }

    @Sendable func create(_ request: Request, context: AuthenticatedContext) async throws -> Response {
        try UserPolicy.table.require(.manageUsers, for: context.identity)
        let body = try await request.decode(as: CreateRequest.self, context: context)
        let email = try UserRules.normalizedEmail(body.email)
        let name = try UserRules.name(body.name)
        try UserRules.password(body.password)
        let role = try UserRules.role(body.role)
        let hash = try await hasher.hash(body.password)
        do {
            let user = try await repository.create(NewUser(email: email, name: name, role: role, passwordHash: hash))
            return try Response.json(UserResponse(user), status: .created, headers: [.location: "/users/\(user.id)"])
        } catch UserStoreError.emailTaken {
            throw APIError.conflict("An account with the email \(email) already exists.", code: "email_taken")
        }
    }

    @Sendable func show(_ request: Request, context: AuthenticatedContext) async throws -> UserResponse {
        UserResponse(try await visibleUser(context))
    }

    @Sendable func update(_ request: Request, context: AuthenticatedContext) async throws -> UserResponse {
        let user = try await visibleUser(context)
        let body = try await request.decode(as: UpdateRequest.self, context: context)
        let isAdmin = UserPolicy.table.allows(context.role, .manageUsers)
        let isSelf = String(user.id) == context.identity.userID
        // Services may look users up, never change them.
        guard isAdmin || isSelf else { throw APIError.forbidden("Only an administrator or the user can change an account.") }
        var changes = UserChanges()

        if let name = body.name { changes.name = try UserRules.name(name) }
        if let rawEmail = body.email {
            let email = try UserRules.normalizedEmail(rawEmail)
            if email != user.email {
                guard isAdmin else { throw APIError.forbidden("Only an administrator can change an email address.", code: "email_change_not_allowed") }
                changes.email = email
            }
        }
        if let rawRole = body.role {
            let role = try UserRules.role(rawRole)
            if role != user.role {
                guard isAdmin else { throw APIError.forbidden("You cannot change your own role.", code: "cannot_change_own_role") }
                changes.role = role
            }
        }
        if let password = body.password {
            try UserRules.password(password)
            if isSelf {
                guard let current = body.currentPassword, !current.isEmpty else {
                    throw APIError.invalid("current_password", "is required to change your password")
                }
                guard try await hasher.verify(current, against: user.passwordHash) else {
                    throw APIError.invalid("current_password", "is not your current password")
                }
            }
            changes.passwordHash = try await hasher.hash(password)
        }
        do {
            return UserResponse(try await repository.update(id: user.id, changes))
        } catch UserStoreError.lastAdmin {
            throw APIError.conflict("\(user.email) is the last administrator; make someone else an administrator first.", code: "last_admin")
        } catch UserStoreError.emailTaken {
            throw APIError.conflict("An account with the email \(changes.email ?? "") already exists.", code: "email_taken")
        } catch UserStoreError.notFound {
            throw APIError.notFound("There is no user \(user.id).")
        }
    }

    @Sendable func delete(_ request: Request, context: AuthenticatedContext) async throws -> Response {
        try UserPolicy.table.require(.manageUsers, for: context.identity)
        let id = try userID(context)
        do {
            try await repository.delete(id: id)
        } catch UserStoreError.notFound {
            throw APIError.notFound("There is no user \(id).")
        } catch UserStoreError.lastAdmin {
            throw APIError.conflict("This is the last administrator; make someone else an administrator first.", code: "last_admin")
        }
        return Response(status: .noContent)
    }

    /// The user named in the path, if the caller may see it: admins (and services) see everyone,
    /// others only themselves. Anyone else's record answers 404, so its existence is not revealed.
    private func visibleUser(_ context: AuthenticatedContext) async throws -> User {
        let id = try userID(context)
        let seesEveryone = UserPolicy.table.allows(context.role, .lookUpUsers)
        guard seesEveryone || (UserPolicy.table.allows(context.role, .ownProfile) && String(id) == context.identity.userID),
            let user = try await repository.find(id: id)
        else {
            throw APIError.notFound("There is no user \(id).")
        }
        return user
    }

    private func userID(_ context: AuthenticatedContext) throws -> Int {
        let raw = context.parameters.get("id") ?? ""
        guard let id = Int(raw) else { throw APIError.notFound("There is no user \(raw).") }
        return id
    }
}
