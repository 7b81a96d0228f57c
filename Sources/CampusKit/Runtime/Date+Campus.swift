import Foundation

extension Date {
    /// This instant without its fraction of a second: what the contract's timestamps show and
    /// what every database stores exactly, so a value reads back equal to what was written.
    public var wholeSeconds: Date { Date(timeIntervalSince1970: timeIntervalSince1970.rounded(.down)) }
}
