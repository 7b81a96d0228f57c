import Foundation

extension TimeZone {
    /// The zone's name as people and browsers know it. swift-corelibs-foundation answers "GMT" for
    /// `TimeZone(identifier: "UTC")`; the campus default is UTC, so that is what the page and messages say.
    public var campusName: String {
        identifier == "GMT" ? "UTC" : identifier
    }
}
