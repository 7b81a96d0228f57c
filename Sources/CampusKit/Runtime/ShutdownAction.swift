import ServiceLifecycle

/// Runs `action` when the ServiceGroup shuts down (to close thread pools and the like).
public struct ShutdownAction: Service {
    let action: @Sendable () async -> Void
    public init(_ action: @escaping @Sendable () async -> Void) { self.action = action }

    public func run() async throws {
        try? await gracefulShutdown()
        await action()
    }
}
