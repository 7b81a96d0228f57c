import CampusKit
import FluentKit
import Foundation
import Logging
import SQLKit

/// Storage of ticket photos. Listing never reads their content; the content is read one photo at a time.
public protocol TicketPhotoRepository: Sendable {
    /// Stores `photo` unless its report or comment already holds ``PhotoRules/perItem`` photos
    /// (`PhotoRefusal.tooMany`), or its comment is not one of its ticket's (`noSuchComment`); the
    /// ticket's photo count goes up, and its history says so, in the same transaction.
    func add(_ photo: NewTicketPhoto, now: Date) async throws -> TicketPhoto
    /// A page of a ticket's photos, oldest first, and how many it has.
    func list(ticketID: Int, page: Pagination) async throws -> (items: [TicketPhoto], total: Int)
    func find(id: Int, ticketID: Int) async throws -> TicketPhoto?
    /// The stored image (or its thumbnail): its kind and bytes; nil when there is none.
    func content(id: Int, ticketID: Int, thumbnail: Bool) async throws -> (kind: ImageKind, bytes: [UInt8])?
    /// Gives the photo its thumbnail (replacing any before).
    func setThumbnail(id: Int, ticketID: Int, image: SanitizedImage) async throws
    /// Removes the photo; the ticket's photo count goes down and its history says so in the same transaction.
    func delete(id: Int, ticketID: Int, by actor: TicketActor, now: Date) async throws
}

public struct FluentTicketPhotoRepository: TicketPhotoRepository, DatabaseBacked {
    public let provider: DatabaseProvider
    public let logger: Logger
    static let schema = CreateTicketPhotos.schema
    /// Every column but the content and thumbnail.
    static let summary = ["id", "ticket_id", "comment_id", "kind", "width", "height", "size", "uploaded_by", "uploader_name", "created_at"]

    public init(provider: DatabaseProvider, logger: Logger) {
        self.provider = provider
        self.logger = logger
    }

    public func add(_ photo: NewTicketPhoto, now: Date) async throws -> TicketPhoto {
        let isPostgreSQL = provider.isPostgreSQL
        return try await db.transaction { tx in
            let sql = tx.sql
            // Two uploads at once count each other: the ticket row is the lock.
            if isPostgreSQL { try await sql.raw("SELECT id FROM tickets WHERE id = \(bind: photo.ticketID) FOR UPDATE").run() }
            if let comment = photo.commentID {
                let found = try await sql.select().column("id").from(TicketCommentRecord.schema)
                    .where("id", .equal, comment).where("ticket_id", .equal, photo.ticketID).first()
                guard found != nil else { throw PhotoRefusal.noSuchComment(String(comment)) }
            }
            let held = sql.select().column(SQLFunction("COUNT", args: SQLLiteral.all), as: "n").from(Self.schema)
                .where("ticket_id", .equal, photo.ticketID)
            if let comment = photo.commentID { held.where("comment_id", .equal, comment) } else { held.where("comment_id", .is, SQLLiteral.null) }
            let count = try await held.first()?.decode(column: "n", as: Int.self) ?? 0
            guard count < PhotoRules.perItem else { throw PhotoRefusal.tooMany(maximum: PhotoRules.perItem, commentID: photo.commentID) }
            let at = now.wholeSeconds
            let row = try await sql.insert(into: Self.schema)
                .columns("ticket_id", "comment_id", "kind", "width", "height", "size", "content", "uploaded_by", "uploader_name", "created_at")
                .values(
                    SQLBind(photo.ticketID), SQLBind(photo.commentID), SQLBind(photo.image.kind.rawValue), SQLBind(photo.image.width),
                    SQLBind(photo.image.height), SQLBind(photo.image.bytes.count), SQLBind(Data(photo.image.bytes)), SQLBind(photo.uploadedBy.id),
                    SQLBind(photo.uploadedBy.name), SQLBind(at)
                )
                .returning("id").first()
            try await sql.update(TicketRecord.schema).set(SQLIdentifier("photo_count"), to: SQLRaw("photo_count + 1"))
                .where("id", .equal, photo.ticketID).run()
            let place = photo.commentID.map { "to comment #\($0)" } ?? "to the report"
            try await TicketChangeRecord(
                ticketID: photo.ticketID, actor: photo.uploadedBy, change: "Added a photo \(place) (\(photo.image.kind.label))", at: at
            ).create(on: tx)
            return TicketPhoto(
                id: try row?.decode(column: "id", as: Int.self) ?? 0, ticketID: photo.ticketID, commentID: photo.commentID, kind: photo.image.kind,
                width: photo.image.width, height: photo.image.height, size: photo.image.bytes.count, hasThumbnail: false,
                uploadedBy: photo.uploadedBy, createdAt: at)
        }
    }

