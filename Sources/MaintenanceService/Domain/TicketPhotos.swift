import CampusKit
import Foundation

/// A photo of a ticket's report or of one of its comments (issue 19, point 7), as stored: its
/// content is checked by ``ImageSanitizer`` (type judged by content, metadata such as GPS removed)
/// and kept in the maintenance database; only those who may see the ticket may see it.
public struct TicketPhoto: Sendable, Equatable {
    public var id: Int
    public var ticketID: Int
    /// The comment it belongs to; nil for the report's own photos.
    public var commentID: Int?
    public var kind: ImageKind
    public var width: Int
    public var height: Int
    /// The stored (sanitized) size in bytes.
    public var size: Int
    /// The small copy the page made for lists (``PhotoRules/thumbnail(_:)``); false until one is sent.
    public var hasThumbnail: Bool
    public var uploadedBy: TicketActor
    public var createdAt: Date
}

/// A photo about to be stored: the sanitized image and where it goes.
public struct NewTicketPhoto: Sendable {
    public let ticketID: Int
    public let commentID: Int?
    public let image: SanitizedImage
    public let uploadedBy: TicketActor
}

/// What may be uploaded, and how much.
public enum PhotoRules {
    /// The largest photo accepted, in bytes, as sent (phones' photos are 2–6 MB).
    public static let maximumBytes = UploadLimits.photoBytes
    public static let maximumPixels = 50_000_000
    /// Photos on a ticket's report, and on each comment.
    public static let perItem = 5
    /// A thumbnail: a JPEG, PNG or WebP at most this many bytes and pixels on its longer side.
    public static let thumbnailMaximumBytes = UploadLimits.thumbnailBytes
    public static let thumbnailMaximumSide = 512

    /// The photo with its metadata removed, or why it is refused.
    public static func photo(_ bytes: [UInt8]) throws(PhotoRefusal) -> SanitizedImage {
        do {
            return try ImageSanitizer.sanitize(bytes, maximumBytes: maximumBytes, maximumPixels: maximumPixels)
        } catch {
            throw .image(error)
        }
    }

    /// A thumbnail for `photo`: small, and a kind every browser shows.
    public static func thumbnail(_ bytes: [UInt8]) throws(PhotoRefusal) -> SanitizedImage {
        let image: SanitizedImage
        do {
            image = try ImageSanitizer.sanitize(bytes, maximumBytes: thumbnailMaximumBytes, maximumPixels: thumbnailMaximumSide * thumbnailMaximumSide)
        } catch {
            throw .image(error)
        }
        guard image.kind != .heic else { throw .thumbnailKind }
        guard max(image.width, image.height) <= thumbnailMaximumSide else {
            throw .thumbnailTooLarge(width: image.width, height: image.height, maximum: thumbnailMaximumSide)
        }
        return image
    }
}

/// Why a photo is refused.
public enum PhotoRefusal: Error, Sendable, Equatable {
    case image(ImageRefusal)
    /// The report (nil comment) or the comment already holds ``PhotoRules/perItem`` photos.
    case tooMany(maximum: Int, commentID: Int?)
    /// `comment_id` names no comment of this ticket.
    case noSuchComment(String)
    case thumbnailKind
    case thumbnailTooLarge(width: Int, height: Int, maximum: Int)
    /// Only who uploaded a photo may give it a thumbnail or remove it.
    case notUploader
}
