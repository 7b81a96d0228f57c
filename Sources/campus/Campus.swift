import ArgumentParser
import CampusKit
import Foundation

@main
struct Campus: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "campus",
        abstract: "Campus Services Hub: room booking, GPA, maintenance and notifications behind one sign-in.",
        discussion: """
            Settings come from the environment and an optional .env file in the working directory \
            (see README.md for the full table). An invalid value stops start-up with a message naming the variable.

            Services in this build: \(ServiceCatalog.names.map { "\($0.rawValue) (\($0.displayName), port \($0.defaultPort), \($0.portVariable))" }.joined(separator: ", ")).
            """,
        subcommands: [Serve.self, Migrate.self, CreateAdmin.self, DBSetup.self, CopyDB.self, Config.self, Watch.self, Triage.self, BenchCeiling.self],
        defaultSubcommand: nil
    )
}

/// Turns the service arguments into services of this build; none means all.
struct ServiceSelection: ParsableArguments {
    @Argument(
        help: ArgumentHelp(
            "Services to act on (default: all). One or more of: \(ServiceName.allCases.map(\.rawValue).joined(separator: ", ")).",
            valueName: "service"
        ))
    var services: [String] = []

    func resolve() throws -> [ServiceName] {
        if services.isEmpty { return ServiceCatalog.names }
        var chosen: [ServiceName] = []
        for argument in services {
            guard let name = ServiceName(argument: argument) else {
                throw ValidationError("Unknown service \"\(argument)\". Known services: \(ServiceName.allCases.map(\.rawValue).joined(separator: ", ")).")
            }
            if !chosen.contains(name) { chosen.append(name) }
        }
        return chosen
    }
}

/// Loads settings or exits with the message that names the bad variable.
func loadSettings(signsTokens: Bool = true) throws -> Settings {
    do {
        return try Settings.fromProcessEnvironment(signsTokens: signsTokens)
    } catch let error as SettingsError {
        FileHandle.standardError.write(Data("campus: \(error.description)\n".utf8))
        throw ExitCode(78)
    }
}
