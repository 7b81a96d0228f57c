import CampusKit
import Logging

/// Whether an account still stands, as user management says: a calendar address, like a token,
/// ends when its account is deleted or its role or password changes.
public protocol AccountDirectory: Sendable {
    func standing(of userID: String) async throws -> AccountStanding
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
}
