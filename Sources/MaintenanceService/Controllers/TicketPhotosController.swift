import CampusKit
import Foundation
import Hummingbird

/// `/tickets/{id}/photos` (issue 19, point 7): photos of a ticket's report or of its comments.
/// Whoever may see the ticket sees its photos; whoever may comment on it may add some; who added a
/// photo gives it a thumbnail and may remove it. The body of an upload is the image itself, its
/// type judged by its content; what is stored has its metadata (GPS, camera, XMP) removed.
struct TicketPhotosController: Sendable {
    let tickets: any TicketRepository
    let photos: any TicketPhotoRepository
    let events: any LiveEventBus
    let now: @Sendable () -> Date

    func addRoutes(to group: RouterGroup<AuthenticatedContext>) {
        group.get("/tickets/{id}/photos", use: list)
        group.post("/tickets/{id}/photos", use: upload)
        group.get("/tickets/{id}/photos/{photo_id}", use: image)
        group.delete("/tickets/{id}/photos/{photo_id}", use: remove)
        group.get("/tickets/{id}/photos/{photo_id}/thumbnail", use: thumbnail)
        group.put("/tickets/{id}/photos/{photo_id}/thumbnail", use: setThumbnail)
    }

    /// The photo object: `{"id","ticket_id","comment_id","media_type","width","height","size",
    /// "has_thumbnail","uploaded_by":{"id","name"},"created_at"}`.
    struct PhotoView: Encodable, Sendable, ResponseEncodable {
        let id: Int
        let ticketId: Int
        let commentId: Int?
        let mediaType: String
        let width: Int
        let height: Int
        let size: Int
        let hasThumbnail: Bool
        let uploadedBy: Person
        let createdAt: Date

        struct Person: Encodable, Sendable {
            let id: WireID
            let name: String?

            func encode(to encoder: any Encoder) throws {
                var container = encoder.container(keyedBy: CodingKeys.self)
                try container.encode(id, forKey: .id)
                try container.encode(name, forKey: .name)
            }

            enum CodingKeys: String, CodingKey { case id, name }
        }

        init(_ photo: TicketPhoto) throws {
            id = photo.id
            ticketId = photo.ticketID
            commentId = photo.commentID
            mediaType = photo.kind.mediaType
            width = photo.width
            height = photo.height
            size = photo.size
            hasThumbnail = photo.hasThumbnail
            uploadedBy = Person(id: try WireID(stored: photo.uploadedBy.id), name: photo.uploadedBy.name)
            createdAt = photo.createdAt
        }

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(id, forKey: .id)
            try container.encode(ticketId, forKey: .ticketId)
            try container.encode(commentId, forKey: .commentId)
            try container.encode(mediaType, forKey: .mediaType)
            try container.encode(width, forKey: .width)
            try container.encode(height, forKey: .height)
            try container.encode(size, forKey: .size)
            try container.encode(hasThumbnail, forKey: .hasThumbnail)
            try container.encode(uploadedBy, forKey: .uploadedBy)
            try container.encode(createdAt, forKey: .createdAt)
        }

