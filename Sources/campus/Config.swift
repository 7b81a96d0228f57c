import ArgumentParser
import CampusKit
import Foundation

/// `campus config`: the services, ports and settings variables this build knows — for operators
/// and for the deploy-file drift check (compose, `.env.example`, the AWS template).
struct Config: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "List the services (ports, host/port variables, database files) and every settings variable this build reads.",
        discussion: """
            The table also says where each setting's value comes from here (the environment, the .env file,             a file named by NAME_FILE, or the default) and shows the value, except secrets, which are only             said to be set. An invalid setting is reported as start-up would report it (exit status 78).
            """
    )

    @Flag(help: "Print JSON instead of a table.")
    var json = false

    struct Listing: Encodable {
        struct Service: Encodable {
            let name: String
            let displayName: String
            let port: Int
            let portVariable: String
            let hostVariable: String
            let databaseFile: String?
        }
        let services: [Service]
        let variables: [String]
        /// Where each setting comes from in this environment; nil when a setting is invalid (`error` says why).
        var settings: [SettingReading]? = nil
        var error: String? = nil
    }

    static var listing: Listing {
        Listing(
            services: ServiceCatalog.names.map {
                .init(
                    name: $0.rawValue, displayName: $0.displayName, port: $0.defaultPort,
                    portVariable: $0.portVariable, hostVariable: $0.hostVariable, databaseFile: $0.databaseFileName)
            },
            variables: Settings.variableNames
        )
    }

    func run() throws {
        var listing = Self.listing
        do {
            listing.settings = try Settings.sources(environment: ProcessInfo.processInfo.environment, dotEnvPath: ".env")
        } catch {
            listing.error = "\(error)"
        }
        if json {
            let encoder = JSONEncoder()
            encoder.keyEncodingStrategy = .convertToSnakeCase
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
            print(String(decoding: try encoder.encode(listing), as: UTF8.self))
            return
        }
        print("Services:")
        for service in listing.services {
            print(
                "  \(service.name.padding(toLength: 13, withPad: " ", startingAt: 0)) port \(service.port)  \(service.portVariable), \(service.hostVariable)\(service.databaseFile.map { "  DATA_DIR/\($0)" } ?? "")"
            )
        }
        guard let settings = listing.settings else {
            print("Settings variables:")
            for variable in listing.variables { print("  \(variable)") }
            FileHandle.standardError.write(Data("campus: \(listing.error ?? "the settings could not be read")\n".utf8))
            throw ExitCode(78)
        }
        print("Settings (variable, where its value comes from, value):")
        let width = (settings.map(\.variable.count).max() ?? 0) + 2
        for setting in settings {
            let value = setting.isSecret ? (setting.source == .defaultValue ? "(not set)" : "(set; secret, not shown)") : setting.value ?? ""
            // Padded, never cut: a file's whole path is the point of the source column.
            let source = setting.source.description
            print(
                "  \(setting.variable.padding(toLength: width, withPad: " ", startingAt: 0))\(source)\(String(repeating: " ", count: max(1, 23 - source.count)))\(value)"
            )
        }
    }
}
