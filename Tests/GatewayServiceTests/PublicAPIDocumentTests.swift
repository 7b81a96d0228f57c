import CampusKit
import Foundation
import Testing

@testable import GatewayService

/// A service's document as the gateway publishes it: its public paths under /api, nothing else.
@Suite struct PublicAPIDocumentTests {
    @Test func pathsAreRenamedToTheirGatewayNamesAndTheRestLeftOut() throws {
        let service = #"""
            {"openapi": "3.1.0", "info": {"title": "x", "version": "1"}, "servers": [{"url": "/"}],
             "paths": {"/users": {"get": {}}, "/users/{id}": {"get": {}}, "/internal/credentials/verify": {"post": {}},
                       "/health": {"get": {}}, "/metrics": {"get": {}}, "/docs": {"get": {}}, "/openapi.json": {"get": {}}},
             "components": {"schemas": {"User": {"type": "object"}}}}
            """#
        let published = try PublicAPIDocument.rewrite(Data(service.utf8), service: .users)
        let object = try #require(try JSONSerialization.jsonObject(with: published) as? [String: Any])
        #expect(Set((object["paths"] as? [String: Any] ?? [:]).keys) == ["/api/users", "/api/users/{id}"])
        #expect((object["servers"] as? [[String: Any]])?.first?["url"] as? String == "/")
        #expect((object["components"] as? [String: Any])?["schemas"] != nil)
    }

    @Test func gpaPublishesOnlyItsPublicPathsAndTheWebSocketIsTheGatewaysOwn() {
        #expect(PublicAPIDocument.gatewayPath(of: "/calculate", service: .gpa) == "/api/gpa/calculate")
        #expect(PublicAPIDocument.gatewayPath(of: "/metrics", service: .gpa) == nil)
        #expect(PublicAPIDocument.gatewayPath(of: "/rooms/{id}", service: .booking) == "/api/rooms/{id}")
        #expect(PublicAPIDocument.gatewayPath(of: "/triage", service: .maintenance) == "/api/triage")
        #expect(PublicAPIDocument.gatewayPath(of: "/ws", service: .maintenance) == nil)
        #expect(PublicAPIDocument.gatewayPath(of: "/roomsx", service: .booking) == nil)
        #expect(PublicAPIDocument.services == [.users, .booking, .gpa, .notification, .maintenance])
    }

    @Test func somethingThatIsNotAnOpenAPIDocumentIsRefused() {
        #expect(throws: (any Error).self) { try PublicAPIDocument.rewrite(Data("[1,2]".utf8), service: .users) }
        #expect(throws: (any Error).self) { try PublicAPIDocument.rewrite(Data("not json".utf8), service: .users) }
    }
}
