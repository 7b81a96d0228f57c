import AsyncHTTPClient
import Foundation
import Hummingbird
import Logging
import NIOHTTP1
import ServiceLifecycle

/// Runs an application on the port its configuration names (HummingbirdTesting's `.live`
/// always picks a new one), for tests where another service must find it at a known address.
public enum RunningApplication {
    public static func with<App: ApplicationProtocol>(
        _ app: App, port: Int, _ body: @Sendable () async throws -> Void
    ) async throws {
        try await withThrowingTaskGroup(of: Void.self) { group in
            let serviceGroup = ServiceGroup(configuration: .init(services: [app], logger: Logger(label: "test.running-application")))
            group.addTask { try await serviceGroup.run() }
            // Until it answers, within a bound only a failure reaches: 200 tries 25 ms apart (five
            // seconds when the port refuses at once) were once not enough for a service starting on
            // two cores beside the whole suite and the triage model's training.
            var healthy = false
            let deadline = ContinuousClock.now + .seconds(60)
            while !healthy, ContinuousClock.now < deadline {
                let response = try? await TestRuntime.http.execute(HTTPClientRequest(url: "http://127.0.0.1:\(port)/health/ready"), timeout: .seconds(1))
                healthy = response?.status == .ok
                if !healthy { try await Task.sleep(for: .milliseconds(50)) }
            }
            do {
                guard healthy else { throw TestSetupError("the application did not come up on port \(port) within 60 s") }
                try await body()
            } catch {
                await serviceGroup.triggerGracefulShutdown()
                throw error
            }
            await serviceGroup.triggerGracefulShutdown()
            try await group.waitForAll()
        }
    }

    public struct Reply: Sendable {
        public let status: Int
        public let headers: HTTPHeaders
        public let body: Data
        public var json: JSONObject { (try? JSONSerialization.jsonObject(with: body)) as? JSONObject ?? [:] }
        public var jsonArray: [JSONObject] { (try? JSONSerialization.jsonObject(with: body)) as? [JSONObject] ?? [] }
    }

    /// A plain HTTP request to a running service.
    public static func request(_ method: HTTPMethod, _ url: String, token: String?, json: JSONObject? = nil) async throws -> Reply {
        var request = HTTPClientRequest(url: url)
        request.method = method
        if let token { request.headers.add(name: "Authorization", value: "Bearer \(token)") }
        if let json {
            request.headers.add(name: "Content-Type", value: "application/json")
            request.body = .bytes(ByteBuffer(bytes: try JSONSerialization.data(withJSONObject: json)))
        }
        let response = try await TestRuntime.http.execute(request, timeout: .seconds(10))
        let body = try await response.body.collect(upTo: 16 * 1024 * 1024)
        return Reply(status: Int(response.status.code), headers: response.headers, body: Data(body.readableBytesView))
    }
}
