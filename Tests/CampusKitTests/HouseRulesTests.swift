import Foundation
import Testing

/// The house rules a reviewer would otherwise check by eye, read from the sources themselves:
/// domain code imports no HTTP or database module, and no repository protocol takes a closure.
@Suite struct HouseRulesTests {
    static let sources = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Sources")

    /// Every `.swift` file under `Sources/<target>/<folder>/` (recursively), for every target.
    static func files(in folder: String) throws -> [URL] {
        let targets = try FileManager.default.contentsOfDirectory(at: sources, includingPropertiesForKeys: nil)
        return targets.flatMap { target -> [URL] in
            let directory = target.appendingPathComponent(folder)
            guard let walker = FileManager.default.enumerator(at: directory, includingPropertiesForKeys: nil) else { return [] }
            return walker.compactMap { $0 as? URL }.filter { $0.pathExtension == "swift" }
        }
    }

    static func imports(of file: URL) throws -> [String] {
        try String(contentsOf: file, encoding: .utf8).split(separator: "\n")
            .compactMap { line in
                let words = line.split(separator: " ")
                guard let index = words.firstIndex(of: "import"), words[..<index].allSatisfy({ $0.hasPrefix("@") }),
                    index + 1 < words.count
                else { return nil }
                return String(words[index + 1])
            }
    }

    @Test func domainCodeImportsNoHTTPOrDatabaseModule() throws {
        let files = try Self.files(in: "Domain")
        #expect(files.count > 20, "the walk found the Domain folders")
        let forbidden = ["Hummingbird", "Fluent", "SQLKit", "SQLite", "Postgres", "AsyncHTTPClient", "NIOHTTP", "NIOCore", "NIOPosix", "HTTPTypes"]
        for file in files {
            for module in try Self.imports(of: file) where forbidden.contains(where: { module.hasPrefix($0) }) {
                Issue.record("\(file.path) imports \(module)")
            }
        }
    }

    @Test func noRepositoryProtocolTakesAClosure() throws {
        let files = try Self.files(in: "Repositories")
        var protocols = 0
        for file in files {
            let text = try String(contentsOf: file, encoding: .utf8)
            var rest = text[...]
            while let start = rest.range(of: "protocol ") {
                let afterName = rest[start.upperBound...]
                guard let open = afterName.firstIndex(of: "{"), let close = afterName[open...].range(of: "\n}") else { break }
                let body = afterName[open..<close.lowerBound]
                protocols += 1
                #expect(!body.contains("@escaping") && !body.contains("@Sendable ("), "\(file.lastPathComponent): \(afterName.prefix { $0 != "{" })")
                rest = afterName[close.upperBound...]
            }
        }
        #expect(protocols >= 6, "found the repository protocols")
    }
}
