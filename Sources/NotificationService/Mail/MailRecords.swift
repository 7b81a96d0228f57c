import CampusKit
import FluentKit
import Foundation
import SQLKit

/// A notice owed by e-mail, stored with the notice; turned into one ``MailDeliveryRecord`` per person it reaches.
final class MailJobRecord: Model, @unchecked Sendable {
    static let schema = "mail_jobs"
    /// The notification's id: one job per notice.
    @ID(custom: "notification_id", generatedBy: .user) var id: Int?
    @Field(key: "kind") var kind: String
    /// The booking's calendar entries as JSON, or nil.
    @OptionalField(key: "invitation") var invitation: String?
    @Field(key: "state") var state: String
    @Field(key: "attempts") var attempts: Int
    @Field(key: "next_attempt_at") var nextAttemptAt: Date
    /// Bumped by whichever replica claims the job, so only one works on it.
    @Field(key: "version") var version: Int
    @OptionalField(key: "last_error") var lastError: String?
    @Field(key: "created_at") var createdAt: Date

    init() {}
}

/// One e-mail to one person: pending until the mail server accepts it (`sent`) or refuses it for good (`failed`);
/// `skipped` when the person turned that e-mail off before it left.
final class MailDeliveryRecord: Model, @unchecked Sendable {
    static let schema = "mail_deliveries"
    @ID(custom: "id", generatedBy: .database) var id: Int?
    @Field(key: "notification_id") var notificationID: Int
    @Field(key: "user_id") var userID: String
    @Field(key: "name") var name: String
    @Field(key: "email") var email: String
    @Field(key: "role") var role: String
    @Field(key: "state") var state: String
    @Field(key: "attempts") var attempts: Int
    @Field(key: "next_attempt_at") var nextAttemptAt: Date
    @Field(key: "version") var version: Int
    @OptionalField(key: "last_error") var lastError: String?
    @OptionalField(key: "sent_at") var sentAt: Date?
    @Field(key: "created_at") var createdAt: Date

    init() {}
}

/// A person's e-mail choices (null: the default of their role) and the secret of their unsubscribe link.
final class MailPreferencesRecord: Model, @unchecked Sendable {
    static let schema = "mail_preferences"
    @ID(custom: "user_id", generatedBy: .user) var id: String?
    @OptionalField(key: "booking_updates") var bookingUpdates: Bool?
    @OptionalField(key: "ticket_updates") var ticketUpdates: Bool?
    @OptionalField(key: "assignments") var assignments: Bool?
    @OptionalField(key: "sla_breaches") var slaBreaches: Bool?
    @OptionalField(key: "broadcasts") var broadcasts: Bool?
    @Field(key: "unsubscribe_secret") var unsubscribeSecret: String
    @Field(key: "updated_at") var updatedAt: Date

    init() {}

    init(userID: String, now: Date) {
        id = userID
        unsubscribeSecret = URLSecret.make()
        updatedAt = now
    }

    var preferences: MailPreferences {
        get {
            var choices: [NoticeKind: Bool] = [:]
            for kind in NoticeKind.allCases { choices[kind] = self[kind] }
            return MailPreferences(choices: choices)
        }
        set {
            for kind in NoticeKind.allCases { self[kind] = newValue.choices[kind] }
        }
    }

    subscript(kind: NoticeKind) -> Bool? {
        get {
            switch kind {
            case .bookingUpdates: bookingUpdates
            case .ticketUpdates: ticketUpdates
            case .assignments: assignments
            case .slaBreaches: slaBreaches
            case .broadcasts: broadcasts
            }
        }
        set {
            switch kind {
            case .bookingUpdates: bookingUpdates = newValue
            case .ticketUpdates: ticketUpdates = newValue
            case .assignments: assignments = newValue
            case .slaBreaches: slaBreaches = newValue
            case .broadcasts: broadcasts = newValue
            }
        }
    }
}

/// E-mail of notices (issue 16): jobs, deliveries and preferences.
struct CreateMail: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(MailJobRecord.schema)
            .field("notification_id", .int, .identifier(auto: false))
            .field("kind", .string, .required)
            .field("invitation", .string)
            .field("state", .string, .required)
            .field("attempts", .int, .required)
            .field("next_attempt_at", .datetime, .required)
            .field("version", .int, .required)
            .field("last_error", .string)
            .field("created_at", .datetime, .required)
            .create()
        try await database.schema(MailDeliveryRecord.schema)
            .field("id", .int, .identifier(auto: true))
            .field("notification_id", .int, .required)
            .field("user_id", .string, .required)
            .field("name", .string, .required)
            .field("email", .string, .required)
            .field("role", .string, .required)
            .field("state", .string, .required)
            .field("attempts", .int, .required)
            .field("next_attempt_at", .datetime, .required)
            .field("version", .int, .required)
            .field("last_error", .string)
            .field("sent_at", .datetime)
            .field("created_at", .datetime, .required)
            .unique(on: "notification_id", "user_id", name: "mail_deliveries_once")
            .create()
        try await database.schema(MailPreferencesRecord.schema)
            .field("user_id", .string, .identifier(auto: false))
            .field("booking_updates", .bool)
            .field("ticket_updates", .bool)
            .field("assignments", .bool)
            .field("sla_breaches", .bool)
            .field("broadcasts", .bool)
            .field("unsubscribe_secret", .string, .required)
            .field("updated_at", .datetime, .required)
            .unique(on: "unsubscribe_secret", name: "mail_preferences_secret_unique")
            .create()
        if let sql = database as? any SQLDatabase {
            try await sql.create(index: "mail_jobs_due").on(MailJobRecord.schema).column("state").column("next_attempt_at").run()
            try await sql.create(index: "mail_deliveries_due").on(MailDeliveryRecord.schema).column("state").column("next_attempt_at").run()
        }
    }

    func revert(on database: any Database) async throws {
        try await database.schema(MailPreferencesRecord.schema).delete()
        try await database.schema(MailDeliveryRecord.schema).delete()
        try await database.schema(MailJobRecord.schema).delete()
    }
}
