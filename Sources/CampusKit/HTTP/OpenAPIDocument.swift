/// Assembles a service's OpenAPI 3.1 document from its own paths and schemas plus the parts
/// every service shares: the problem schema, the standard error responses, bearer auth,
/// pagination parameters and the `/health`, `/metrics`, `/openapi.json`, `/docs` routes.
/// Each service's test checks that every route it serves appears here with its statuses.
public enum OpenAPIDocument {
    /// - Parameters:
    ///   - paths: JSON members of the `paths` object (`"/users": {...}, ...`), without braces.
    ///   - schemas: JSON members of `components.schemas`, without braces.
    /// Relative: the server is wherever the document was fetched from.
    static func serverDescription(_ service: ServiceName) -> String {
        service == .gateway
            ? "The gateway that served this document"
            : "The service that served this document; the public API through the gateway is documented at /api/\(service.rawValue)/openapi.json"
    }

    public static func make(service: ServiceName, description: String, paths: String, schemas: String) -> String {
        """
        {
          "openapi": "3.1.0",
          "info": {
            "title": "Campus Services Hub – \(service.displayName)",
            "version": "1.0.0",
            "description": "\(description)"
          },
          "servers": [{"url": "/", "description": "\(serverDescription(service))"}],
          "security": [{"bearerAuth": []}],
          "paths": {
            \(paths),
            "/health": {"get": {"summary": "Liveness: answers 200 while the process serves; the body reports each check", "security": [], "responses": {
              "200": {"description": "Alive (status healthy, or degraded when a check fails)", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Health"}}}}}}},
            "/health/ready": {"get": {"summary": "Readiness: migrations finished and the database answers", "security": [], "responses": {
              "200": {"description": "Ready for traffic", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Health"}}}},
              "503": {"description": "Not ready: migrating or a dependency is failing", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Health"}}}}}}},
            "/metrics": {"get": {"summary": "Prometheus metrics", "security": [], "responses": {
              "200": {"description": "Prometheus text exposition", "content": {"text/plain": {"schema": {"type": "string"}}}}}}},
            "/openapi.json": {"get": {"summary": "This document", "security": [], "responses": {
              "200": {"description": "OpenAPI 3.1", "content": {"application/json": {"schema": {"type": "object"}}}}}}},
            "/docs": {"get": {"summary": "Interactive documentation", "security": [], "responses": {
              "200": {"description": "HTML page", "content": {"text/html": {"schema": {"type": "string"}}}}}}}
          },
          "components": {
            "securitySchemes": {"bearerAuth": {"type": "http", "scheme": "bearer", "bearerFormat": "JWT"}},
            "parameters": {
              "Limit": {"name": "limit", "in": "query", "description": "Page size (default 50; larger values are clamped to 200)", "schema": {"type": "integer", "format": "int64", "minimum": 0, "maximum": 9223372036854775807}},
              "Offset": {"name": "offset", "in": "query", "description": "Items to skip (past the end: an empty page)", "schema": {"type": "integer", "format": "int64", "minimum": 0, "maximum": 9223372036854775807}},
              "IdPath": {"name": "id", "in": "path", "required": true, "description": "The id a response gave", "schema": {"anyOf": [{"type": "integer", "minimum": 0}, {"type": "string", "pattern": "^[0-9]{1,19}$"}]}},
              "PhotoIdPath": {"name": "photo_id", "in": "path", "required": true, "description": "The id a response gave", "schema": {"anyOf": [{"type": "integer", "minimum": 0}, {"type": "string", "pattern": "^[0-9]{1,19}$"}]}}
            },
            "headers": {
              "TotalCount": {"description": "Total number of items in the list", "schema": {"type": "integer"}},
              "RetryAfter": {"description": "Seconds to wait before trying again", "schema": {"type": "integer"}}
            },
            "responses": {
              "BadRequest": {"description": "Malformed JSON or query", "content": {"application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}}},
              "Unauthorized": {"description": "Missing, invalid, expired or revoked token", "content": {"application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}}},
              "Forbidden": {"description": "The role may not do this", "content": {"application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}}},
              "NotFound": {"description": "Not found (also another user's private resource)", "content": {"application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}}},
              "Conflict": {"description": "Conflicts with the current state", "content": {"application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}}},
              "ContentTooLarge": {"description": "Body over 1 MiB (a photo: 8 MiB; a thumbnail: 256 KiB)", "content": {"application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}}},
              "UnsupportedMediaType": {"description": "The body is not of a type this route takes, judged by its content", "content": {"application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}}},
              "Unprocessable": {"description": "Well-formed but invalid; detail names the field", "content": {"application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}}},
              "Locked": {"description": "Account locked", "headers": {"Retry-After": {"$ref": "#/components/headers/RetryAfter"}}, "content": {"application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}}},
              "TooManyRequests": {"description": "Rate limited", "headers": {"Retry-After": {"$ref": "#/components/headers/RetryAfter"}}, "content": {"application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}}},
              "ServiceUnavailable": {"description": "A dependency is down: its database or storage (database_unavailable, storage_unavailable), or a service it calls", "content": {"application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}}}
            },
            "schemas": {
              \(schemas),
              "Id": {"type": "integer", "minimum": 0, "description": "An id chosen by the service; every response writes it as an integer"},
              "IdInput": {"description": "An id as a response gave it (228) or its string form (\\"228\\")", "oneOf": [
                {"type": "integer", "minimum": 0}, {"type": "string", "pattern": "^[0-9]{1,19}$"}]},
              "Problem": {"type": "object", "required": ["type", "title", "status", "detail", "code"], "properties": {
                "type": {"type": "string"}, "title": {"type": "string"}, "status": {"type": "integer"},
                "detail": {"type": "string"}, "code": {"type": "string", "description": "Stable machine-readable code"}}},
              "Health": {"type": "object", "required": ["status", "service", "checks"], "properties": {
                "status": {"type": "string", "enum": ["healthy", "degraded", "ready", "not_ready"]}, "service": {"type": "string"},
                "checks": {"type": "object", "additionalProperties": {"type": "string", "enum": ["ok", "failing"]}}}}
            }
          }
        }
        """
    }
}
