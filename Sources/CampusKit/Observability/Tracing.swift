import Foundation
import Hummingbird
import Logging
import NIOConcurrencyHelpers
import OTel
import ServiceLifecycle
import Tracing

/// `OTEL_EXPORTER_OTLP_ENDPOINT` (or `OTEL_EXPORTER_OTLP_TRACES_ENDPOINT`): where spans go, over
/// OTLP/HTTP with protobuf. The other standard `OTEL_*` variables (sampler, batch delay, headers,
/// resource attributes) are passed to swift-otel as they are.
public struct TracingSettings: Sendable, Equatable {
    /// The URL spans are POSTed to (`…/v1/traces`).
    public var tracesEndpoint: String
    /// `OTEL_SERVICE_NAME`, if given; otherwise `campus-<service>`, or `campus` for several in one process.
    public var serviceName: String?
    /// Every `OTEL_*` variable given (environment or `.env`), for swift-otel's own reading.
    public var environment: [String: String]

    public init(tracesEndpoint: String, serviceName: String? = nil, environment: [String: String] = [:]) {
        self.tracesEndpoint = tracesEndpoint
        self.serviceName = serviceName
        self.environment = environment
    }
}

/// OpenTelemetry tracing for the process (swift-otel): every service's requests (Hummingbird's
/// `TracingMiddleware`), calls between services (AsyncHTTPClient sends `traceparent`), SQL
/// statements and Fluent queries, and outbox deliveries, which continue the trace of the request
/// that queued them. Off, and free, unless `OTEL_EXPORTER_OTLP_ENDPOINT` is set.
public enum CampusTracing {
    /// The span attribute naming the campus service that handled a request (`gateway`, `booking`, …).
    public static let serviceAttribute = "campus.service"

    private static let enabled = NIOLockedValueBox(false)

    /// True once ``bootstrap(_:serviceName:logger:)`` has run in this process.
    public static var isEnabled: Bool { enabled.withLockedValue { $0 } }

    /// Installs the OTLP exporter as the process's tracer. Run the returned service in the same
    /// ServiceGroup as the applications, before them, so it stops last and sends their final spans.
    /// Call it before the HTTP client is made: AsyncHTTPClient takes the tracer when it is created.
    public static func bootstrap(_ settings: TracingSettings, serviceName: String, logger: Logger) throws -> any Service {
        var configuration = OTel.Configuration.default
        configuration.serviceName = settings.serviceName ?? serviceName
        configuration.logs.enabled = false
        configuration.metrics.enabled = false
        configuration.traces.enabled = true
        configuration.traces.exporter = .otlp
        configuration.traces.otlpExporter.protocol = .httpProtobuf
        configuration.traces.otlpExporter.endpoint = settings.tracesEndpoint
        // 3 s, not the specification's 10: the last batch is sent on shutdown, and a collector that is
        // away must not hold a stopping task past Compose's 10 s grace (OTEL_EXPORTER_OTLP_TIMEOUT overrides).
        configuration.traces.otlpExporter.timeout = .seconds(3)
        configuration.diagnosticLogger = .custom(logger)
        configuration.diagnosticLogLevel = .warning
        // Only the trace settings: OTEL_SDK_DISABLED would switch swift-otel's logs and metrics back on
        // (this process logs and counts on its own), and the endpoint is resolved above.
        var environment = settings.environment
        for key in ["OTEL_SDK_DISABLED", "OTEL_EXPORTER_OTLP_ENDPOINT", "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", "OTEL_SERVICE_NAME"] {
            environment[key] = nil
        }
        let service = try OTel.bootstrap(configuration: configuration, environment: environment)
        enabled.withLockedValue { $0 = true }
        return service
    }

    /// Log lines written inside a span carry its `trace_id` and `span_id`.
    public static var loggingMetadataProvider: Logger.MetadataProvider { OTel.makeLoggingMetadataProvider() }

    /// Marks the current span failed with `error` (an exception event and status error): a 5xx
    /// answered from an error. Hummingbird's middleware marks only errors it sees thrown.
    public static func recordFailure(_ error: any Error) {
        guard isEnabled, let context = ServiceContext.current, let span = InstrumentationSystem.tracer.activeSpan(identifiedBy: context) else { return }
        span.recordError(error)
        span.setStatus(SpanStatus(code: .error))
    }

    /// Marks the current span failed for a 5xx answer that came without an error (a downstream's 5xx passed on).
    public static func recordFailure(status: Int) {
        guard isEnabled, status >= 500, let context = ServiceContext.current, let span = InstrumentationSystem.tracer.activeSpan(identifiedBy: context) else {
            return
        }
        span.setStatus(SpanStatus(code: .error, message: "HTTP \(status)"))
    }

    /// The W3C `traceparent` of the current span, to store with work done later (the outbox); nil when not tracing.
    public static func currentTraceParent() -> String? {
        guard isEnabled, let context = ServiceContext.current else { return nil }
        var carrier: [String: String] = [:]
        InstrumentationSystem.instrument.inject(context, into: &carrier, using: DictionaryInjector())
        return carrier["traceparent"]
    }

    /// The context a stored `traceparent` names, to continue that trace.
    public static func context(traceParent: String) -> ServiceContext {
        var context = ServiceContext.topLevel
        InstrumentationSystem.instrument.extract(["traceparent": traceParent], into: &context, using: DictionaryExtractor())
        return context
    }
}

private struct DictionaryInjector: Injector {
    func inject(_ value: String, forKey key: String, into carrier: inout [String: String]) { carrier[key] = value }
}

private struct DictionaryExtractor: Extractor {
    func extract(key: String, from carrier: [String: String]) -> String? { carrier[key] }
}

/// Hummingbird's `TracingMiddleware` for every request but `/health`, `/health/ready` and
/// `/metrics`, which load balancers and Prometheus call every few seconds: spans of those would
/// drown the requests people make.
public struct TracedRequests<Context: RequestContext>: RouterMiddleware {
    let tracing: TracingMiddleware<Context>

    public init(service: ServiceName) {
        tracing = TracingMiddleware(recordingHeaders: [.requestID], attributes: [CampusTracing.serviceAttribute: .string(service.rawValue)])
    }

    static func isProbe(_ path: String) -> Bool { path == "/metrics" || path == "/health" || path == "/health/ready" }

    public func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        if Self.isProbe(request.uri.path) { return try await next(request, context) }
        return try await tracing.handle(request, context: context, next: next)
    }
}
