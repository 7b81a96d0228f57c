import CampusKit
import CampusTesting
import Foundation
import Hummingbird
import HummingbirdTesting
import NIOCore
import Testing

@testable import MaintenanceService

/// Ticket photos (issue 19, point 7) through HTTP on both databases: stored with their metadata
/// removed, typed by content, limited in size and number, served only to those who may see the
/// ticket, with thumbnails and removal for whoever added them.
@Suite struct TicketPhotoTests {
    /// Real images with EXIF (Make "SpyCam", GPS), XMP or text ("SecretPlace"): ImageSanitizerTests' Fixtures.
    enum Fixtures {
        static let jpeg = ImageSanitizerTests.decode(ImageSanitizerTests.jpegBase64)
        static let png = ImageSanitizerTests.decode(ImageSanitizerTests.pngBase64)
        static let webp = ImageSanitizerTests.decode(ImageSanitizerTests.webpBase64)
        static let heic = ImageSanitizerTests.decode(ImageSanitizerTests.heicBase64)
    }

    func upload(_ client: any TestClientProtocol, _ token: String, ticket: Int, _ bytes: [UInt8], type: String = "image/jpeg", query: String = "")
        async throws -> TestResponse
    {
        var headers = bearer(token)
        headers[.contentType] = type
        return try await client.execute(uri: "/tickets/\(ticket)/photos\(query)", method: .post, headers: headers, body: ByteBuffer(bytes: bytes)) { $0 }
    }

    func get(_ client: any TestClientProtocol, _ token: String, _ uri: String) async throws -> TestResponse {
        try await client.execute(uri: uri, method: .get, headers: bearer(token)) { $0 }
    }

