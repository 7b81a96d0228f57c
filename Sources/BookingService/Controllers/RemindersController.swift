import CampusKit
import Foundation
import Hummingbird

/// `GET/PUT /bookings/reminders`: how long before each of their bookings people are reminded.
struct RemindersController: Sendable {
    let reminders: any BookingReminders
    let now: @Sendable () -> Date

    func addRoutes(to group: RouterGroup<AuthenticatedContext>) {
        group.get("reminders", use: show)
        group.put("reminders", use: change)
    }

    /// `{"minutes_before": 60 | null, "choices": [15, 30, 60, 120, 1440]}`.
    struct ReminderView: Encodable, ResponseEncodable {
        let minutesBefore: Int?
        let choices: [Int]

        init(_ minutes: Int?) {
            minutesBefore = minutes
            choices = ReminderChoice.choices
        }

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(minutesBefore, forKey: .minutesBefore)  // null, not left out: "no reminders"
            try container.encode(choices, forKey: .choices)
        }

        enum CodingKeys: String, CodingKey { case minutesBefore, choices }
    }

    struct ChangeRequest: Decodable {
        let minutesBefore: Int?

        enum CodingKeys: String, CodingKey, CaseIterable { case minutesBefore }

        init(from decoder: any Decoder) throws {
            try decoder.refuseUnknownKeys(besides: CodingKeys.self)
            let container = try decoder.container(keyedBy: CodingKeys.self)
            guard container.contains(.minutesBefore) else {
                throw APIError.invalid("minutes_before", "is required: one of \(ListFormat.or(ReminderChoice.choices.map(String.init))) or null (no reminders)")
            }
            minutesBefore = try container.decodeWholeNumberIfPresent(forKey: .minutesBefore)
        }
    }

    @Sendable func show(_ request: Request, context: AuthenticatedContext) async throws -> ReminderView {
        try BookingPolicy.table.require(.bookRooms, for: context.identity)
        return ReminderView(try await reminders.reminderMinutes(userID: context.identity.userID))
    }

    @Sendable func change(_ request: Request, context: AuthenticatedContext) async throws -> ReminderView {
        try BookingPolicy.table.require(.bookRooms, for: context.identity)
        let body = try await request.decode(as: ChangeRequest.self, context: context)
        let minutes = try ReminderChoice.check(body.minutesBefore)
        try await reminders.setReminderMinutes(minutes, userID: context.identity.userID, now: now())
        return ReminderView(minutes)
    }
}
