import Hummingbird

/// `/openapi.json` (the service's OpenAPI 3.1 document) and `/docs` (Swagger UI from a public CDN, as FastAPI does).
public enum DocsRoutes {
    public static func add(to router: Router<CampusRequestContext>, spec: String, title: String) {
        let specBuffer = ByteBuffer(string: spec)
        router.get("/openapi.json") { _, _ in
            Response(status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: specBuffer))
        }
        let page = ByteBuffer(string: docsPage(title: title))
        router.get("/docs") { _, _ in
            Response(status: .ok, headers: [.contentType: "text/html; charset=utf-8"], body: .init(byteBuffer: page))
        }
    }

    static func docsPage(title: String) -> String {
        """
        <!doctype html>
        <html lang="en">
        <head>
          <meta charset="utf-8">
          <meta name="viewport" content="width=device-width, initial-scale=1">
          <title>\(title) API – Campus Services Hub</title>
          <link rel="stylesheet" href="https://cdn.jsdelivr.net/npm/swagger-ui-dist@5/swagger-ui.css">
        </head>
        <body>
          <div id="swagger-ui"><noscript>Swagger UI needs JavaScript; the raw spec is at <a href="openapi.json">openapi.json</a>.</noscript></div>
          <script src="https://cdn.jsdelivr.net/npm/swagger-ui-dist@5/swagger-ui-bundle.js" crossorigin></script>
          <script>
            window.onload = () => {
              window.ui = SwaggerUIBundle({ url: "openapi.json", dom_id: "#swagger-ui", persistAuthorization: true });
            };
          </script>
        </body>
        </html>
        """
    }
}
