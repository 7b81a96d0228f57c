import CampusKit
import Foundation
import Logging

/// The live bell: each new notification goes, the moment it is stored, to this instance's
/// WebSocket clients it is addressed to (the user, their role, or everyone), read once and
/// encoded once: `{"type":"notification.created","notification":{…}}`.
public final class NoticeHub: LiveEventReceiver {
    /// The sockets of this instance (``LiveWebSocket``'s clients).
    public let clients: LiveHub
    private let repository: any NotificationRepository
    private let logger: Logger

    static let createdPrefix = "notification.created:"

    public init(repository: any NotificationRepository, logger: Logger) {
        self.clients = LiveHub(logger: logger)
        self.repository = repository
        self.logger = logger
    }

    /// The event that says notification `id` was stored.
    static func created(_ id: Int) -> String { createdPrefix + String(id) }

    public func deliver(wire: String) async {
        guard wire.hasPrefix(Self.createdPrefix), let id = Int(wire.dropFirst(Self.createdPrefix.count)), clients.connectedClients > 0 else { return }
        do {
            guard let notice = try await repository.fresh(id: id) else { return }
            struct Message: Encodable {
                let type = "notification.created"
                let notification: NotificationView
            }
            let text = String(decoding: try CampusJSON.encoder.encode(Message(notification: notice)), as: UTF8.self)
            clients.send(text) { notice.audience.includes(Reader(userID: $0.userID, role: $0.role)) }
        } catch {
            logger.warning("Could not deliver a live notification", metadata: ["event": "\(wire)", "error": "\(error)"])
        }
    }
}