        enum CodingKeys: String, CodingKey {
            case id, ticketId, commentId, mediaType, width, height, size, hasThumbnail, uploadedBy, createdAt
        }
    }

    @Sendable func list(_ request: Request, context: AuthenticatedContext) async throws -> Page<PhotoView> {
        let page = try Pagination(query: request.uri.queryParameters)
        let ticket = try await visibleTicket(context)
        let result = try await photos.list(ticketID: ticket.id, page: page)
        return Page(items: try result.items.map(PhotoView.init), total: result.total)
    }

    /// 201 with the photo. `?comment_id=` puts it on one of the ticket's comments.
    @Sendable func upload(_ request: Request, context: AuthenticatedContext) async throws -> Response {
        let ticket = try await visibleTicket(context)
        try TicketPolicy.table.require(.openTickets, for: context.identity)
        let commentID = try request.uri.queryParameters["comment_id"].map { raw -> Int in
            guard let id = WireID(raw) else { throw APIError.invalid("comment_id", "\"\(raw)\" is not a comment id") }
            return id.value
        }
        let bytes = try await Self.body(request, limit: PhotoRules.maximumBytes)
        let image = try PhotoRules.photo(bytes)
        let photo = try await photos.add(
            NewTicketPhoto(ticketID: ticket.id, commentID: commentID, image: image, uploadedBy: context.actor), now: now())
        await events.publish(TicketEvent(kind: .updated, ticketID: ticket.id))
        return try Response.json(try PhotoView(photo), status: .created, headers: [.location: "/tickets/\(ticket.id)/photos/\(photo.id)"])
    }

    @Sendable func image(_ request: Request, context: AuthenticatedContext) async throws -> Response {
        try await serve(context, thumbnail: false)
    }

    @Sendable func thumbnail(_ request: Request, context: AuthenticatedContext) async throws -> Response {
        try await serve(context, thumbnail: true)
    }

    /// 204. Only who uploaded the photo.
    @Sendable func setThumbnail(_ request: Request, context: AuthenticatedContext) async throws -> Response {
        let (ticket, photo) = try await ownPhoto(context)
        let bytes = try await Self.body(request, limit: PhotoRules.thumbnailMaximumBytes)
        try await photos.setThumbnail(id: photo.id, ticketID: ticket.id, image: try PhotoRules.thumbnail(bytes))
        return Response(status: .noContent)
    }

    /// 204. Only who uploaded the photo.
    @Sendable func remove(_ request: Request, context: AuthenticatedContext) async throws -> Response {
        let (ticket, photo) = try await ownPhoto(context)
        try await photos.delete(id: photo.id, ticketID: ticket.id, by: context.actor, now: now())
        await events.publish(TicketEvent(kind: .updated, ticketID: ticket.id))
        return Response(status: .noContent)
    }

    /// The image as stored, never sniffed or framed by the browser as anything else.
    private func serve(_ context: AuthenticatedContext, thumbnail: Bool) async throws -> Response {
        let ticket = try await visibleTicket(context)
        let raw = context.parameters.get("photo_id") ?? ""
        guard let id = Int(raw), let found = try await photos.content(id: id, ticketID: ticket.id, thumbnail: thumbnail) else {
            throw APIError.notFound(thumbnail ? "Photo \(raw) of ticket \(ticket.id) has no thumbnail." : "Ticket \(ticket.id) has no photo \(raw).")
        }
        return Response(
            status: .ok,
            headers: [
                .contentType: found.kind.mediaType, .cacheControl: "private, max-age=3600",
                .contentDisposition: "inline; filename=\"ticket-\(ticket.id)-photo-\(id)\(thumbnail ? "-thumbnail" : "").\(found.kind.fileExtension)\"",
            ],
            body: .init(byteBuffer: ByteBuffer(bytes: found.bytes)))
    }

    private func ownPhoto(_ context: AuthenticatedContext) async throws -> (Ticket, TicketPhoto) {
        let ticket = try await visibleTicket(context)
        let raw = context.parameters.get("photo_id") ?? ""
        guard let id = Int(raw), let photo = try await photos.find(id: id, ticketID: ticket.id) else {
            throw APIError.notFound("Ticket \(ticket.id) has no photo \(raw).")
        }
        guard photo.uploadedBy.id == context.identity.userID else { throw PhotoRefusal.notUploader }
        return (ticket, photo)
    }

    private func visibleTicket(_ context: AuthenticatedContext) async throws -> Ticket {
        try await tickets.visibleTicket(context)
    }

    /// The request's body, at most `limit` bytes (413 past it).
    static func body(_ request: Request, limit: Int) async throws -> [UInt8] {
        Array(try await request.collectBody(upTo: limit).readableBytesView)
    }
}

extension ImageKind {
    /// `jpg`, `png`, `webp`, `heic`.
    var fileExtension: String { self == .jpeg ? "jpg" : rawValue }
    /// "JPEG", "PNG", "WebP", "HEIC", as people write them.
    var label: String {
        switch self {
        case .jpeg: "JPEG"
        case .png: "PNG"
        case .webp: "WebP"
        case .heic: "HEIC"
        }
    }
}
