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
