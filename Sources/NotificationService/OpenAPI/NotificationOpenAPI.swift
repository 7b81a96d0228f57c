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
              "link": {"$ref": "#/components/schemas/LinkInput"}}}
            """#
    )
}
