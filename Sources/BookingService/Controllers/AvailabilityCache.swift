import CampusKit
import Foundation
import Hummingbird
import Synchronization

/// The encoded answers of `GET /bookings/available`: a day's grid is the same for every caller
/// until a booking of that day or a room changes (``BookingChanges``) or one of its slots begins.
/// An answer is reused only while all three hold (and, with other replicas writing, for at most
/// the changes' `maxAge`).
final class AvailabilityCache: Sendable {
    struct Key: Hashable {
        let date: CalendarDate
        let roomID: Int?
        let page: Pagination
    }

    struct Answer: Sendable {
        let body: ByteBuffer
        let total: Int
        /// ``BookingChanges/version(of:)`` read before the query it was built from.
        let version: UInt64
        /// The answer says which slots have begun; that stays true from `from` (the start of the
        /// latest begun slot) until `until` (the start of the next one).
        let from: Date
        let until: Date
        let storedAt: ContinuousClock.Instant

        /// `page` encoded, valid for `version` and while the begun slots of `slots` stay as they are at `now`.
        init(_ page: Page<some Encodable & Sendable>, version: UInt64, slots: [SlotGrid.DaySlot], now: Date) throws {
            body = ByteBuffer(bytes: try CampusJSON.encoder.encode(page.items))
            total = page.total
            self.version = version
            (from, until) = AvailabilityCache.window(of: slots, at: now)
            storedAt = .now
        }

        var response: Response { .json(body: body, headers: [.totalCount: String(total)]) }
    }

    /// A bound on the answers kept (days × rooms × pages); past it the cache starts again.
    static let capacity = 4096

    let changes: BookingChanges
    private let answers = Mutex<[Key: Answer]>([:])

    init(changes: BookingChanges) {
        self.changes = changes
    }

    func answer(_ key: Key, version: UInt64, now: Date) -> Answer? {
        guard let answer = answers.withLock({ $0[key] }), answer.version == version, answer.from <= now, now < answer.until else { return nil }
        if let maxAge = changes.maxAge, answer.storedAt.duration(to: .now) > maxAge { return nil }
        return answer
    }

    func store(_ answer: Answer, for key: Key) {
        answers.withLock { answers in
            if answers.count >= Self.capacity { answers.removeAll(keepingCapacity: true) }
            answers[key] = answer
        }
    }

    /// When the begun slots of `slots` last changed before `now`, and when they next will.
    static func window(of slots: [SlotGrid.DaySlot], at now: Date) -> (from: Date, until: Date) {
        let begun = slots.lazy.map(\.startsAt).filter { $0 <= now }.max() ?? .distantPast
        let next = slots.lazy.map(\.startsAt).filter { $0 > now }.min() ?? .distantFuture
        return (begun, next)
    }
}
