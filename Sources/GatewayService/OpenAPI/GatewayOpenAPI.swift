import CampusKit

/// OpenAPI 3.1 of the gateway: its own routes, plus the `/api/...` prefixes it forwards
/// (documented in full by each owning service's `/openapi.json`).
enum GatewayOpenAPI {
    static let document = OpenAPIDocument.make(
        service: .gateway,
        description:
            "Sign-in, token revocation, lockout, login audit, the web page, and routing of /api/... to the services. Sign in with POST /auth/login and use the access_token as the Bearer token (Authorize). Each service's public API is documented here too: /api/users/docs, /api/booking/docs, /api/gpa/docs, /api/notification/docs, /api/maintenance/docs.",
        paths: #"""
            "/auth/login": {
              "post": {"summary": "Sign in with email and password", "operationId": "login", "security": [],
                "requestBody": {"required": true, "content": {"application/json": {"schema": {"$ref": "#/components/schemas/LoginRequest"}}}},
                "responses": {
                  "200": {"description": "Signed in", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/LoginResponse"}}}},
                  "400": {"$ref": "#/components/responses/BadRequest"}, "401": {"$ref": "#/components/responses/Unauthorized"},
                  "413": {"$ref": "#/components/responses/ContentTooLarge"}, "422": {"$ref": "#/components/responses/Unprocessable"},
                  "423": {"$ref": "#/components/responses/Locked"}, "429": {"$ref": "#/components/responses/TooManyRequests"},
                  "503": {"$ref": "#/components/responses/ServiceUnavailable"}}}
            },
            "/auth/config": {
              "get": {"summary": "What the sign-in page may show: the environment and whether the demo accounts exist", "operationId": "pageConfig",
                "security": [],
                "responses": {
                  "200": {"description": "Page settings", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/PageConfig"}}}}}}
            },
            "/auth/me": {
              "get": {"summary": "The signed-in user", "operationId": "me",
                "responses": {
                  "200": {"description": "The user", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/User"}}}},
                  "401": {"$ref": "#/components/responses/Unauthorized"}, "403": {"$ref": "#/components/responses/Forbidden"},
                  "503": {"$ref": "#/components/responses/ServiceUnavailable"}}}
            },
            "/auth/logout": {
              "post": {"summary": "Sign out: the token is revoked at the gateway", "operationId": "logout",
                "responses": {"204": {"description": "Signed out"}, "401": {"$ref": "#/components/responses/Unauthorized"}, "503": {"$ref": "#/components/responses/ServiceUnavailable"}}}
            },
            "/api/{service}/openapi.json": {
              "get": {"summary": "A service's API as the public reaches it through the gateway: its /api/... paths, server relative", "operationId": "publicApiDocument",
                "security": [],
                "parameters": [{"name": "service", "in": "path", "required": true, "schema": {"type": "string", "enum": ["users", "booking", "gpa", "notification", "maintenance"]}}],
                "responses": {
                  "200": {"description": "OpenAPI 3.1", "content": {"application/json": {"schema": {"type": "object"}}}},
                  "404": {"$ref": "#/components/responses/NotFound"}, "503": {"$ref": "#/components/responses/ServiceUnavailable"}}}
            },
            "/api/{service}/docs": {
              "get": {"summary": "Swagger UI for that public document", "operationId": "publicApiDocs", "security": [],
                "parameters": [{"name": "service", "in": "path", "required": true, "schema": {"type": "string", "enum": ["users", "booking", "gpa", "notification", "maintenance"]}}],
                "responses": {
                  "200": {"description": "HTML page", "content": {"text/html": {"schema": {"type": "string"}}}},
                  "404": {"$ref": "#/components/responses/NotFound"}}}
            },
            "/api/status": {
              "get": {"summary": "Health of every service, counts and recent sign-ins (admin)", "operationId": "systemStatus",
                "responses": {
                  "200": {"description": "Status", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/SystemStatus"}}}},
                  "401": {"$ref": "#/components/responses/Unauthorized"}, "503": {"$ref": "#/components/responses/ServiceUnavailable"}, "403": {"$ref": "#/components/responses/Forbidden"}}}
            },
            "/api/ws": {
              "get": {"summary": "Live ticket events: the WebSocket of maintenance's /ws, relayed both ways", "operationId": "ticketEvents",
                "security": [],
                "parameters": [{"name": "token", "in": "query", "schema": {"type": "string"}}],
                "responses": {
                  "101": {"description": "Switching to the WebSocket protocol. Without ?token=, the first message {\"type\":\"auth\",\"token\":\"...\"} is checked here like any token (signature, sign-out, the account's cutoff); a bad one closes with 4401"},
                  "401": {"$ref": "#/components/responses/Unauthorized"},
                  "403": {"description": "A browser Origin other than this gateway's own or CORS_ORIGINS", "content": {"application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}}},
                  "426": {"description": "Not a WebSocket handshake", "content": {"application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}}},
                  "503": {"$ref": "#/components/responses/ServiceUnavailable"}}}
            },
            "/api/notifications/ws": {
              "get": {"summary": "The live bell: the WebSocket of the notification service's /ws, relayed both ways", "operationId": "notificationEvents",
                "security": [],
                "parameters": [{"name": "token", "in": "query", "schema": {"type": "string"}}],
                "responses": {
                  "101": {"description": "Switching to the WebSocket protocol; authentication as for /api/ws. Messages: {\"type\":\"ready\"}, then {\"type\":\"notification.created\",\"notification\":{...}} for each new notification addressed to you"},
                  "401": {"$ref": "#/components/responses/Unauthorized"},
                  "403": {"description": "A browser Origin other than this gateway's own or CORS_ORIGINS", "content": {"application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}}},
                  "426": {"description": "Not a WebSocket handshake", "content": {"application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}}},
                  "503": {"$ref": "#/components/responses/ServiceUnavailable"}}}
            },
            "/calendar/{path}": {
              "parameters": [{"name": "path", "in": "path", "required": true, "schema": {"type": "string"},
                "description": "<secret>.ics or <secret>/rooms/<room id>.ics: a subscribed calendar, forwarded to the booking service (no token)"}],
              "get": {"summary": "A subscribed calendar (booking's /calendar/...)", "operationId": "forwardCalendar", "security": [], "responses": {
                "200": {"description": "text/calendar", "content": {"text/calendar": {"schema": {"type": "string"}}}},
                "403": {"$ref": "#/components/responses/Forbidden"}, "404": {"$ref": "#/components/responses/NotFound"},
                "503": {"$ref": "#/components/responses/ServiceUnavailable"}}},
              "head": {"summary": "Headers of a subscribed calendar", "operationId": "forwardCalendarHead", "security": [], "responses": {
                "200": {"description": "text/calendar, no body"}, "403": {"description": "Not a room calendar this address may follow (no body)"},
                "404": {"description": "No calendar at this address (no body)"}, "503": {"description": "Booking is unavailable (no body)"}}}
            },
            "/api/{path}": {
              "parameters": [{"name": "path", "in": "path", "required": true, "schema": {"type": "string"},
                "description": "users..., rooms..., bookings..., gpa/..., notifications..., tickets..., triage: forwarded to the owning service"}],
              "get": {"summary": "Forwarded to the owning service", "operationId": "forwardGet", "responses": {
                "200": {"description": "The service's answer"}, "404": {"$ref": "#/components/responses/NotFound"},
                "401": {"$ref": "#/components/responses/Unauthorized"}, "503": {"$ref": "#/components/responses/ServiceUnavailable"}}},
              "post": {"summary": "Forwarded to the owning service", "operationId": "forwardPost", "responses": {
                "200": {"description": "The service's answer"}, "404": {"$ref": "#/components/responses/NotFound"},
                "401": {"$ref": "#/components/responses/Unauthorized"}, "413": {"$ref": "#/components/responses/ContentTooLarge"},
                "503": {"$ref": "#/components/responses/ServiceUnavailable"}}},
              "put": {"summary": "Forwarded to the owning service", "operationId": "forwardPut", "responses": {
                "200": {"description": "The service's answer"}, "404": {"$ref": "#/components/responses/NotFound"},
                "401": {"$ref": "#/components/responses/Unauthorized"}, "413": {"$ref": "#/components/responses/ContentTooLarge"},
                "503": {"$ref": "#/components/responses/ServiceUnavailable"}}},
              "patch": {"summary": "Forwarded to the owning service", "operationId": "forwardPatch", "responses": {
                "200": {"description": "The service's answer"}, "404": {"$ref": "#/components/responses/NotFound"},
                "401": {"$ref": "#/components/responses/Unauthorized"}, "413": {"$ref": "#/components/responses/ContentTooLarge"},
                "503": {"$ref": "#/components/responses/ServiceUnavailable"}}},
              "delete": {"summary": "Forwarded to the owning service", "operationId": "forwardDelete", "responses": {
                "204": {"description": "The service's answer"}, "404": {"$ref": "#/components/responses/NotFound"},
                "401": {"$ref": "#/components/responses/Unauthorized"}, "503": {"$ref": "#/components/responses/ServiceUnavailable"}}},
              "head": {"summary": "Forwarded to the owning service", "operationId": "forwardHead", "responses": {
                "200": {"description": "The service's answer"}, "404": {"$ref": "#/components/responses/NotFound"},
                "401": {"$ref": "#/components/responses/Unauthorized"}, "503": {"$ref": "#/components/responses/ServiceUnavailable"}}}
            }
            """#,
        schemas: #"""
            "LoginRequest": {"type": "object", "required": ["email", "password"], "properties": {
              "email": {"type": "string"}, "password": {"type": "string"}}},
            "User": {"type": "object", "required": ["id", "email", "name", "role"], "properties": {
              "id": {"type": "integer"}, "email": {"type": "string"}, "name": {"type": "string"},
              "role": {"type": "string", "enum": ["admin", "faculty", "student", "technician"]},
              "created_at": {"type": "string", "format": "date-time"}}},
            "LoginResponse": {"type": "object", "required": ["access_token", "token_type", "expires_in", "user"], "properties": {
              "access_token": {"type": "string"}, "token_type": {"type": "string", "const": "Bearer"},
              "expires_in": {"type": "integer"}, "user": {"$ref": "#/components/schemas/User"}}},
            "PageConfig": {"type": "object", "required": ["environment", "demo_accounts", "time_zone"], "properties": {
              "environment": {"type": "string", "enum": ["development", "production"]}, "demo_accounts": {"type": "boolean"},
              "time_zone": {"type": "string", "description": "The campus time zone (CAMPUS_TIMEZONE), e.g. Europe/London"}}},
            "SystemStatus": {"type": "object", "required": ["status", "checked_at", "services", "counts", "recent_logins"], "properties": {
              "status": {"type": "string", "enum": ["healthy", "degraded"]},
              "checked_at": {"type": "string", "format": "date-time"},
              "services": {"type": "array", "items": {"type": "object", "required": ["name", "url", "status"], "properties": {
                "name": {"type": "string"}, "url": {"type": "string"},
                "status": {"type": "string", "enum": ["healthy", "unhealthy", "unreachable"]},
                "latency_ms": {"type": "integer"}}}},
              "counts": {"type": "object", "properties": {
                "users": {"type": ["integer", "null"]}, "login_attempts_last24h": {"type": "integer"},
                "failed_logins_last24h": {"type": "integer"}, "locked_accounts": {"type": "integer"}, "revoked_tokens": {"type": "integer"}}},
              "recent_logins": {"type": "array", "items": {"type": "object", "properties": {
                "email": {"type": "string"}, "user_id": {"oneOf": [{"$ref": "#/components/schemas/Id"}, {"type": "null"}]},
                "outcome": {"type": "string", "enum": ["success", "invalid_credentials", "locked"]},
                "client_address": {"type": "string"}, "request_id": {"type": "string"},
                "created_at": {"type": "string", "format": "date-time"}}}}}}
            """#
    )
}
