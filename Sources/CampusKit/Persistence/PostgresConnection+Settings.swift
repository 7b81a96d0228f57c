import Logging
import NIOSSL
import PostgresNIO

extension Settings.PostgreSQL {
    /// The one description of how every part of a service (its pool, the ticket event listener)
    /// connects to PostgreSQL, TLS included.
    public func connectionConfiguration() throws -> PostgresConnection.Configuration {
        PostgresConnection.Configuration(
            host: host, port: port, username: user, password: password.isEmpty ? nil : password, database: database,
            tls: try tlsMode())
    }

    private func tlsMode() throws -> PostgresConnection.Configuration.TLS {
        switch tls {
        case .disable:
            return .disable
        case .require:
            var configuration = TLSConfiguration.makeClientConfiguration()
            configuration.certificateVerification = .none
            return .require(try NIOSSLContext(configuration: configuration))
        case .verifyFull(let caFile):
            var configuration = TLSConfiguration.makeClientConfiguration()
            configuration.certificateVerification = .fullVerification
            if let caFile {
                do {
                    configuration.trustRoots = .certificates(try NIOSSLCertificate.fromPEMFile(caFile))
                } catch {
                    throw SettingsError(variable: "DB_TLS_CA_FILE", problem: "\(caFile) holds no PEM certificate (\(error))")
                }
            }
            return .require(try NIOSSLContext(configuration: configuration))
        }
    }
}

/// Start-up stops with this when `DB_TLS` cannot be honoured: the server refuses TLS, or its
/// certificate does not verify. Unlike a server that is down (retried until it answers), that
/// is a configuration error no retry fixes.
public struct DatabaseTLSRefused: Error, CustomStringConvertible {
    public let description: String

    /// Opens and closes one connection when TLS is on; throws this error for a TLS failure and
    /// returns quietly for any other (a server not up yet is the pool's business).
    static func check(_ server: Settings.PostgreSQL, logger: Logger) async throws {
        guard server.tls != .disable else { return }
        let configuration = try server.connectionConfiguration()
        do {
            let connection = try await PostgresConnection.connect(configuration: configuration, id: 0, logger: logger)
            try await connection.close()
        } catch let error as PSQLError where error.code == .sslUnsupported {
            throw DatabaseTLSRefused(description: "DB_TLS=\(server.tls.name): the PostgreSQL server at \(server.host):\(server.port) does not offer TLS")
        } catch let error as PSQLError where error.underlying is NIOSSLError || error.underlying is NIOSSLExtraError {
            let against: String
            switch server.tls {
            case .verifyFull(let caFile?): against = "the CA in DB_TLS_CA_FILE (\(caFile))"
            default: against = "the system's trusted roots (set DB_TLS_CA_FILE to the CA that signed it)"
            }
            throw DatabaseTLSRefused(
                description:
                    "DB_TLS=\(server.tls.name): the PostgreSQL server at \(server.host):\(server.port) was refused: its certificate does not verify against \(against), or does not name \(server.host) (\(error.underlying.map { "\($0)" } ?? "TLS handshake failed"))"
            )
        } catch {
            logger.warning("PostgreSQL not reachable yet for the TLS check", metadata: ["error": "\(error)"])
        }
    }
}

extension Settings.DatabaseTLS {
    /// As `DB_TLS` spells it.
    public var name: String {
        switch self {
        case .disable: "disable"
        case .require: "require"
        case .verifyFull: "verify-full"
        }
    }
}

/// What went wrong with the database, said plainly: PostgresNIO's errors print as a generic
/// sentence (to keep data out of logs), which tells an operator at a command line nothing.
public enum DatabaseFailure {
    public static func explain(_ error: any Error) -> String {
        guard let error = error as? PSQLError else { return "\(error)" }
        if let message = error.serverInfo?[.message] {
            let state = error.serverInfo?[.sqlState].map { " (SQLSTATE \($0))" } ?? ""
            switch error.serverInfo?[.sqlState] {
            case "28P01", "28000":
                return "PostgreSQL refused the login: \(message)\(state). Check the user and its password (PGPASSWORD or the password file)."
            default:
                return "PostgreSQL: \(message)\(state)"
            }
        }
        if let underlying = error.underlying { return "PostgreSQL connection failed (\(error.code)): \(underlying)" }
        return "PostgreSQL connection failed (\(error.code))"
    }
}
