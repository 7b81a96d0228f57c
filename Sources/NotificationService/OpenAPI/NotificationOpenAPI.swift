import CampusKit

/// OpenAPI 3.1 of the notification service.
enum NotificationOpenAPI {
    static let document = OpenAPIDocument.make(
        service: .notification,
        description: "Notifications for one user, a role or everyone, with read state kept per reader. Admins and services send.",
        paths: LiveWebSocket.openAPIPath(
            summary: "The live bell: new notifications over WebSocket", operationID: "notificationEvents",
            messages:
                #"and, the moment each is stored, {\"type\":\"notification.created\",\"notification\":{...}} for the notifications addressed to you (to you, your role or everyone). After a reconnect, catch up with GET /notifications."#
        )
            + #"""
            "/notifications": {
              "get": {"summary": "Your notifications, newest first", "operationId": "listNotifications",
                "parameters": [{"$ref": "#/components/parameters/Limit"}, {"$ref": "#/components/parameters/Offset"},
                  {"name": "unread", "in": "query", "schema": {"type": "boolean"}, "description": "Only the ones you have not read"}],
                "responses": {
                  "200": {"description": "A page of notifications", "headers": {"X-Total-Count": {"$ref": "#/components/headers/TotalCount"}},
                    "content": {"application/json": {"schema": {"type": "array", "items": {"$ref": "#/components/schemas/Notification"}}}}},
                  "401": {"$ref": "#/components/responses/Unauthorized"}, "503": {"$ref": "#/components/responses/ServiceUnavailable"}, "403": {"$ref": "#/components/responses/Forbidden"},
                  "422": {"$ref": "#/components/responses/Unprocessable"}}},
              "post": {"summary": "Send a notification (admins; services with an event_id)", "operationId": "sendNotification",
                "requestBody": {"required": true, "content": {"application/json": {"schema": {"$ref": "#/components/schemas/SendNotification"}}}},
                "responses": {
                  "201": {"description": "Sent", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Notification"}}}},
                  "200": {"description": "This event_id was delivered before; nothing new was stored", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Notification"}}}},
                  "400": {"$ref": "#/components/responses/BadRequest"}, "401": {"$ref": "#/components/responses/Unauthorized"},
                  "403": {"$ref": "#/components/responses/Forbidden"}, "409": {"$ref": "#/components/responses/Conflict"},
                  "413": {"$ref": "#/components/responses/ContentTooLarge"}, "422": {"$ref": "#/components/responses/Unprocessable"},
                  "503": {"$ref": "#/components/responses/ServiceUnavailable"}}}
            },
            "/notifications/preferences": {
              "get": {"summary": "Which notices you also get by e-mail", "operationId": "getMailPreferences",
                "responses": {
                  "200": {"description": "Your choices (a choice you never made follows your role) and whether this server sends e-mail", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/MailPreferences"}}}},
                  "401": {"$ref": "#/components/responses/Unauthorized"}, "503": {"$ref": "#/components/responses/ServiceUnavailable"}, "403": {"$ref": "#/components/responses/Forbidden"}}},
              "put": {"summary": "Change some of your e-mail choices", "operationId": "changeMailPreferences",
                "requestBody": {"required": true, "content": {"application/json": {"schema": {"$ref": "#/components/schemas/MailPreferencesChange"}}}},
                "responses": {
                  "200": {"description": "All your choices after the change", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/MailPreferences"}}}},
                  "400": {"$ref": "#/components/responses/BadRequest"}, "401": {"$ref": "#/components/responses/Unauthorized"}, "503": {"$ref": "#/components/responses/ServiceUnavailable"},
                  "403": {"$ref": "#/components/responses/Forbidden"}, "413": {"$ref": "#/components/responses/ContentTooLarge"}, "422": {"$ref": "#/components/responses/Unprocessable"}}}
            },
            "/notifications/unsubscribe/{secret}": {
              "parameters": [{"name": "secret", "in": "path", "required": true, "schema": {"type": "string"}, "description": "The secret of the List-Unsubscribe link in every e-mail (43 base64url characters)"}],
              "get": {"summary": "A page asking to confirm: opening the link changes nothing", "operationId": "unsubscribePage", "security": [],
                "responses": {
                  "200": {"description": "The page with the button", "content": {"text/html": {"schema": {"type": "string"}}}},
                  "404": {"description": "Not a known link: a page when the client accepts text/html, problem+json otherwise", "content": {"application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}, "text/html": {"schema": {"type": "string"}}}}, "503": {"$ref": "#/components/responses/ServiceUnavailable"}}},
              "head": {"summary": "The confirmation page's headers (link checkers)", "operationId": "unsubscribePageHead", "security": [],
                "responses": {"200": {"description": "The page exists"}, "404": {"description": "Not a known link"}, "503": {"$ref": "#/components/responses/ServiceUnavailable"}}},
              "post": {"summary": "One-click unsubscribe (RFC 8058): every e-mail choice off, no token needed", "operationId": "unsubscribe", "security": [],
                "requestBody": {"required": false, "content": {"application/x-www-form-urlencoded": {"schema": {"type": "object", "properties": {"List-Unsubscribe": {"const": "One-Click"}}}}}},
                "responses": {
                  "200": {"description": "Done", "content": {"text/html": {"schema": {"type": "string"}}}},
                  "404": {"description": "Not a known link: a page when the client accepts text/html, problem+json otherwise", "content": {"application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}, "text/html": {"schema": {"type": "string"}}}}, "413": {"$ref": "#/components/responses/ContentTooLarge"}, "503": {"$ref": "#/components/responses/ServiceUnavailable"}}}
            },
            "/notifications/unread-count": {
              "get": {"summary": "How many of yours are unread", "operationId": "unreadCount",
                "responses": {
                  "200": {"description": "The count", "content": {"application/json": {"schema": {"type": "object", "required": ["count"], "properties": {"count": {"type": "integer"}}}}}},
                  "401": {"$ref": "#/components/responses/Unauthorized"}, "503": {"$ref": "#/components/responses/ServiceUnavailable"}, "403": {"$ref": "#/components/responses/Forbidden"}}}
            },
            "/notifications/read-all": {
              "put": {"summary": "Mark all of yours read", "operationId": "markAllRead",
                "responses": {
                  "200": {"description": "How many were unread", "content": {"application/json": {"schema": {"type": "object", "required": ["updated"], "properties": {"updated": {"type": "integer"}}}}}},
                  "401": {"$ref": "#/components/responses/Unauthorized"}, "503": {"$ref": "#/components/responses/ServiceUnavailable"}, "403": {"$ref": "#/components/responses/Forbidden"}}}
            },
            "/notifications/{id}": {
              "parameters": [{"$ref": "#/components/parameters/IdPath"}],
              "get": {"summary": "One of your notifications", "operationId": "getNotification",
                "responses": {
                  "200": {"description": "The notification", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Notification"}}}},
                  "401": {"$ref": "#/components/responses/Unauthorized"}, "503": {"$ref": "#/components/responses/ServiceUnavailable"}, "403": {"$ref": "#/components/responses/Forbidden"},
                  "404": {"$ref": "#/components/responses/NotFound"}}},
              "put": {"summary": "Mark read (or unread) for you only", "operationId": "markRead",
                "requestBody": {"required": true, "content": {"application/json": {"schema": {"type": "object", "required": ["read"], "properties": {"read": {"type": "boolean"}}}}}},
                "responses": {
                  "200": {"description": "The notification with your read state", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Notification"}}}},
                  "400": {"$ref": "#/components/responses/BadRequest"}, "401": {"$ref": "#/components/responses/Unauthorized"}, "503": {"$ref": "#/components/responses/ServiceUnavailable"},
                  "403": {"$ref": "#/components/responses/Forbidden"}, "404": {"$ref": "#/components/responses/NotFound"},
                  "413": {"$ref": "#/components/responses/ContentTooLarge"}, "422": {"$ref": "#/components/responses/Unprocessable"}}}
            }
            """#,
        schemas: #"""
            "Audience": {"oneOf": [
              {"type": "object", "required": ["user_id"], "properties": {"user_id": {"$ref": "#/components/schemas/Id"}}, "additionalProperties": false},
              {"type": "object", "required": ["role"], "properties": {"role": {"type": "string", "enum": ["admin", "faculty", "student", "technician"]}}, "additionalProperties": false},
              {"type": "object", "required": ["all"], "properties": {"all": {"const": true}}, "additionalProperties": false}]},
            "AudienceInput": {"description": "Exactly one of: a user (by the id /users gave, or its string form), a role, or everyone", "oneOf": [
              {"type": "object", "required": ["user_id"], "properties": {"user_id": {"$ref": "#/components/schemas/IdInput"}}, "additionalProperties": false},
              {"type": "object", "required": ["role"], "properties": {"role": {"type": "string", "enum": ["admin", "faculty", "student", "technician"]}}, "additionalProperties": false},
              {"type": "object", "required": ["all"], "properties": {"all": {"const": true}}, "additionalProperties": false}]},
            "Level": {"type": "string", "enum": ["info", "success", "warning", "critical"]},
            "Link": {"description": "The booking or ticket a notice is about", "type": "object", "required": ["kind", "id"], "properties": {
              "kind": {"type": "string", "enum": ["booking", "ticket"]}, "id": {"type": "integer"}}, "additionalProperties": false},
            "LinkInput": {"type": "object", "required": ["kind", "id"], "properties": {
              "kind": {"type": "string", "enum": ["booking", "ticket"]}, "id": {"$ref": "#/components/schemas/IdInput"}}},
            "Notification": {"type": "object", "required": ["id", "title", "message", "level", "audience", "created_at", "read", "link"], "properties": {
              "id": {"type": "integer"}, "title": {"type": "string"}, "message": {"type": "string"},
              "level": {"$ref": "#/components/schemas/Level"}, "audience": {"$ref": "#/components/schemas/Audience"},
              "created_at": {"type": "string", "format": "date-time"}, "read": {"type": "boolean"},
              "link": {"oneOf": [{"$ref": "#/components/schemas/Link"}, {"type": "null"}]}}},
            "SendNotification": {"type": "object", "required": ["title", "message", "audience"], "properties": {
              "title": {"type": "string", "minLength": 1, "maxLength": 200}, "message": {"type": "string", "minLength": 1, "maxLength": 4000},
              "level": {"$ref": "#/components/schemas/Level"}, "audience": {"$ref": "#/components/schemas/AudienceInput"},
              "event_id": {"type": "string", "description": "Set by services: the same event_id twice makes one notification"},
              "link": {"$ref": "#/components/schemas/LinkInput"},
              "kind": {"$ref": "#/components/schemas/NoticeKind", "description": "Set by services: what the notice is about, for e-mail. A notice an admin writes is broadcasts."},
              "invitation": {"$ref": "#/components/schemas/CalendarInvitation"}}},
            "NoticeKind": {"type": "string", "enum": ["booking_updates", "ticket_updates", "assignments", "sla_breaches", "broadcasts"]},
            "CalendarInvitation": {"description": "Set by the booking service: the calendar entries its e-mail carries as an invitation (RFC 5546)", "type": "object",
              "required": ["method", "events"], "properties": {
              "method": {"type": "string", "enum": ["REQUEST", "CANCEL"]},
              "events": {"type": "array", "minItems": 1, "maxItems": 200, "items": {"type": "object",
                "required": ["uid", "starts_at", "ends_at", "summary", "location", "description", "created"], "properties": {
                "uid": {"type": "string"}, "starts_at": {"type": "string", "format": "date-time"}, "ends_at": {"type": "string", "format": "date-time"},
                "summary": {"type": "string"}, "location": {"type": "string"}, "description": {"type": "string"},
                "created": {"type": "string", "format": "date-time"}, "cancelled_at": {"type": "string", "format": "date-time"}}}}}},
            "MailChoices": {"type": "object", "required": ["booking_updates", "ticket_updates", "assignments", "sla_breaches", "broadcasts"], "properties": {
              "booking_updates": {"type": "boolean", "description": "Your bookings confirmed or cancelled, with a calendar invitation"},
              "ticket_updates": {"type": "boolean", "description": "Status changes and comments on tickets you reported"},
              "assignments": {"type": "boolean", "description": "Tickets assigned to you"},
              "sla_breaches": {"type": "boolean", "description": "Tickets past their deadline"},
              "broadcasts": {"type": "boolean", "description": "Notices from administrators"}}, "additionalProperties": false},
            "MailPreferences": {"type": "object", "required": ["email", "email_available"], "properties": {
              "email": {"$ref": "#/components/schemas/MailChoices"},
              "email_available": {"type": "boolean", "description": "Whether this server sends e-mail (SMTP_HOST); choices are kept either way"}}},
            "MailPreferencesChange": {"type": "object", "required": ["email"], "properties": {
              "email": {"type": "object", "properties": {
                "booking_updates": {"type": "boolean"}, "ticket_updates": {"type": "boolean"}, "assignments": {"type": "boolean"},
                "sla_breaches": {"type": "boolean"}, "broadcasts": {"type": "boolean"}}, "additionalProperties": false}}, "additionalProperties": false}
            """#
    )
}
