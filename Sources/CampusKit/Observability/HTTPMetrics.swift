import Dispatch
import Hummingbird
import NIOConcurrencyHelpers
import Prometheus

/// Request counts and latency histograms by route, method and status, in this service's own
/// registry, so `/metrics` of one service never shows another's traffic even in one process.
public final class HTTPMetrics: Sendable {
    public let registry: PrometheusCollectorRegistry
    let service: String
    private let cache = NIOLockedValueBox<[String: (Counter, DurationHistogram)]>([:])

    public init(service: ServiceName, registry: PrometheusCollectorRegistry = PrometheusCollectorRegistry()) {
        self.registry = registry
        self.service = service.displayName
    }

    func record(route: String, method: String, status: Int, nanoseconds: UInt64) {
        let key = "\(route) \(method) \(status)"
        let (counter, histogram) = cache.withLockedValue { cache in
            if let metrics = cache[key] { return metrics }
            let labels = [("service", service), ("route", route), ("method", method), ("status", String(status))]
            let metrics = (
                registry.makeCounter(name: "http_requests_total", labels: labels),
                registry.makeDurationHistogram(
                    name: "http_request_duration_seconds", labels: labels,
                    buckets: [
                        .milliseconds(1), .milliseconds(2), .milliseconds(5), .milliseconds(10), .milliseconds(25),
                        .milliseconds(50), .milliseconds(100), .milliseconds(250), .milliseconds(500), .seconds(1), .milliseconds(2500),
                        .seconds(5), .seconds(10), .seconds(30),
                    ]
                )
            )
            cache[key] = metrics
            return metrics
        }
        counter.increment()
        histogram.recordNanoseconds(Int64(clamping: nanoseconds))
    }

    /// Prometheus text exposition.
    public func render() -> String { registry.emitToString() }

    // MARK: Operators' metrics beside the HTTP ones (docs/deploy.md, "Metrics and alerts")

    private let probes = NIOLockedValueBox<[@Sendable () async -> Void]>([])

    /// `probe` runs before each scrape (it sets gauges from the current state, e.g. the outbox backlog).
    public func addProbe(_ probe: @escaping @Sendable () async -> Void) {
        probes.withLockedValue { $0.append(probe) }
    }

    /// A probe that reads the database: a scrape waits for it at most `limit`, then shows the
    /// last values, so a saturated pool never makes `/metrics` hang (it is what shows the saturation).
    /// One read at a time: a slow one still running is not started again.
    public func addProbe(upTo limit: Duration, _ probe: @escaping @Sendable () async -> Void) {
        let running = NIOLockedValueBox(false)
        addProbe {
            guard
                running.withLockedValue({ busy in
                    defer { busy = true }
                    return !busy
                })
            else { return }
            await withCheckedContinuation { (done: CheckedContinuation<Void, Never>) in
                let resumed = NIOLockedValueBox(false)
                @Sendable func finish() {
                    if resumed.withLockedValue({ was in
                        defer { was = true }
                        return !was
                    }) {
                        done.resume()
                    }
                }
                Task {
                    await probe()
                    running.withLockedValue { $0 = false }
                    finish()
                }
                Task {
                    try? await Task.sleep(for: limit)
                    finish()
                }
            }
        }
    }

    /// Runs every probe; `/metrics` calls this before rendering.
    public func collect() async {
        for probe in probes.withLockedValue({ $0 }) { await probe() }
    }

    public func gauge(_ name: String, _ labels: [(String, String)] = []) -> Gauge {
        registry.makeGauge(name: name, labels: [("service", service)] + labels)
    }

    public func counter(_ name: String, _ labels: [(String, String)] = []) -> Counter {
        registry.makeCounter(name: name, labels: [("service", service)] + labels)
    }

    public func durationHistogram(_ name: String, buckets: [Duration]) -> DurationHistogram {
        registry.makeDurationHistogram(name: name, labels: [("service", service)], buckets: buckets)
    }

    /// `campus_db_pool_connections_in_use`, `campus_db_pool_waiting_calls` (calls queued for a
    /// connection: the pool is too small or a query too slow) and `campus_db_pool_max_connections`.
    public func watchDatabasePool(_ usage: DatabasePoolUsage) {
        let inUse = gauge("campus_db_pool_connections_in_use")
        let waiting = gauge("campus_db_pool_waiting_calls")
        gauge("campus_db_pool_max_connections").set(Double(usage.capacity))
        addProbe {
            let now = usage.snapshot
            inUse.set(Double(now.inUse))
            waiting.set(Double(now.waiting))
        }
    }

    /// `campus_websocket_clients`: the live sockets this instance serves now.
    public func watchWebSocketClients(_ hub: LiveHub) {
        let clients = gauge("campus_websocket_clients")
        addProbe { clients.set(Double(hub.connectedClients)) }
    }

    /// `campus_circuit_breaker_state{downstream}`: 0 closed, 1 half-open (a trial call under way), 2 open.
    public func watchBreakers(of client: ServiceClient, caller: ServiceName) {
        let watched = ServiceName.allCases.filter { $0 != caller }.compactMap { name in
            client.breaker(for: name).map { (gauge("campus_circuit_breaker_state", [("downstream", name.rawValue)]), $0) }
        }
        addProbe {
            for (gauge, breaker) in watched {
                switch breaker.currentState {
                case .closed: gauge.set(0.0)
                case .halfOpen: gauge.set(1.0)
                // Open until a trial call decides, even once that call is due.
                case .open: gauge.set(2.0)
                }
            }
        }
    }
}

/// Records every answered request; the route is the matched pattern (`/users/{id}`), never the raw path.
public struct MetricsRecordingMiddleware<Context: RequestContext>: RouterMiddleware {
    let metrics: HTTPMetrics
    public init(metrics: HTTPMetrics) { self.metrics = metrics }

    public func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let start = DispatchTime.now().uptimeNanoseconds
        let response = try await next(request, context)
        metrics.record(
            route: context.endpointPath ?? "unmatched", method: request.method.rawValue, status: Int(response.status.code),
            nanoseconds: DispatchTime.now().uptimeNanoseconds - start
        )
        return response
    }
}