    @Test(arguments: TestDatabase.backends)
    func aReporterAddsPhotosThatKeepNoMetadataAndOnlyThoseWhoSeeTheTicketSeeThem(_ backend: TestDatabase.Backend) async throws {
        let jpeg = Fixtures.jpeg
        let png = Fixtures.png
        #expect(jpeg.containsText("SpyCam") && png.containsText("SecretPlace"), "the fixtures carry the metadata to remove")
        try await TicketEndpointTests().withMaintenance(backend) { client, t, _, _, _ in
            let ticket = try #require(try await TicketEndpointTests().open(client, t.student, title: "Water stain on the ceiling")["id"] as? Int)

            // A PNG sent as "image/jpeg" is a PNG: the content decides.
            let added = try await upload(client, t.student, ticket: ticket, png, type: "image/jpeg")
            #expect(added.status == .created, "\(added.json)")
            #expect(added.json["media_type"] as? String == "image/png")
            #expect(added.json["width"] as? Int == 8 && added.json["height"] as? Int == 6)
            #expect(added.json["has_thumbnail"] as? Bool == false)
            #expect((added.json["uploaded_by"] as? [String: Any])?["id"] as? Int == 3)
            let pngID = try #require(added.json["id"] as? Int)
            let photo = try #require(try await upload(client, t.student, ticket: ticket, jpeg).json["id"] as? Int)

            // Served as stored: the type, nothing sniffed, no metadata left.
            let served = try await get(client, t.student, "/tickets/\(ticket)/photos/\(photo)")
            #expect(served.status == .ok)
            #expect(served.headers[.contentType] == "image/jpeg")
            let bytes = Array(served.body.readableBytesView)
            #expect(bytes.starts(with: [0xFF, 0xD8]))
            #expect(!bytes.containsText("SpyCam") && !bytes.containsText("SecretPlace"))
            let pngServed = Array(try await get(client, t.tech, "/tickets/\(ticket)/photos/\(pngID)").body.readableBytesView)
            #expect(pngServed.starts(with: [0x89, 0x50, 0x4E, 0x47]) && !pngServed.containsText("SecretPlace"))

            // Someone who may not see the ticket learns nothing of its photos.
            #expect(try await get(client, t.otherStudent, "/tickets/\(ticket)/photos").status == .notFound)
            #expect(try await get(client, t.otherStudent, "/tickets/\(ticket)/photos/\(photo)").status == .notFound)
            #expect(try await upload(client, t.otherStudent, ticket: ticket, jpeg).status == .notFound)
            let listed = try await get(client, t.tech, "/tickets/\(ticket)/photos")
            #expect(listed.headers[.totalCount] == "2")
            #expect(try await get(client, t.student, "/tickets/\(ticket)").json["photo_count"] as? Int == 2)

            // Thumbnails: the uploader's, small and of a kind every browser shows.
            var thumbHeaders = bearer(t.tech)
            thumbHeaders[.contentType] = "image/webp"
            let notMine = try await client.execute(
                uri: "/tickets/\(ticket)/photos/\(photo)/thumbnail", method: .put, headers: thumbHeaders, body: ByteBuffer(bytes: Fixtures.webp)
            ) { $0 }
            #expect(notMine.status == .forbidden)
            #expect(try await get(client, t.student, "/tickets/\(ticket)/photos/\(photo)/thumbnail").status == .notFound)
            var mine = bearer(t.student)
            mine[.contentType] = "image/webp"
            let thumb = try await client.execute(
                uri: "/tickets/\(ticket)/photos/\(photo)/thumbnail", method: .put, headers: mine, body: ByteBuffer(bytes: Fixtures.webp)
            ) { $0 }
            #expect(thumb.status == .noContent)
            let small = try await get(client, t.tech, "/tickets/\(ticket)/photos/\(photo)/thumbnail")
            #expect(small.status == .ok && small.headers[.contentType] == "image/webp")
            #expect(!Array(small.body.readableBytesView).containsText("SpyCam"))
            let heicThumb = try await client.execute(
                uri: "/tickets/\(ticket)/photos/\(photo)/thumbnail", method: .put, headers: mine, body: ByteBuffer(bytes: Fixtures.heic)
            ) { $0 }
            #expect(heicThumb.status == .unprocessableContent)

            // Removal: the uploader's only; the count follows.
            #expect(try await client.execute(uri: "/tickets/\(ticket)/photos/\(pngID)", method: .delete, headers: bearer(t.tech)) { $0 }.status == .forbidden)
            #expect(
                try await client.execute(uri: "/tickets/\(ticket)/photos/\(pngID)", method: .delete, headers: bearer(t.student)) { $0 }.status == .noContent)
            #expect(try await get(client, t.student, "/tickets/\(ticket)/photos/\(pngID)").status == .notFound)
            let view = try await get(client, t.student, "/tickets/\(ticket)").json
            #expect(view["photo_count"] as? Int == 1)
            let history = (view["history"] as? [JSONObject] ?? []).compactMap { $0["change"] as? String }
            #expect(history.filter { $0.hasPrefix("Added a photo to the report") }.count == 2)
            #expect(history.contains("Removed a photo"))
        }
    }

    @Test(arguments: TestDatabase.backends)
    func badUploadsAreRefusedWithAReasonAndStoreNothing(_ backend: TestDatabase.Backend) async throws {
        try await TicketEndpointTests().withMaintenance(backend) { client, t, _, _, _ in
            let ticket = try #require(try await TicketEndpointTests().open(client, t.student, title: "Broken window latch")["id"] as? Int)
            let text = try await upload(client, t.student, ticket: ticket, Array("<svg onload=alert(1)></svg>".utf8), type: "image/svg+xml")
            #expect(text.status == .unsupportedMediaType && text.problemCode == "not_an_image")
            let empty = try await upload(client, t.student, ticket: ticket, [])
            #expect(empty.status == .unprocessableContent)
            let cut = try await upload(client, t.student, ticket: ticket, Array(Fixtures.jpeg.prefix(Fixtures.jpeg.count / 2)))
            #expect(cut.status == .unprocessableContent && cut.problemCode == "image_damaged", "\(cut.json)")
            let huge = try await upload(client, t.student, ticket: ticket, Fixtures.jpeg + [UInt8](repeating: 0, count: PhotoRules.maximumBytes))
            #expect(huge.status == .contentTooLarge)
            #expect(try await upload(client, t.student, ticket: ticket, Fixtures.jpeg, query: "?comment_id=999").status == .unprocessableContent)
            #expect(try await get(client, t.student, "/tickets/\(ticket)/photos").headers[.totalCount] == "0")

            // Five on the report, then no more; a comment holds five of its own.
            for _ in 0..<PhotoRules.perItem { #expect(try await upload(client, t.student, ticket: ticket, Fixtures.png).status == .created) }
            let sixth = try await upload(client, t.student, ticket: ticket, Fixtures.png)
            #expect(sixth.status == .conflict && sixth.problemCode == "photo_limit")
            let comment = try await client.execute(
                uri: "/tickets/\(ticket)/comments", method: .post, headers: bearer(t.student), body: jsonBody(["body": "Here is the latch from outside"])
            ) { $0 }
            let commentID = try #require(comment.json["id"] as? Int)
            let onComment = try await upload(
                client, t.student, ticket: ticket, Fixtures.heic, type: "application/octet-stream", query: "?comment_id=\(commentID)")
            #expect(
                onComment.status == .created && onComment.json["comment_id"] as? Int == commentID && onComment.json["media_type"] as? String == "image/heic")
            #expect(try await get(client, t.student, "/tickets/\(ticket)").json["photo_count"] as? Int == PhotoRules.perItem + 1)
        }
    }

    @Test func uploadLimitsAreThoseOfThePhotoRoutesOnly() {
        #expect(UploadLimits.limit(method: .post, path: "/tickets/12/photos") == PhotoRules.maximumBytes)
        #expect(UploadLimits.limit(method: .post, path: "/api/tickets/12/photos") == PhotoRules.maximumBytes)
        #expect(UploadLimits.limit(method: .put, path: "/api/tickets/12/photos/3/thumbnail") == PhotoRules.thumbnailMaximumBytes)
        #expect(UploadLimits.limit(method: .post, path: "/tickets/12/comments") == CampusJSON.maxBodyBytes)
        #expect(UploadLimits.limit(method: .put, path: "/tickets/12/photos") == CampusJSON.maxBodyBytes)
    }
}

extension Array where Element == UInt8 {
    /// Whether the bytes hold `text` (ASCII) anywhere.
    func containsText(_ text: String) -> Bool {
        let needle = Array(text.utf8)
        guard needle.count <= count else { return false }
        return (0...(count - needle.count)).contains { self[$0..<($0 + needle.count)].elementsEqual(needle) }
    }
}
