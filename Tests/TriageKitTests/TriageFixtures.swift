import Foundation
import Testing

@testable import TriageKit
@testable import TriageTraining

/// Shared, loaded once: the shipped engine, the data set, and the repository root.
enum TriageFixtures {
    static let engine: TriageEngine = {
        do { return try TriageEngine.bundled() } catch { fatalError("bundled triage model: \(error)") }
    }()

    static let examples: [LabelledTicket] = {
        do { return try LabelledTicket.bundled() } catch { fatalError("bundled triage data: \(error)") }
    }()

    /// Tests/TriageKitTests/TriageFixtures.swift → the repository root.
    static let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// Runs minutes of CPU-bound work (a training, a cross-validation, the outside set in a debug
    /// build) on a thread of its own. Swift concurrency shares one thread per core among every test
    /// of the run: on two cores, two trainings held both for two minutes, and the other suites' live
    /// servers stopped answering until their clients timed out (CI's `OutboxTests` failure).
    static func onItsOwnThread<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            let thread = Thread { continuation.resume(with: Result { try work() }) }
            thread.stackSize = 16 << 20
            thread.start()
        }
    }

    static func triage(_ title: String, _ description: String, _ location: String) -> TriageResult {
        engine.triage(TriageInput(title: title, description: description, location: location))
    }

    static func analysis(_ title: String, _ description: String = "", _ location: String = "") -> TicketAnalysis {
        TicketAnalysis(title: title, description: description, location: location)
    }
}

/// A hand-written ticket for the tests: not in the data set (a test checks that).
struct HandCase: CustomTestStringConvertible, Sendable {
    let title: String
    let description: String
    let location: String
    let expected: Priority
    /// Where the rubric itself allows two readings, a neighbouring level is accepted too.
    let alsoAcceptable: Priority?

    init(_ title: String, _ description: String, _ location: String, _ expected: Priority, or alsoAcceptable: Priority? = nil) {
        self.title = title
        self.description = description
        self.location = location
        self.expected = expected
        self.alsoAcceptable = alsoAcceptable
    }

    var testDescription: String { "\(expected.rawValue): \(title)" }
}