    public func list(ticketID: Int, page: Pagination) async throws -> (items: [TicketPhoto], total: Int) {
        let sql = try db.sql
        let total =
            try await sql.select().column(SQLFunction("COUNT", args: SQLLiteral.all), as: "n").from(Self.schema)
            .where("ticket_id", .equal, ticketID).first()?.decode(column: "n", as: Int.self) ?? 0
        let rows = try await Self.select(sql).where("ticket_id", .equal, ticketID).orderBy("id").limit(page.limit).offset(page.offset).all()
        return (try rows.map(Self.photo(of:)), total)
    }

    public func find(id: Int, ticketID: Int) async throws -> TicketPhoto? {
        try await Self.select(try db.sql).where("id", .equal, id).where("ticket_id", .equal, ticketID).first().map(Self.photo(of:))
    }

    public func content(id: Int, ticketID: Int, thumbnail: Bool) async throws -> (kind: ImageKind, bytes: [UInt8])? {
        let column = thumbnail ? "thumbnail" : "content"
        guard
            let row = try await db.sql.select().column("kind").column(SQLIdentifier(column)).column("thumbnail_kind")
                .from(Self.schema).where("id", .equal, id).where("ticket_id", .equal, ticketID).first(),
            let data = try row.decode(column: column, as: Data?.self)
        else { return nil }
        let stored = thumbnail ? try row.decode(column: "thumbnail_kind", as: String?.self) : try row.decode(column: "kind", as: String.self)
        guard let kind = stored.flatMap(ImageKind.init(rawValue:)) else {
            throw CorruptRecord(table: Self.schema, id: String(id), "its kind cannot be read")
        }
        return (kind, [UInt8](data))
    }

    public func setThumbnail(id: Int, ticketID: Int, image: SanitizedImage) async throws {
        try await db.sql.update(Self.schema).set("thumbnail", to: SQLBind(Data(image.bytes))).set("thumbnail_kind", to: image.kind.rawValue)
            .where("id", .equal, id).where("ticket_id", .equal, ticketID).run()
    }

    public func delete(id: Int, ticketID: Int, by actor: TicketActor, now: Date) async throws {
        try await db.transaction { tx in
            let gone = try await tx.sql.delete(from: Self.schema).where("id", .equal, id).where("ticket_id", .equal, ticketID).returning("id").all()
            guard !gone.isEmpty else { return }
            try await tx.sql.update(TicketRecord.schema).set(SQLIdentifier("photo_count"), to: SQLRaw("photo_count - 1"))
                .where("id", .equal, ticketID).run()
            try await TicketChangeRecord(ticketID: ticketID, actor: actor, change: "Removed a photo", at: now.wholeSeconds).create(on: tx)
        }
    }

    private static func select(_ sql: any SQLDatabase) -> SQLSelectBuilder {
        sql.select().columns(summary.map { SQLIdentifier($0) }).column(SQLRaw("thumbnail IS NOT NULL"), as: "has_thumbnail").from(schema)
    }

    private static func photo(of row: any SQLRow) throws -> TicketPhoto {
        let id = try row.decode(column: "id", as: Int.self)
        guard let kind = ImageKind(rawValue: try row.decode(column: "kind", as: String.self)) else {
            throw CorruptRecord(table: schema, id: String(id), "its kind cannot be read")
        }
        return TicketPhoto(
            id: id, ticketID: try row.decode(column: "ticket_id", as: Int.self), commentID: try row.decode(column: "comment_id", as: Int?.self),
            kind: kind, width: try row.decode(column: "width", as: Int.self), height: try row.decode(column: "height", as: Int.self),
            size: try row.decode(column: "size", as: Int.self), hasThumbnail: try row.decode(column: "has_thumbnail", as: Bool.self),
            uploadedBy: TicketActor(
                id: try row.decode(column: "uploaded_by", as: String.self), name: try row.decode(column: "uploader_name", as: String?.self)),
            createdAt: try row.decode(column: "created_at", as: Date.self))
    }
}
