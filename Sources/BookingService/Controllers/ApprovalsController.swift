import CampusKit
import Foundation
import Hummingbird
import NIOCore

/// Requests for rooms that require approval (``ApprovalRule``): the approver's queue
/// (`GET /bookings/approvals`) and their decisions (`POST /bookings/{id}/approve`, `/decline`).
/// Admins decide every room's requests; a named approver (faculty) those of their rooms.
struct ApprovalsController: Sendable {
    let bookings: any BookingRepository
    let approvals: any BookingApprovals
    let rooms: any RoomRepository
    let now: @Sendable () -> Date

    func addRoutes(to group: RouterGroup<AuthenticatedContext>) {
        group.get("approvals", use: queue)
        group.post("{id}/approve", use: approve)
        group.post("{id}/decline", use: decline)
    }

    /// `{"apply_to"}` (`this` or `series`) and, to decline, `{"reason"}`.
    struct DecisionRequest: Decodable {
        let reason: String?
        let applyTo: Scope

        enum Scope: String, CaseIterable {
            case this, series
        }

        enum CodingKeys: String, CodingKey, CaseIterable { case reason, applyTo }

        init(from decoder: any Decoder) throws {
            try decoder.refuseUnknownKeys(besides: CodingKeys.self)
            let container = try decoder.container(keyedBy: CodingKeys.self)
            reason = try container.decodeIfPresent(String.self, forKey: .reason)
            let scope = try container.decodeIfPresent(String.self, forKey: .applyTo) ?? Scope.this.rawValue
            guard let applyTo = Scope(rawValue: scope) else {
                throw APIError.invalid("apply_to", "\"\(scope)\" is not one of \(Scope.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            self.applyTo = applyTo
        }

        init() {
            reason = nil
            applyTo = .this
        }
    }

    /// The pending requests the caller may decide, the nearest deadline first.
    @Sendable func queue(_ request: Request, context: AuthenticatedContext) async throws -> Page<BookingResponse> {
        try BookingPolicy.table.require(.decideRequests, for: context.identity)
        let page = try Pagination(query: request.uri.queryParameters)
        let result = try await approvals.pending(approverID: context.role == .admin ? nil : context.identity.userID, page: page)
        return Page(items: result.bookings.map(BookingResponse.init), total: result.total)
    }

    @Sendable func approve(_ request: Request, context: AuthenticatedContext) async throws -> Response {
        let body = try await decision(request, context: context)
        if let reason = body.reason, !reason.isEmpty { throw APIError.invalid("reason", "is for declining; an approval takes none") }
        return try await decide(body, verdict: .approve, context: context)
    }

    @Sendable func decline(_ request: Request, context: AuthenticatedContext) async throws -> Response {
        let body = try await decision(request, context: context)
        guard let reason = body.reason else { throw APIError.invalid("reason", "is required: the booker is told why their request was declined") }
        return try await decide(body, verdict: .decline(reason: try BookingPlanner.reason(reason)), context: context)
    }

    /// The body, which may be empty (approve this booking).
    private func decision(_ request: Request, context: AuthenticatedContext) async throws -> DecisionRequest {
        try BookingPolicy.table.require(.decideRequests, for: context.identity)
        let body = try await request.collectBody(upTo: CampusJSON.maxBodyBytes)
        if body.readableBytes == 0 { return DecisionRequest() }
        return try CampusJSON.decode(DecisionRequest.self, from: Data(body.readableBytesView))
    }

    /// 200 with the booking decided, or `{"series_id","bookings"}` for a series.
    private func decide(_ body: DecisionRequest, verdict: ApprovalVerdict, context: AuthenticatedContext) async throws -> Response {
        let raw = context.parameters.get("id") ?? ""
        guard let id = Int(raw), let named = try await bookings.find(id: id) else { throw APIError.notFound("There is no booking \(raw).") }
        let room = try await rooms.find(id: named.roomID)
        let approval = room?.approval ?? RoomApproval()
        // Someone who may not decide learns no more of the booking than that.
        guard approval.mayDecide(context.identity) else {
            throw ApprovalRefusal.notApprover(room: BookingNotices.roomName(room, id: named.roomID), approver: approval.spokenApprover)
        }
        guard named.status == .pending else { throw ApprovalRefusal.notPending(named) }
        var requests = [named]
        if body.applyTo == .series {
            guard let seriesID = named.seriesID else { throw ApprovalRefusal.notInSeries(bookingID: named.id) }
            requests = try await bookings.series(seriesID, userID: named.userID).filter { $0.status == .pending }
        }
        let decided: [Booking]
        do {
            decided = try await approvals.decide(requests, verdict: verdict, by: context.identity, now: now())
        } catch BookingStoreError.changedMeanwhile(let booking) {
            throw APIError.conflict(
                "The request for \(booking.spokenWhen) was changed, withdrawn or expired since it was read; nothing was decided. Reload the queue.",
                code: "booking_changed")
        }
        if body.applyTo == .series, let seriesID = named.seriesID {
            return try Response.json(SeriesResponse(seriesId: seriesID, bookings: decided.map(BookingResponse.init)))
        }
        guard let first = decided.first else { preconditionFailure("a decision covers at least one booking") }
        return try Response.json(BookingResponse(first))
    }
}
