import CampusKit
import Foundation

/// docs/contract.md §3: the 5th failed attempt for one email within 15 minutes locks it for 15 minutes.
/// Failures count per email as normalised (trimmed, lower-cased: ``EmailAddress``), whether or not the account exists.
public struct LoginLockoutPolicy: Sendable {
    public var maximumFailures = 5
    public var window: TimeInterval = 15 * 60
    public var lockDuration: TimeInterval = 15 * 60

    public init() {}

    /// The key failures are counted under.
    public static func key(for email: String) -> String { EmailAddress.normalized(email) }

    /// Whether this many failures inside the window lock the account.
    public func locks(afterFailures count: Int) -> Bool { count >= maximumFailures }
}
