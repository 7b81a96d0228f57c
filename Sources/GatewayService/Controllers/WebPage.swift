import CampusKit
import Foundation
import Hummingbird
import Logging

/// Serves the web page (`Public/`) at `/`: any GET that no route answers is looked up as a file.
enum WebPage {
    static func addRoutes(to router: Router<CampusRequestContext>, directory: String, logger: Logger) {
        guard FileManager.default.fileExists(atPath: directory) else {
            logger.warning("No web page: folder not found", metadata: ["directory": "\(directory)"])
            return
        }
        router.add(middleware: FileMiddleware(directory, searchForIndexHtml: true, logger: logger))
    }
}

/// Where the web page is, so `campus` serves it wherever it is started: `PUBLIC_DIR` when set (a
/// folder that does not exist stops start-up, naming the variable), else the first `Public/` found
/// in the working directory, beside the executable, or in `../share/campus/` from it (an installed
/// layout). `Public` when none is found: the gateway then logs that there is no page.
enum WebPageFolder {
    static func locate(
        setting: String?, workingDirectory: String = FileManager.default.currentDirectoryPath,
        executable: String? = Bundle.main.executablePath
    ) throws -> String {
        if let setting {
            guard isFolder(setting) else { throw SettingsError(variable: "PUBLIC_DIR", problem: "\"\(setting)\" is not a folder") }
            return setting
        }
        let beside = executable.map { URL(fileURLWithPath: $0).resolvingSymlinksInPath().deletingLastPathComponent() }
        let candidates =
            [URL(fileURLWithPath: workingDirectory).appendingPathComponent("Public")]
            + (beside.map { [$0.appendingPathComponent("Public"), $0.appendingPathComponent("../share/campus/Public").standardized] } ?? [])
        return candidates.map(\.path).first(where: isFolder) ?? "Public"
    }

    private static func isFolder(_ path: String) -> Bool {
        var isDirectory: ObjCBool = false
        return FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) && isDirectory.boolValue
    }
}

/// The web page's Content-Security-Policy: no inline script or style, no framing; images from the page itself, or
/// fetched with the token and shown through `blob:` URLs (ticket photos). Every gateway
/// answer carries it (``ResponseSafetyHeaders``), whether or not there is a page to serve.
enum PagePolicy {
    static let contentSecurityPolicy =
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; font-src 'self'; "
        + "connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
}
