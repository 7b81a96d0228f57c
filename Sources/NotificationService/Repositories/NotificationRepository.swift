import CampusKit
import Foundation

/// Why a notification write was refused.
public enum NotificationStoreError: Error, Equatable {
    /// The event was delivered before and its notification has since been purged.
    case eventAlreadyDelivered(String)
}

/// Storage of notifications and of who has read them.
public protocol NotificationRepository: Sendable {
    /// Stores a notification. With an `eventID` seen before, stores nothing and returns the
    /// notification that event made (`created` false).
    func create(_ notification: NewNotification) async throws -> (view: NotificationView, created: Bool)
    /// The reader's notifications, newest first.
    func list(for reader: Reader, unreadOnly: Bool, page: Pagination) async throws -> (items: [NotificationView], total: Int)
    func unreadCount(for reader: Reader) async throws -> Int
    /// One notification if it is addressed to the reader.
    func find(id: Int, for reader: Reader) async throws -> NotificationView?
    /// A notification just created, as everyone it is addressed to sees it (unread): what the live bell sends.
    func fresh(id: Int) async throws -> NotificationView?
    /// Sets the reader's own read state; nil if the notification is not addressed to them.
    func setRead(id: Int, read: Bool, for reader: Reader) async throws -> NotificationView?
    /// Marks everything addressed to the reader as read; returns how many were unread.
    func markAllRead(for reader: Reader) async throws -> Int
    /// Deletes notifications (and their read marks) created before `cutoff`, `batchSize` at a time.
    func purge(createdBefore cutoff: Date, batchSize: Int) async throws -> Int
}
