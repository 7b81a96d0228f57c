import ArgumentParser
import CampusKit
import Foundation

/// `campus config`: the services, ports and settings variables this build knows — for operators
/// and for the deploy-file drift check (compose, `.env.example`, the AWS template).
struct Config: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "List the services (ports, host/port variables, database files) and every settings variable this build reads."
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
        let listing = Self.listing
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
        print("Settings variables:")
        for variable in listing.variables { print("  \(variable)") }
    }
}
