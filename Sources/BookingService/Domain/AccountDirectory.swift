import CampusKit
import Logging

/// Whether an account still stands, as user management says: a calendar address, like a token,
/// ends when its account is deleted or its role or password changes.
public protocol AccountDirectory: Sendable {
    func standing(of userID: String) async throws -> AccountStanding
    /// Who the account is (for naming a room's approver); nil when there is no such account.
    func person(_ userID: String) async throws -> Person?
}

/// An account as user management names it.
public struct Person: Sendable, Equatable, Decodable {
    public let name: String
    public let role: Role

    public init(name: String, role: Role) {
        self.name = name
        self.role = role
    }
}

/// ``AccountDirectory`` over HTTP: user management's `GET /internal/users/{id}/token-validity`.
public struct UserManagementAccounts: AccountDirectory {
    let client: ServiceClient
    let logger: Logger

    public init(client: ServiceClient, logger: Logger) {
        self.client = client
        self.logger = logger
    }

    public func standing(of userID: String) async throws -> AccountStanding {
        try await AccountStanding.fetch(userID, client: client, logger: logger)
    }

    /// `GET /users/{id}`, a service call.
    public func person(_ userID: String) async throws -> Person? {
        let reply = try await client.send(.users, method: .GET, path: "/users/\(userID)", requestID: nil, credentials: .service, logger: logger)
        switch reply.status.code {
        case 200: return try reply.decode(Person.self)
        case 404: return nil
        default: throw APIError(downstream: reply, service: .users)
        }
    }
}
