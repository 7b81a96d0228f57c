import CampusKit
import Foundation
import Logging

/// Who a notice's audience is, with their names and addresses: asked of user management.
protocol UserDirectory: Sendable {
    func recipients(of audience: Audience) async throws -> [MailRecipient]
}

/// Why the people an e-mail is for could not be looked up (user management down or answering oddly): try again later.
struct UserDirectoryUnavailable: Error, CustomStringConvertible {
    let description: String
}

/// ``UserDirectory`` over HTTP: `GET /users/{id}` for one person, `GET /users?role=` page by page for a role or everyone.
struct UserManagementDirectory: UserDirectory {
    let client: ServiceClient
    let logger: Logger
    static let pageSize = Pagination.maximumLimit

    private struct Person: Decodable {
        let id: Int
        let email: String
        let name: String
        let role: String
    }

    func recipients(of audience: Audience) async throws -> [MailRecipient] {
        switch audience {
        case .user(let id):
            let escaped = id.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? ""
            let reply = try await client.send(.users, method: .GET, path: "/users/\(escaped)", requestID: nil, credentials: .service, logger: logger)
            switch reply.status.code {
            case 200: return [try recipient(reply.decode(Person.self))].compactMap { $0 }
            case 404: return []  // deleted since: no one to write to
            default: throw UserDirectoryUnavailable(description: "user management answered \(reply.status.code) for user \(id)")
            }
        case .role(let role):
            return try await everyone(query: "role=\(role.rawValue)&")
        case .everyone:
            return try await everyone(query: "")
        }
    }

    private func everyone(query: String) async throws -> [MailRecipient] {
        var people: [MailRecipient] = []
        var offset = 0
        while true {
            let reply = try await client.send(
                .users, method: .GET, path: "/users?\(query)limit=\(Self.pageSize)&offset=\(offset)", requestID: nil, credentials: .service,
                logger: logger)
            guard reply.status.code == 200 else {
                throw UserDirectoryUnavailable(description: "user management answered \(reply.status.code) to a list of users")
            }
            let page = try reply.decode([Person].self)
            people += page.compactMap(recipient)
            if page.count < Self.pageSize { return people }
            offset += page.count
        }
    }

    private func recipient(_ person: Person) -> MailRecipient? {
        guard let role = Role(rawValue: person.role) else { return nil }
        return MailRecipient(userID: String(person.id), name: person.name, email: person.email, role: role)
    }
}
