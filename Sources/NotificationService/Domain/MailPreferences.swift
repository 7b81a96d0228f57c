import CampusKit
import Foundation

/// Which notices a person also receives by e-mail (docs/contract.md §8). Choices they never made
/// follow their role: booking and ticket updates for everyone, assignments and SLA breaches for
/// technicians, admins' broadcasts for no one until they ask.
public struct MailPreferences: Sendable, Equatable {
    /// What the person chose; a kind missing here follows ``defaultChoice(_:role:)``.
    public var choices: [NoticeKind: Bool]

    public init(choices: [NoticeKind: Bool] = [:]) {
        self.choices = choices
    }

    public static func defaultChoice(_ kind: NoticeKind, role: Role) -> Bool {
        switch kind {
        case .bookingUpdates, .ticketUpdates: true
        case .assignments, .slaBreaches: role == .technician
        case .broadcasts: false
        }
    }

    public func allows(_ kind: NoticeKind, role: Role) -> Bool {
        choices[kind] ?? Self.defaultChoice(kind, role: role)
    }

    /// Every kind off: what one-click unsubscribe leaves.
    public static let nothing = MailPreferences(choices: Dictionary(uniqueKeysWithValues: NoticeKind.allCases.map { ($0, false) }))
}
