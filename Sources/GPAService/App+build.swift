import CampusKit
import Hummingbird

/// The GPA calculator (port 8003): stateless, no database.
public enum GPAServiceModule: CampusServiceModule {
    public static let name = ServiceName.gpa

    public static func makeApplication(runtime: ServiceRuntime) async throws -> any ApplicationProtocol {
        buildApplication(runtime: runtime)
    }
}

public func buildApplication(runtime: ServiceRuntime) -> some ApplicationProtocol {
    Application(
        router: buildRouter(runtime: runtime), server: runtime.httpServer, configuration: runtime.configuration(for: .gpa),
        logger: runtime.logger(for: .gpa))
}

/// The middleware stack and every route of the GPA calculator.
func buildRouter(runtime: ServiceRuntime) -> Router<CampusRequestContext> {
    let router = CampusRouter.make(
        .init(
            runtime: runtime, service: .gpa, openAPISpec: GPAOpenAPI.document
        ))
    GPAController(retakePolicy: runtime.settings.retakePolicy).addRoutes(to: router.group(context: AuthenticatedContext.self))
    return router
}
