import Hummingbird

/// `/openapi.json` (the service's OpenAPI 3.1 document) and `/docs` (Swagger UI).
///
/// Swagger UI comes from jsDelivr at one pinned version, each file with its Subresource
/// Integrity hash: a CDN that served anything else is refused by the browser. The page has its own
/// Content-Security-Policy (scripts only from this origin and that pinned CDN path, plus the one
/// inline start-up script by its hash; fetches only to this origin), so the API's docs run under
/// a policy as strict as Swagger UI allows. The hashes are those of swagger-ui-dist 5.33.1 as
/// published on npm; `e2e/browser` checks them against a copy of the same release from PyPI.
public enum DocsRoutes {
    public static let swaggerUIVersion = "5.33.1"
    static let cdn = "https://cdn.jsdelivr.net/npm/swagger-ui-dist@\(swaggerUIVersion)"
    static let scriptIntegrity = "sha384-ZPehFMQommnnuaZ4rpxgkgTT2DKFVp4hZC/7pLit+9Lek9T1YGSo23eHFbvNkXkw"
    static let styleIntegrity = "sha384-Ov4/wv3j2bmct8cDc5X4ngJZohVPzEmc6uDPH8WeljUxO5vtoykvMEfbu9Vh6RaW"
    /// Starts Swagger UI on the document beside the page (`openapi.json` relative to `…/docs`).
    static let startScript =
        ##"window.onload = () => { window.ui = SwaggerUIBundle({ url: "openapi.json", dom_id: "#swagger-ui", persistAuthorization: true }); };"##
    /// SHA-256 of ``startScript``, for the policy's `script-src`.
    static let startScriptHash = "sha256-mylNaFZYrJQmORflHjBdfAFsTge+SLnbdw/iYB83AGU="

    public static let contentSecurityPolicy =
        "default-src 'none'; script-src \(cdn)/ '\(startScriptHash)'; style-src \(cdn)/ 'unsafe-inline'; img-src 'self' data:; "
        + "connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"

    public static func add(to router: Router<CampusRequestContext>, spec: String, title: String) {
        let specBuffer = ByteBuffer(string: spec)
        router.get("/openapi.json") { _, _ in
            Response(status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: specBuffer))
        }
        let page = response(title: title)
        router.get("/docs") { request, _ in
            // `/docs/` would resolve the page's relative `openapi.json` to `/docs/openapi.json`.
            guard !request.uri.path.hasSuffix("/") else { return Response(status: .movedPermanently, headers: [.location: "/docs"]) }
            return page
        }
    }

    /// The Swagger UI page for the document at `openapi.json` beside it.
    public static func response(title: String) -> Response {
        Response(
            status: .ok,
            headers: [.contentType: "text/html; charset=utf-8", .contentSecurityPolicy: contentSecurityPolicy, .xFrameOptions: "DENY"],
            body: .init(byteBuffer: ByteBuffer(string: docsPage(title: title))))
    }

    static func docsPage(title: String) -> String {
        """
        <!doctype html>
        <html lang="en">
        <head>
          <meta charset="utf-8">
          <meta name="viewport" content="width=device-width, initial-scale=1">
          <title>\(title) API – Campus Services Hub</title>
          <link rel="stylesheet" href="\(cdn)/swagger-ui.css" integrity="\(styleIntegrity)" crossorigin="anonymous">
        </head>
        <body>
          <div id="swagger-ui"><noscript>Swagger UI needs JavaScript; the raw document is at <a href="openapi.json">openapi.json</a>.</noscript></div>
          <script src="\(cdn)/swagger-ui-bundle.js" integrity="\(scriptIntegrity)" crossorigin="anonymous"></script>
          <script>\(startScript)</script>
        </body>
        </html>
        """
    }
}
