import ArgumentParser
import Hummingbird

/// `campus bench-ceiling --port N`: a bare Hummingbird application with one `GET /` route and no
/// middleware — the ceiling `scripts/bench` measures the services against, built with the same
/// compiler flags in the same binary. Hidden from `campus --help`.
struct BenchCeiling: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench-ceiling",
        abstract: "A bare Hummingbird hello-world server (benchmark ceiling).",
        shouldDisplay: false
    )

    @Option(help: "Port to listen on (127.0.0.1).")
    var port: Int = 8090

    func run() async throws {
        let router = Router()
        router.get("/") { _, _ in "Hello, world!" }
        let app = Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: port)))
        try await app.runService()
    }
}
