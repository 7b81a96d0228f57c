import CampusKit
import Foundation
import Logging
import NIOCore

/// Checks ids that belong to other services: rooms (booking) and technicians (user management).
struct CampusDirectory: Sendable {
    let client: ServiceClient

    /// Restates the rooms out of order to booking (``stateOutOfOrder(_:requestID:logger:)``) as
    /// `repository` has them; a failure is logged, and made good by the next restatement.
    func restateOutOfOrder(from repository: any TicketRepository, requestID: String?, logger: Logger) async {
        do {
            try await stateOutOfOrder(try await repository.outOfOrderRooms(), requestID: requestID, logger: logger)
        } catch {
            logger.warning("Booking was not told which rooms are out of order; the next restatement will", metadata: ["error": "\(error)"])
        }
    }

    /// `room_id` must be a room of the booking catalogue. If booking cannot be reached the room is
    /// taken on trust: a leak must never go unreported because the booking service is down.
    func requireRoom(_ roomID: String, context: AuthenticatedContext) async throws {
        let reply: ServiceClient.Reply
        do {
            reply = try await client.send(
                .booking, method: .GET, path: "/rooms/\(escaped(roomID))", requestID: context.requestID,
                credentials: .bearer(context.bearerToken), logger: context.logger
            )
        } catch {
            context.logger.warning("Booking unreachable; room not checked", metadata: ["room_id": "\(roomID)"])
            return
        }
        switch reply.status.code {
        case 200: return
        case 404: throw APIError.invalid("room_id", "there is no room \(roomID) in the catalogue")
        default: context.logger.warning("Booking answered \(reply.status.code); room not checked", metadata: ["room_id": "\(roomID)"])
        }
    }

    /// The room's next bookings within `hours`, each with the nearest free room of the same kind
    /// (booking's `GET /internal/rooms/{id}/outlook`); throws when booking cannot answer.
    func schedule(_ roomID: String, hours: Int, context: AuthenticatedContext) async throws -> RoomSchedule {
        let reply = try await client.send(
            .booking, method: .GET, path: "/internal/rooms/\(escaped(roomID))/outlook?hours=\(hours)", requestID: context.requestID,
            credentials: .service, logger: context.logger
        )
        switch reply.status.code {
        case 200: return try reply.decode(RoomSchedule.self)
        case 404: throw APIError.conflict("Room \(roomID) is no longer in the booking catalogue.", code: "room_gone")
        default: throw APIError(downstream: reply, service: .booking)
        }
    }

    /// ``schedule(_:hours:context:)`` for a new ticket's impact: nil (logged) when booking cannot
    /// answer, since a fault must never go unreported because the booking service is down.
    func scheduleIfReachable(_ roomID: String, hours: Int, context: AuthenticatedContext) async -> RoomSchedule? {
        do {
            return try await schedule(roomID, hours: hours, context: context)
        } catch {
            context.logger.warning(
                "Booking did not answer the room's outlook; its bookings are not in the impact", metadata: ["room_id": "\(roomID)", "error": "\(error)"])
            return nil
        }
    }

    /// Tells booking which rooms are out of order, whole (`PUT /internal/rooms/out-of-order`):
    /// it refuses bookings into them until their tickets are resolved.
    func stateOutOfOrder(_ rooms: [RoomFault], requestID: String?, logger: Logger) async throws {
        struct Statement: Encodable { let rooms: [RoomFault] }
        let reply = try await client.send(
            .booking, method: .PUT, path: "/internal/rooms/out-of-order", headers: ["Content-Type": "application/json"],
            body: ByteBuffer(data: try CampusJSON.encoder.encode(Statement(rooms: rooms))), requestID: requestID, credentials: .service,
            logger: logger)
        guard reply.status == .noContent else { throw APIError(downstream: reply, service: .booking) }
    }

    /// `assignee_id` must be a technician; returns them with their name.
    func technician(_ userID: String, context: AuthenticatedContext) async throws -> TicketActor {
        let reply = try await client.send(
            .users, method: .GET, path: "/users/\(escaped(userID))", requestID: context.requestID, credentials: .service, logger: context.logger
        )
        switch reply.status.code {
        case 200:
            struct Person: Decodable {
                let role: Role
                let name: String
            }
            let person = try reply.decode(Person.self)
            guard person.role == .technician else {
                throw APIError.invalid("assignee_id", "user \(userID) is not a technician")
            }
            return TicketActor(id: userID, name: person.name)
        case 404:
            throw APIError.invalid("assignee_id", "there is no user \(userID)")
        default:
            throw APIError(downstream: reply, service: .users)
        }
    }

    private func escaped(_ id: String) -> String {
        id.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? ""
    }
}
