import ArgumentParser
import CampusKit
import Foundation
import GatewayService
import UserService

/// `campus create-admin`: the first administrator, or a way back in, without default passwords.
struct CreateAdmin: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "create-admin",
        abstract: "Create an administrator account, or reset one, on the configured database.",
        discussion: """
            The password is read from --password-file, or else from standard input (at a terminal it is asked \
            for twice, without echo) — never from the command line. A new e-mail becomes an admin account; an \
            existing one gets the new password and the admin role, and every session it had is ended. The user \
            service's migrations run first, so this works on a fresh database before the first start; production \
            then never needs SEED_DEFAULT_USERS.

            Examples:
              campus create-admin --email ops@campus.example --name "Operations" --password-file /run/secrets/admin
              printf '%s\\n' "$PASSWORD" | campus create-admin --email ops@campus.example --name "Operations"
            """
    )

    @Option(help: "The administrator's e-mail address.")
    var email: String

    @Option(help: "The name shown for the account (needed when creating; kept when resetting if left out).")
    var name: String?

    @Option(help: ArgumentHelp("A file holding the password (its final line break is ignored).", valueName: "file"))
    var passwordFile: String?

    func run() async throws {
        let settings = try loadSettings(signsTokens: false)
        CampusLogging.bootstrap(level: .warning)
        let password =
            try passwordFile.map { try SecretInput.file($0, option: "--password-file") }
            ?? SecretInput.standardInput(prompt: "Password for \(email): ", confirm: true)
        let logger = CampusLogging.logger(for: .users, level: .warning)
        let database = try DatabaseProvider.make(for: .users, settings: settings)
        let hasher = PasswordHasher(cost: settings.bcryptCost)
        let outcome: AdminAccount.Outcome
        do {
            try await database.migrate(UserServiceModule.migrations, logger: logger)
            let repository = FluentUserRepository(provider: database, logger: logger)
            // The server may be running and writing the same file: a race it wins is run again.
            outcome = try await ConstraintViolation.retryingSerializationFailures(logger: logger) {
                try await AdminAccount(repository: repository, hasher: hasher).createOrReset(email: self.email, name: name, password: password)
            }
        } catch let refusal as FieldRefusal {
            await hasher.shutdown()
            await database.shutdown()
            let field = refusal.field == "password" ? "The password" : "--\(refusal.field)"
            FileHandle.standardError.write(Data("campus create-admin: \(field) \(refusal.sentence). Nothing was changed.\n".utf8))
            throw ExitCode(65)
        } catch {
            await hasher.shutdown()
            await database.shutdown()
            FileHandle.standardError.write(Data("campus create-admin: \(DatabaseFailure.explain(error)). Nothing was changed.\n".utf8))
            throw ExitCode.failure
        }
        await hasher.shutdown()
        await database.shutdown()
        // A sign-in lock on the account would outlast the reset: lift it (the gateway's store).
        let email =
            switch outcome {
            case .created(let user), .reset(let user): user.email
            }
        let gateway = try DatabaseProvider.make(for: .gateway, settings: settings)
        do {
            try await gateway.migrate(GatewayServiceModule.migrations, logger: logger)
            try await ConstraintViolation.retryingSerializationFailures(logger: logger) {
                try await FluentGatewayStore(provider: gateway, logger: logger).unlock(email: LoginLockoutPolicy.key(for: email))
            }
        } catch {
            // With one PostgreSQL role per service (campus db-setup), the users role cannot reach the
            // gateway's schema: the account is made; only a sign-in lock, if any, stays until it ends.
            FileHandle.standardError.write(
                Data(
                    "campus create-admin: the account is ready, but a sign-in lock on it could not be lifted (\(DatabaseFailure.explain(error))); it ends within 15 minutes.\n"
                        .utf8))
        }
        await gateway.shutdown()
        switch outcome {
        case .created(let user): print("Created administrator \(user.email) (id \(user.id)).")
        case .reset(let user): print("Reset \(user.email) (id \(user.id)): new password, role admin; its earlier sessions are ended.")
        }
    }
}
