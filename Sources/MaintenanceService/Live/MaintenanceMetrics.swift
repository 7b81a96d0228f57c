import CampusKit
import Dispatch
import Prometheus

/// The maintenance service's own lines on `/metrics`: `campus_triage_duration_seconds` (each
/// triage, preview or ticket), `campus_sla_breaches_total` (tickets that passed their SLA
/// deadline) and `campus_websocket_clients` (live ticket sockets on this instance).
struct MaintenanceMetrics: Sendable {
    let slaBreaches: Counter

    init(_ metrics: HTTPMetrics, hub: TicketEventHub) {
        slaBreaches = metrics.counter("campus_sla_breaches_total")
        metrics.watchWebSocketClients(hub.clients)
    }

    /// The histogram every triage is timed into.
    static func triageDuration(_ metrics: HTTPMetrics) -> DurationHistogram {
        metrics.durationHistogram(
            "campus_triage_duration_seconds",
            buckets: [
                .microseconds(50), .microseconds(100), .microseconds(250), .microseconds(500), .milliseconds(1), .milliseconds(5), .milliseconds(25),
                .milliseconds(100),
            ])
    }
}

/// The triage engine, timed.
struct TimedTriage: Sendable {
    let engine: TriageEngine
    let duration: DurationHistogram

    func triage(_ input: TriageInput) -> TriageResult {
        let start = DispatchTime.now().uptimeNanoseconds
        defer { duration.recordNanoseconds(Int64(clamping: DispatchTime.now().uptimeNanoseconds - start)) }
        return engine.triage(input)
    }
}
