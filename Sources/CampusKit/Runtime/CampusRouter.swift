import Hummingbird
import Logging

/// The router every service starts from: the shared middleware stack in its one order, and the
/// four routes every service answers (`/health`, `/metrics`, `/openapi.json`, `/docs`).
public enum CampusRouter {
    public struct Options: Sendable {
        public var service: ServiceName
        public var tokens: TokenService
        public var corsOrigins: [String]
        public var openAPISpec: String
        public var metrics: HTTPMetrics
        public var acceptance: (any TokenAcceptance)?
        /// Extra health checks (the database); each throws when unhealthy.
        public var healthChecks: [String: @Sendable () async throws -> Void]
        /// `TRUSTED_PROXIES`: whose forwarding headers name the client.
        public var trustedProxies: [AddressRange]
        /// On every answer that brings none: the API policy, or the gateway's web page policy.
        public var contentSecurityPolicy = ResponseSafetyHeaders.apiContentSecurityPolicy
        /// A span per request (`OTEL_EXPORTER_OTLP_ENDPOINT` is set and the tracer bootstrapped).
        public var tracing = false

        public init(
            service: ServiceName, tokens: TokenService, corsOrigins: [String], openAPISpec: String,
            metrics: HTTPMetrics? = nil, acceptance: (any TokenAcceptance)? = nil,
            healthChecks: [String: @Sendable () async throws -> Void] = [:], trustedProxies: [AddressRange] = []
        ) {
            self.service = service
            self.tokens = tokens
            self.corsOrigins = corsOrigins
            self.openAPISpec = openAPISpec
            self.metrics = metrics ?? HTTPMetrics(service: service)
            self.acceptance = acceptance
            self.healthChecks = healthChecks
            self.trustedProxies = trustedProxies
        }

        /// A service's options: tokens, CORS origins and trusted proxies from its runtime's settings.
        public init(
            runtime: ServiceRuntime, service: ServiceName, openAPISpec: String, acceptance: (any TokenAcceptance)? = nil,
            healthChecks: [String: @Sendable () async throws -> Void] = [:],
            contentSecurityPolicy: String = ResponseSafetyHeaders.apiContentSecurityPolicy
        ) {
            self.init(
                service: service, tokens: runtime.tokens, corsOrigins: runtime.settings.corsOrigins, openAPISpec: openAPISpec,
                metrics: runtime.metrics(for: service), acceptance: acceptance, healthChecks: healthChecks,
                trustedProxies: runtime.settings.trustedProxies)
            self.contentSecurityPolicy = contentSecurityPolicy
            self.tracing = CampusTracing.isEnabled
        }
    }

    public static func make(_ options: Options) -> Router<CampusRequestContext> {
        let router = Router(context: CampusRequestContext.self)
        if options.tracing {
            // Outermost, so the span covers every other middleware; the response's X-Request-ID is
            // recorded on it (`http.response.header.x_request_id`), which leads from a log line to its trace.
            if options.service == .gateway {
                router.add(middleware: EdgeTraceContext(resolver: ClientAddressResolver(trusted: options.trustedProxies)))
            }
            router.add(middleware: TracedRequests(service: options.service))
        }
        router.addMiddleware {
            ResponseSafetyHeaders(contentSecurityPolicy: options.contentSecurityPolicy)
            RequestIDMiddleware()
            ClientAddressMiddleware(resolver: ClientAddressResolver(trusted: options.trustedProxies))
            CampusCORSMiddleware(origins: options.corsOrigins)
            MetricsRecordingMiddleware(metrics: options.metrics)
            AccessLogMiddleware()
            ErrorMiddleware()
            BodyLimitMiddleware()
            AuthMiddleware(tokens: options.tokens, acceptance: options.acceptance)
        }
        HealthRoutes.add(to: router, service: options.service, checks: options.healthChecks)
        let metrics = options.metrics
        router.get("/metrics") { _, _ in
            await metrics.collect()
            return Response(
                status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
                body: .init(byteBuffer: ByteBuffer(string: metrics.render()))
            )
        }
        DocsRoutes.add(to: router, spec: options.openAPISpec, title: options.service.displayName)
        return router
    }
}
