import CampusKit
import CampusTesting
import Foundation
import Hummingbird
import HummingbirdTesting
import NIOConcurrencyHelpers
import Testing

@Suite struct ServiceClientTests {
    /// A real downstream service that answers with `status` and counts the calls it receives.
    func downstream(status: HTTPResponse.Status, hits: NIOLockedValueBox<Int>) -> some ApplicationProtocol {
        let router = Router()
        router.get("/thing") { request, _ -> Response in
            hits.withLockedValue { $0 += 1 }
            return Response(status: status, headers: [.requestID: request.headers[.requestID] ?? "none"])
        }
        return Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)))
    }

    func client(port: Int, retries: Int = 0, runtime: ServiceRuntime) -> ServiceClient {
        var endpoints = runtime.settings.endpoints
        endpoints[.booking] = .init(host: "127.0.0.1", port: port)
        return ServiceClient(
            http: runtime.http, caller: .gateway, tokens: runtime.tokens, endpoints: endpoints,
            policy: .init(timeout: 2, retryAttempts: retries, retryBackoff: 0.01)
        )
    }

    @Test func breakerOpensAfterFiveFailuresAndAnswers503WithoutCallingAgain() async throws {
        let hits = NIOLockedValueBox(0)
        let runtime = await TestRuntime.make()
        try await downstream(status: .internalServerError, hits: hits).test(.live) { live in
            let client = client(port: try #require(live.port), runtime: runtime)
            for _ in 0..<5 {
                let reply = try await client.send(
                    .booking, method: .GET, path: "/thing", requestID: "r1", credentials: .none, logger: runtime.logger(for: .gateway))
                #expect(reply.status.code == 500)
            }
            #expect(hits.withLockedValue { $0 } == 5)
            let error = await #expect(throws: APIError.self) {
                try await client.send(.booking, method: .GET, path: "/thing", requestID: "r1", credentials: .none, logger: runtime.logger(for: .gateway))
            }
            #expect(error?.status == .serviceUnavailable)
            #expect(error?.code == "dependency_unavailable")
            // The open breaker answered without reaching the service.
            #expect(hits.withLockedValue { $0 } == 5)
            if case .open = client.breaker(for: .booking)?.currentState {} else { Issue.record("breaker should be open") }
        }
    }

    @Test func successResetsTheFailureCountAndRequestIDIsPassedOn() async throws {
        let hits = NIOLockedValueBox(0)
        let runtime = await TestRuntime.make()
        try await downstream(status: .ok, hits: hits).test(.live) { live in
            let client = client(port: try #require(live.port), runtime: runtime)
            let reply = try await client.send(
                .booking, method: .GET, path: "/thing", requestID: "trace-9", credentials: .none, logger: runtime.logger(for: .gateway))
            #expect(reply.headers.first(name: "X-Request-ID") == "trace-9")
            #expect(client.breaker(for: .booking)?.currentState == .closed(consecutiveFailures: 0))
        }
    }

    @Test func idempotentCallsAreRetriedOnConnectionFailureButPostsAreNot() async throws {
        let runtime = await TestRuntime.make()
        let client = client(port: try TestRuntime.refusingPort(), retries: 2, runtime: runtime)
        let logger = runtime.logger(for: .gateway)
        let get = await #expect(throws: APIError.self) {
            try await client.send(.booking, method: .GET, path: "/thing", requestID: nil, credentials: .none, logger: logger)
        }
        #expect(get?.status == .serviceUnavailable)
        #expect(get?.detail.contains("after 3 attempts") == true)
        let post = await #expect(throws: APIError.self) {
            try await client.send(.booking, method: .POST, path: "/thing", requestID: nil, credentials: .none, logger: logger)
        }
        #expect(post?.detail.contains("after 1 attempt") == true)
    }

    @Test func breakerLetsOneTrialThroughAfterTheOpenPeriod() {
        let clock = NIOLockedValueBox(Date(timeIntervalSince1970: 1_000_000))
        let breaker = CircuitBreaker(threshold: 5, openFor: 60, now: { clock.withLockedValue { $0 } })
        for _ in 0..<4 { breaker.recordFailure() }
        #expect(breaker.permit() == nil)
        breaker.recordFailure()
        #expect((breaker.permit() ?? 0) > 59)
        clock.withLockedValue { $0 = $0.addingTimeInterval(61) }
        #expect(breaker.permit() == nil)  // the trial call
        #expect(breaker.permit() != nil)  // no second call while the trial runs
        breaker.recordFailure()
        #expect((breaker.permit() ?? 0) > 59)  // the failed trial opens it again
        clock.withLockedValue { $0 = $0.addingTimeInterval(61) }
        #expect(breaker.permit() == nil)
        breaker.recordSuccess()
        #expect(breaker.currentState == .closed(consecutiveFailures: 0))
    }
}
