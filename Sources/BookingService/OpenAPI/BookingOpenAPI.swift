import CampusKit

/// OpenAPI 3.1 of the booking service.
enum BookingOpenAPI {
    static let document = OpenAPIDocument.make(
        service: .booking,
        description:
            "Rooms and bookings. Everyone signed in browses rooms and availability; students and faculty book within their limits; admins manage the catalogue. Dates are YYYY-MM-DD and times HH:MM on the campus clock (CAMPUS_TIMEZONE).",
        paths: roomPaths + ",\n" + bookingPaths,
        schemas: schemas
    )

    static let roomPaths = #"""
        "/rooms": {
          "get": {"summary": "List rooms (anyone signed in)", "operationId": "listRooms",
            "parameters": [{"$ref": "#/components/parameters/Limit"}, {"$ref": "#/components/parameters/Offset"},
              {"name": "min_capacity", "in": "query", "description": "Only rooms for at least this many people", "schema": {"type": "integer", "minimum": 0}},
              {"name": "feature", "in": "query", "description": "Only rooms with this feature (e.g. projector)", "schema": {"type": "string"}}],
            "responses": {
              "200": {"description": "A page of rooms, by id", "headers": {"X-Total-Count": {"$ref": "#/components/headers/TotalCount"}},
                "content": {"application/json": {"schema": {"type": "array", "items": {"$ref": "#/components/schemas/Room"}}}}},
              "401": {"$ref": "#/components/responses/Unauthorized"}, "503": {"$ref": "#/components/responses/ServiceUnavailable"}, "403": {"$ref": "#/components/responses/Forbidden"},
              "422": {"$ref": "#/components/responses/Unprocessable"}}},
          "post": {"summary": "Add a room (admin)", "operationId": "createRoom",
            "requestBody": {"required": true, "content": {"application/json": {"schema": {"$ref": "#/components/schemas/CreateRoom"}}}},
            "responses": {
              "201": {"description": "Created", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Room"}}}},
              "400": {"$ref": "#/components/responses/BadRequest"}, "401": {"$ref": "#/components/responses/Unauthorized"}, "503": {"$ref": "#/components/responses/ServiceUnavailable"},
              "403": {"$ref": "#/components/responses/Forbidden"}, "409": {"$ref": "#/components/responses/Conflict"},
              "413": {"$ref": "#/components/responses/ContentTooLarge"}, "422": {"$ref": "#/components/responses/Unprocessable"}}}
        },
        "/rooms/{id}": {
          "parameters": [{"$ref": "#/components/parameters/IdPath"}],
          "get": {"summary": "Read a room (anyone signed in)", "operationId": "getRoom",
            "responses": {
              "200": {"description": "The room", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Room"}}}},
              "401": {"$ref": "#/components/responses/Unauthorized"}, "503": {"$ref": "#/components/responses/ServiceUnavailable"}, "403": {"$ref": "#/components/responses/Forbidden"},
              "404": {"$ref": "#/components/responses/NotFound"}}},
          "put": {"summary": "Change a room (admin); fields left out stay as they are", "operationId": "updateRoom",
            "requestBody": {"required": true, "content": {"application/json": {"schema": {"$ref": "#/components/schemas/UpdateRoom"}}}},
            "responses": {
              "200": {"description": "The changed room", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Room"}}}},
              "400": {"$ref": "#/components/responses/BadRequest"}, "401": {"$ref": "#/components/responses/Unauthorized"}, "503": {"$ref": "#/components/responses/ServiceUnavailable"},
              "403": {"$ref": "#/components/responses/Forbidden"}, "404": {"$ref": "#/components/responses/NotFound"},
              "409": {"$ref": "#/components/responses/Conflict"}, "413": {"$ref": "#/components/responses/ContentTooLarge"},
              "422": {"$ref": "#/components/responses/Unprocessable"}}},
          "delete": {"summary": "Delete a room (admin). Refused (409 room_has_bookings) while it has upcoming bookings or pending requests (list them with GET /rooms/{id}/bookings, cancel each with POST /bookings/{id}/cancel); its past bookings stay.", "operationId": "deleteRoom",
            "responses": {
              "204": {"description": "Deleted"},
              "401": {"$ref": "#/components/responses/Unauthorized"}, "503": {"$ref": "#/components/responses/ServiceUnavailable"}, "403": {"$ref": "#/components/responses/Forbidden"},
              "404": {"$ref": "#/components/responses/NotFound"}, "409": {"$ref": "#/components/responses/Conflict"}}}
        },
        "/rooms/{id}/bookings": {
          "parameters": [{"$ref": "#/components/parameters/IdPath"}],
          "get": {"summary": "A room's bookings, everyone's (admin): by default those holding it (confirmed, and pending requests) from today on, earliest first", "operationId": "roomBookings",
            "parameters": [{"$ref": "#/components/parameters/Limit"}, {"$ref": "#/components/parameters/Offset"},
              {"name": "from", "in": "query", "description": "Only bookings on or after this date (default: today on the campus clock)", "schema": {"type": "string", "format": "date"}},
              {"name": "to", "in": "query", "description": "Only bookings on or before this date", "schema": {"type": "string", "format": "date"}},
              {"name": "status", "in": "query", "description": "Default: pending and confirmed", "schema": {"$ref": "#/components/schemas/BookingStatus"}}],
            "responses": {
              "200": {"description": "A page of the room's bookings", "headers": {"X-Total-Count": {"$ref": "#/components/headers/TotalCount"}},
                "content": {"application/json": {"schema": {"type": "array", "items": {"$ref": "#/components/schemas/Booking"}}}}},
              "401": {"$ref": "#/components/responses/Unauthorized"}, "503": {"$ref": "#/components/responses/ServiceUnavailable"}, "403": {"$ref": "#/components/responses/Forbidden"},
              "404": {"$ref": "#/components/responses/NotFound"}, "422": {"$ref": "#/components/responses/Unprocessable"}}}
        },
        "/internal/rooms/{id}/outlook": {
          "parameters": [{"$ref": "#/components/parameters/IdPath"}],
          "get": {"summary": "The room's confirmed bookings that have not ended and begin within hours (maintenance service token only), earliest first (at most 50), each with the nearest free room of the same kind (same faculty_only, every feature; same building first, then enough seats, then the closest number of seats)", "operationId": "roomOutlook",
            "parameters": [{"name": "hours", "in": "query", "schema": {"type": "integer", "minimum": 1, "maximum": 720, "default": 168}}],
            "responses": {
              "200": {"description": "The room and its next bookings", "content": {"application/json": {"schema": {"type": "object", "required": ["room", "bookings"], "properties": {
                "room": {"$ref": "#/components/schemas/Room"},
                "bookings": {"type": "array", "items": {"type": "object", "required": ["id", "user_id", "starts_at", "ends_at", "purpose", "alternative"], "properties": {
                  "id": {"type": "integer"}, "user_id": {"$ref": "#/components/schemas/Id"}, "starts_at": {"type": "string", "format": "date-time"},
                  "ends_at": {"type": "string", "format": "date-time"}, "purpose": {"type": "string"},
                  "alternative": {"oneOf": [{"$ref": "#/components/schemas/Room"}, {"type": "null"}]}}}}}}}}},
              "401": {"$ref": "#/components/responses/Unauthorized"}, "503": {"$ref": "#/components/responses/ServiceUnavailable"}, "403": {"$ref": "#/components/responses/Forbidden"},
              "404": {"$ref": "#/components/responses/NotFound"}, "422": {"$ref": "#/components/responses/Unprocessable"}}}
        },
        "/internal/rooms/out-of-order": {
          "put": {"summary": "State which rooms are out of order, whole (maintenance service token only): every room not named is in order", "operationId": "stateRoomsOutOfOrder",
            "description": "Maintenance states this after a technician marks a room out of order or puts it back, after the ticket is resolved or cancelled, and again every SLA_CHECK_SECONDS. New bookings into a room out of order, and moves into it or to another time in it, are refused (409 room_out_of_order) and its slots show as taken. Rooms that do not exist are passed over.",
            "requestBody": {"required": true, "content": {"application/json": {"schema": {"type": "object", "required": ["rooms"], "properties": {
              "rooms": {"type": "array", "maxItems": 10000, "items": {"type": "object", "required": ["room_id", "ticket_id"], "properties": {
                "room_id": {"$ref": "#/components/schemas/IdInput"}, "ticket_id": {"$ref": "#/components/schemas/IdInput"}}}}}}}}},
            "responses": {
              "204": {"description": "Stated"},
              "400": {"$ref": "#/components/responses/BadRequest"}, "401": {"$ref": "#/components/responses/Unauthorized"}, "503": {"$ref": "#/components/responses/ServiceUnavailable"},
              "403": {"$ref": "#/components/responses/Forbidden"}, "413": {"$ref": "#/components/responses/ContentTooLarge"}, "422": {"$ref": "#/components/responses/Unprocessable"}}}
        },
        "/rooms/{id}/closures": {
          "parameters": [{"$ref": "#/components/parameters/IdPath"}],
          "get": {"summary": "The room's closures that have not ended (admin), earliest first, each with the confirmed bookings still inside it", "operationId": "listClosures",
            "parameters": [{"$ref": "#/components/parameters/Limit"}, {"$ref": "#/components/parameters/Offset"}],
            "responses": {
              "200": {"description": "A page of closures", "headers": {"X-Total-Count": {"$ref": "#/components/headers/TotalCount"}},
                "content": {"application/json": {"schema": {"type": "array", "items": {"$ref": "#/components/schemas/Closure"}}}}},
              "401": {"$ref": "#/components/responses/Unauthorized"}, "503": {"$ref": "#/components/responses/ServiceUnavailable"}, "403": {"$ref": "#/components/responses/Forbidden"},
              "404": {"$ref": "#/components/responses/NotFound"}, "422": {"$ref": "#/components/responses/Unprocessable"}}},
          "post": {"summary": "Close a room for whole days (admin): maintenance, exams", "operationId": "closeRoom",
            "description": "From then on nobody can book into it or move a booking into it (409 room_closed, naming the period and the reason); its slots show as not available. Bookings already inside it stay and are listed in the answer, for the admin to cancel with a reason their owners are told (POST /bookings/{id}/cancel).",
            "requestBody": {"required": true, "content": {"application/json": {"schema": {"$ref": "#/components/schemas/CreateClosure"}}}},
            "responses": {
              "201": {"description": "Closed: the closure and the bookings inside it", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Closure"}}}},
              "400": {"$ref": "#/components/responses/BadRequest"}, "401": {"$ref": "#/components/responses/Unauthorized"}, "503": {"$ref": "#/components/responses/ServiceUnavailable"},
              "403": {"$ref": "#/components/responses/Forbidden"}, "404": {"$ref": "#/components/responses/NotFound"},
              "413": {"$ref": "#/components/responses/ContentTooLarge"}, "422": {"$ref": "#/components/responses/Unprocessable"}}}
        },
        "/rooms/{id}/closures/{closure_id}": {
          "parameters": [{"$ref": "#/components/parameters/IdPath"}, {"name": "closure_id", "in": "path", "required": true, "description": "The id a closure was given", "schema": {"anyOf": [{"type": "integer", "minimum": 0}, {"type": "string", "pattern": "^[0-9]{1,19}$"}]}}],
          "delete": {"summary": "Open the room again for that period (admin); bookings cancelled for it stay cancelled", "operationId": "reopenRoom",
            "responses": {
              "204": {"description": "Removed"},
              "401": {"$ref": "#/components/responses/Unauthorized"}, "503": {"$ref": "#/components/responses/ServiceUnavailable"}, "403": {"$ref": "#/components/responses/Forbidden"},
              "404": {"$ref": "#/components/responses/NotFound"}}}
        }
        """#
}
