import HummingbirdBcrypt
import NIOConcurrencyHelpers
import NIOCore
import NIOPosix

/// bcrypt with `BCRYPT_COST`, on its own threads so hashing never blocks an event loop.
public final class PasswordHasher: Sendable {
    private let pool: NIOThreadPool
    public let cost: UInt8
    /// A hash of nothing anyone knows, verified against for unknown emails so that a wrong email
    /// takes as long as a wrong password.
    private let decoy = NIOLockedValueBox<String?>(nil)

    public init(cost: Int, threads: Int = System.coreCount) {
        self.cost = UInt8(clamping: cost)
        self.pool = NIOThreadPool(numberOfThreads: max(1, threads))
        pool.start()
    }

    public func hash(_ password: String) async throws -> String {
        let cost = self.cost
        return try await pool.runIfActive { Bcrypt.hash(password, cost: cost) }
    }

    public func verify(_ password: String, against hash: String) async throws -> Bool {
        try await pool.runIfActive { Bcrypt.verify(password, hash: hash) }
    }

    /// Spends the time of a verification without any account behind it.
    public func verifyDecoy(_ password: String) async throws {
        let stored = decoy.withLockedValue { $0 }
        let hash: String
        if let stored {
            hash = stored
        } else {
            hash = try await self.hash("decoy-\(UInt64.random(in: .min ... .max))")
            decoy.withLockedValue { $0 = hash }
        }
        _ = try await verify(password, against: hash)
    }

    public func shutdown() async {
        try? await pool.shutdownGracefully()
    }
}
