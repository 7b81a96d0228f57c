import CampusKit
import Foundation
import Testing

@testable import GatewayService

/// The gateway finds its web page wherever `campus` is started (issue 14, point 6).
@Suite struct WebPageFolderTests {
    func folder(_ name: String) throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("webpage-\(UUID().uuidString)").appendingPathComponent(name)
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    @Test func publicDirWinsAndMustBeAFolder() throws {
        let page = try folder("page")
        #expect(try WebPageFolder.locate(setting: page.path, workingDirectory: "/", executable: nil) == page.path)
        #expect(throws: SettingsError(variable: "PUBLIC_DIR", problem: "\"/no/such/folder\" is not a folder")) {
            try WebPageFolder.locate(setting: "/no/such/folder", workingDirectory: "/", executable: nil)
        }
    }

    @Test func theWorkingDirectoryThenBesideTheExecutableThenAnInstalledLayout() throws {
        let root = try folder("install")
        let bin = root.appendingPathComponent("bin")
        try FileManager.default.createDirectory(at: bin, withIntermediateDirectories: true)
        let executable = bin.appendingPathComponent("campus").path
        let elsewhere = try folder("elsewhere").path
        // Nothing anywhere: the default name, so the gateway logs that there is no page.
        #expect(try WebPageFolder.locate(setting: nil, workingDirectory: elsewhere, executable: executable) == "Public")
        // An installed layout: bin/campus and share/campus/Public.
        let shared = root.appendingPathComponent("share/campus/Public")
        try FileManager.default.createDirectory(at: shared, withIntermediateDirectories: true)
        #expect(try WebPageFolder.locate(setting: nil, workingDirectory: elsewhere, executable: executable) == shared.standardized.path)
        // Beside the executable beats the installed layout.
        let beside = bin.appendingPathComponent("Public")
        try FileManager.default.createDirectory(at: beside, withIntermediateDirectories: true)
        #expect(try WebPageFolder.locate(setting: nil, workingDirectory: elsewhere, executable: executable) == beside.path)
        // The working directory's Public/ beats both.
        let working = URL(fileURLWithPath: elsewhere).appendingPathComponent("Public")
        try FileManager.default.createDirectory(at: working, withIntermediateDirectories: true)
        #expect(try WebPageFolder.locate(setting: nil, workingDirectory: elsewhere, executable: executable) == working.path)
    }
}
