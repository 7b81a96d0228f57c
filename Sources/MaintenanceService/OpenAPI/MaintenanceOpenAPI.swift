import CampusKit

/// OpenAPI 3.1 of the maintenance service.
enum MaintenanceOpenAPI {
    static let document = OpenAPIDocument.make(
        service: .maintenance,
        description: "Maintenance tickets, triaged on arrival (P0–P4, category, SLA, impact), with history and comments.",
        paths: LiveWebSocket.openAPIPath(
            summary: "Live ticket events over WebSocket", operationID: "ticketEvents",
            messages: #"and {\"type\":\"ticket.created|ticket.updated|ticket.commented|ticket.sla_breached\",\"ticket\":{...}} for the tickets you may see."#)
                + #"""
                "/triage": {
                  "post": {"summary": "Preview the triage of a ticket without saving it", "operationId": "triage",
                    "requestBody": {"required": true, "content": {"application/json": {"schema": {"$ref": "#/components/schemas/TriageRequest"}}}},
                    "responses": {
                      "200": {"description": "The triage", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Triage"}}}},
                      "400": {"$ref": "#/components/responses/BadRequest"}, "401": {"$ref": "#/components/responses/Unauthorized"},
                      "403": {"$ref": "#/components/responses/Forbidden"}, "413": {"$ref": "#/components/responses/ContentTooLarge"},
                      "422": {"$ref": "#/components/responses/Unprocessable"}}}
                },
                "/tickets": {
                  "get": {"summary": "Your tickets (technicians: all, in queue order)", "operationId": "listTickets",
                    "parameters": [{"$ref": "#/components/parameters/Limit"}, {"$ref": "#/components/parameters/Offset"},
                      {"name": "status", "in": "query", "schema": {"$ref": "#/components/schemas/Status"}},
                      {"name": "priority", "in": "query", "schema": {"$ref": "#/components/schemas/Priority"}},
                      {"name": "assignee_id", "in": "query", "description": "A user id (422 if not one)", "schema": {"anyOf": [{"type": "integer", "minimum": 0}, {"type": "string", "pattern": "^[0-9]{1,19}$"}]}},
                      {"name": "room_id", "in": "query", "description": "A room id (422 if not one)", "schema": {"anyOf": [{"type": "integer", "minimum": 0}, {"type": "string", "pattern": "^[0-9]{1,19}$"}]}},
                      {"name": "created_by", "in": "query", "description": "Technicians: only tickets this user reported (others always see only their own)", "schema": {"anyOf": [{"type": "integer", "minimum": 0}, {"type": "string", "pattern": "^[0-9]{1,19}$"}]}},
                      {"name": "order", "in": "query", "description": "queue: priority, then SLA deadline (technicians' default); newest: newest first (everyone else's default)", "schema": {"type": "string", "enum": ["queue", "newest"]}},
                      {"name": "q", "in": "query", "description": "Search: every word must appear, case-insensitively, in the title, description, location or resolution", "schema": {"type": "string"}},
                      {"name": "category", "in": "query", "description": "One category (422 if not one triage knows)", "schema": {"type": "string"}},
                      {"name": "location", "in": "query", "description": "Every word must appear, case-insensitively, in the location", "schema": {"type": "string"}},
                      {"name": "created_from", "in": "query", "description": "Reported on or after this day (campus clock, CAMPUS_TIMEZONE)", "schema": {"type": "string", "format": "date"}},
                      {"name": "created_to", "in": "query", "description": "Reported on or before this day (campus clock); 422 if before created_from", "schema": {"type": "string", "format": "date"}}],
                    "responses": {
                      "200": {"description": "A page of tickets", "headers": {"X-Total-Count": {"$ref": "#/components/headers/TotalCount"}},
                        "content": {"application/json": {"schema": {"type": "array", "items": {"$ref": "#/components/schemas/Ticket"}}}}},
                      "401": {"$ref": "#/components/responses/Unauthorized"}, "503": {"$ref": "#/components/responses/ServiceUnavailable"}, "403": {"$ref": "#/components/responses/Forbidden"},
                      "422": {"$ref": "#/components/responses/Unprocessable"}}},
                  "post": {"summary": "Open a ticket; it is triaged on arrival", "operationId": "createTicket",
                    "requestBody": {"required": true, "content": {"application/json": {"schema": {"$ref": "#/components/schemas/CreateTicket"}}}},
                    "responses": {
                      "201": {"description": "Opened", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Ticket"}}}},
                      "400": {"$ref": "#/components/responses/BadRequest"}, "401": {"$ref": "#/components/responses/Unauthorized"}, "503": {"$ref": "#/components/responses/ServiceUnavailable"},
                      "403": {"$ref": "#/components/responses/Forbidden"}, "413": {"$ref": "#/components/responses/ContentTooLarge"},
                      "422": {"$ref": "#/components/responses/Unprocessable"}}}
                },
                "/tickets/room-health": {
                  "get": {"summary": "Rooms with unfinished tickets (open, in progress or waiting on the reporter)", "operationId": "roomHealth",
                    "responses": {
                      "200": {"description": "Per room: open tickets and the most urgent priority", "content": {"application/json": {"schema": {
                        "type": "array", "items": {"type": "object", "required": ["room_id", "open_tickets", "highest_priority", "out_of_order"], "properties": {
                          "room_id": {"$ref": "#/components/schemas/Id"}, "open_tickets": {"type": "integer"}, "highest_priority": {"$ref": "#/components/schemas/Priority"},
                          "out_of_order": {"type": "boolean", "description": "A technician marked the room out of order on one of these tickets: the booking grid shows it so until the ticket is resolved"}}}}}}},
                      "401": {"$ref": "#/components/responses/Unauthorized"}, "503": {"$ref": "#/components/responses/ServiceUnavailable"}}}
                },
                "/tickets/{id}": {
                  "parameters": [{"$ref": "#/components/parameters/IdPath"}],
                  "get": {"summary": "A ticket with its history", "operationId": "getTicket",
                    "responses": {
                      "200": {"description": "The ticket", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Ticket"}}}},
                      "401": {"$ref": "#/components/responses/Unauthorized"}, "503": {"$ref": "#/components/responses/ServiceUnavailable"}, "403": {"$ref": "#/components/responses/Forbidden"},
                      "404": {"$ref": "#/components/responses/NotFound"}}},
                  "patch": {"summary": "Change status, priority or assignee (technicians); resolving needs a resolution for the reporter; a P0 cannot wait on the reporter (422 life_safety_cannot_wait), and a waiting ticket raised to P0 goes back in progress with its clock running", "operationId": "updateTicket",
                    "requestBody": {"required": true, "content": {"application/json": {"schema": {"$ref": "#/components/schemas/UpdateTicket"}}}},
                    "responses": {
                      "200": {"description": "The updated ticket with its history", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Ticket"}}}},
                      "400": {"$ref": "#/components/responses/BadRequest"}, "401": {"$ref": "#/components/responses/Unauthorized"},
                      "403": {"$ref": "#/components/responses/Forbidden"}, "404": {"$ref": "#/components/responses/NotFound"},
                      "413": {"$ref": "#/components/responses/ContentTooLarge"}, "422": {"$ref": "#/components/responses/Unprocessable"},
                      "503": {"$ref": "#/components/responses/ServiceUnavailable"}}}
                },
                "/tickets/{id}/reopen": {
                  "parameters": [{"$ref": "#/components/parameters/IdPath"}],
                  "post": {"summary": "Still broken: the reporter reopens a resolved or closed ticket within 14 days of its resolution; its SLA clock starts again and the assignee (or, with none, the technicians) is told", "operationId": "reopenTicket",
                    "requestBody": {"required": true, "content": {"application/json": {"schema": {"type": "object", "required": ["reason"], "properties": {"reason": {"type": "string", "minLength": 1, "maxLength": 2000}}}}}},
                    "responses": {
                      "200": {"description": "The reopened ticket with its history", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Ticket"}}}},
                      "400": {"$ref": "#/components/responses/BadRequest"}, "401": {"$ref": "#/components/responses/Unauthorized"},
                      "403": {"$ref": "#/components/responses/Forbidden"}, "404": {"$ref": "#/components/responses/NotFound"},
                      "409": {"$ref": "#/components/responses/Conflict"},
                      "413": {"$ref": "#/components/responses/ContentTooLarge"}, "422": {"$ref": "#/components/responses/Unprocessable"},
                      "503": {"$ref": "#/components/responses/ServiceUnavailable"}}}
                },
                "/tickets/{id}/comments": {
                  "parameters": [{"$ref": "#/components/parameters/IdPath"}],
                  "get": {"summary": "Comments, oldest first", "operationId": "listComments",
                    "parameters": [{"$ref": "#/components/parameters/Limit"}, {"$ref": "#/components/parameters/Offset"}],
                    "responses": {
                      "200": {"description": "A page of the comments", "headers": {"X-Total-Count": {"$ref": "#/components/headers/TotalCount"}},
                        "content": {"application/json": {"schema": {"type": "array", "items": {"$ref": "#/components/schemas/Comment"}}}}},
                      "401": {"$ref": "#/components/responses/Unauthorized"}, "503": {"$ref": "#/components/responses/ServiceUnavailable"}, "403": {"$ref": "#/components/responses/Forbidden"},
                      "404": {"$ref": "#/components/responses/NotFound"}, "422": {"$ref": "#/components/responses/Unprocessable"}}},
                  "post": {"summary": "Comment on a ticket you can see; the reporter's comment on a ticket waiting on them moves it back to in_progress, its SLA clock running again", "operationId": "addComment",
                    "requestBody": {"required": true, "content": {"application/json": {"schema": {"type": "object", "required": ["body"], "properties": {"body": {"type": "string", "minLength": 1, "maxLength": 4000}}}}}},
                    "responses": {
                      "201": {"description": "The comment", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Comment"}}}},
                      "400": {"$ref": "#/components/responses/BadRequest"}, "401": {"$ref": "#/components/responses/Unauthorized"}, "503": {"$ref": "#/components/responses/ServiceUnavailable"},
                      "403": {"$ref": "#/components/responses/Forbidden"}, "404": {"$ref": "#/components/responses/NotFound"},
                      "413": {"$ref": "#/components/responses/ContentTooLarge"}, "422": {"$ref": "#/components/responses/Unprocessable"}}}
                },
                "/tickets/{id}/photos": {
                  "parameters": [{"$ref": "#/components/parameters/IdPath"}],
                  "get": {"summary": "The photos of a ticket you can see (its report's and its comments'), oldest first", "operationId": "listPhotos",
                    "parameters": [{"$ref": "#/components/parameters/Limit"}, {"$ref": "#/components/parameters/Offset"}],
                    "responses": {
                      "200": {"description": "A page of the photos", "headers": {"X-Total-Count": {"$ref": "#/components/headers/TotalCount"}},
                        "content": {"application/json": {"schema": {"type": "array", "items": {"$ref": "#/components/schemas/Photo"}}}}},
                      "401": {"$ref": "#/components/responses/Unauthorized"}, "503": {"$ref": "#/components/responses/ServiceUnavailable"}, "403": {"$ref": "#/components/responses/Forbidden"},
                      "404": {"$ref": "#/components/responses/NotFound"}, "422": {"$ref": "#/components/responses/Unprocessable"}}},
                  "post": {"summary": "Add a photo to a ticket you can see (its report, or with comment_id one of its comments): at most 5 each", "operationId": "addPhoto",
                    "description": "The body is the image itself (a JPEG, PNG, HEIC or WebP as a browser sends it, at most 8 MiB and 50 megapixels). Its type is judged by its content, never by its name or Content-Type: anything else is 415 not_an_image, a damaged file 422 image_damaged. What is stored has its metadata removed (EXIF with GPS, camera and dates, XMP, comments, text chunks; a JPEG keeps only its orientation). 409 photo_limit past 5 photos on the report or on a comment. The ticket's photo_count goes up and the queue hears of it (an updated event).",
                    "parameters": [{"name": "comment_id", "in": "query", "description": "One of the ticket's comments (422 if not)", "schema": {"anyOf": [{"type": "integer", "minimum": 0}, {"type": "string", "pattern": "^[0-9]{1,19}$"}]}}],
                    "requestBody": {"required": true, "content": {"image/jpeg": {"schema": {"contentMediaType": "image/jpeg"}}, "image/png": {"schema": {"contentMediaType": "image/png"}},
                      "image/heic": {"schema": {"contentMediaType": "image/heic"}}, "image/webp": {"schema": {"contentMediaType": "image/webp"}},
                      "application/octet-stream": {"schema": {"contentMediaType": "application/octet-stream"}}}},
                    "responses": {
                      "201": {"description": "The photo", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Photo"}}}},
                      "401": {"$ref": "#/components/responses/Unauthorized"}, "503": {"$ref": "#/components/responses/ServiceUnavailable"},
                      "403": {"$ref": "#/components/responses/Forbidden"}, "404": {"$ref": "#/components/responses/NotFound"}, "409": {"$ref": "#/components/responses/Conflict"},
                      "413": {"$ref": "#/components/responses/ContentTooLarge"}, "415": {"$ref": "#/components/responses/UnsupportedMediaType"}, "422": {"$ref": "#/components/responses/Unprocessable"}}}
                },
                "/tickets/{id}/photos/{photo_id}": {
                  "parameters": [{"$ref": "#/components/parameters/IdPath"}, {"$ref": "#/components/parameters/PhotoIdPath"}],
                  "get": {"summary": "A photo as stored (its metadata removed), to those who can see the ticket", "operationId": "getPhoto",
                    "responses": {
                      "200": {"description": "The image (Content-Type image/jpeg, image/png, image/heic or image/webp; nosniff; private cache)", "content": {
                        "image/jpeg": {}, "image/png": {},
                        "image/heic": {}, "image/webp": {}}},
                      "401": {"$ref": "#/components/responses/Unauthorized"}, "503": {"$ref": "#/components/responses/ServiceUnavailable"}, "403": {"$ref": "#/components/responses/Forbidden"},
                      "404": {"$ref": "#/components/responses/NotFound"}}},
                  "delete": {"summary": "Remove a photo you added", "operationId": "deletePhoto",
                    "responses": {
                      "204": {"description": "Removed"},
                      "401": {"$ref": "#/components/responses/Unauthorized"}, "503": {"$ref": "#/components/responses/ServiceUnavailable"}, "403": {"$ref": "#/components/responses/Forbidden"},
                      "404": {"$ref": "#/components/responses/NotFound"}}}
                },
                "/tickets/{id}/photos/{photo_id}/thumbnail": {
                  "parameters": [{"$ref": "#/components/parameters/IdPath"}, {"$ref": "#/components/parameters/PhotoIdPath"}],
                  "get": {"summary": "A photo's thumbnail, for lists (404 while it has none)", "operationId": "getPhotoThumbnail",
                    "responses": {
                      "200": {"description": "The thumbnail", "content": {"image/jpeg": {}, "image/png": {},
                        "image/webp": {}}},
                      "401": {"$ref": "#/components/responses/Unauthorized"}, "503": {"$ref": "#/components/responses/ServiceUnavailable"}, "403": {"$ref": "#/components/responses/Forbidden"},
                      "404": {"$ref": "#/components/responses/NotFound"}}},
                  "put": {"summary": "Give a photo you added its thumbnail: a JPEG, PNG or WebP at most 512 pixels on its longer side and 256 KiB (the page draws it in the browser)", "operationId": "setPhotoThumbnail",
                    "requestBody": {"required": true, "content": {"image/jpeg": {"schema": {"contentMediaType": "image/jpeg"}}, "image/png": {"schema": {"contentMediaType": "image/png"}},
                      "image/webp": {"schema": {"contentMediaType": "image/webp"}}}},
                    "responses": {
                      "204": {"description": "Stored"},
                      "401": {"$ref": "#/components/responses/Unauthorized"}, "503": {"$ref": "#/components/responses/ServiceUnavailable"}, "403": {"$ref": "#/components/responses/Forbidden"},
                      "404": {"$ref": "#/components/responses/NotFound"}, "413": {"$ref": "#/components/responses/ContentTooLarge"},
                      "415": {"$ref": "#/components/responses/UnsupportedMediaType"}, "422": {"$ref": "#/components/responses/Unprocessable"}}}
                }
                """#,
        schemas: #"""
            "Priority": {"type": "string", "enum": ["P0", "P1", "P2", "P3", "P4"]},
            "Status": {"type": "string", "enum": ["open", "in_progress", "waiting_on_reporter", "resolved", "closed", "cancelled"],
              "description": "open → in_progress → resolved → closed; open or in_progress → cancelled; resolved → in_progress reopens; in_progress ⇄ waiting_on_reporter (the SLA clock stands still; the reporter's comment moves it back to in_progress; not for P0), and waiting_on_reporter → resolved or cancelled"},
            "Impact": {"type": "object", "required": ["systems", "safety_risk", "scope", "people_affected_estimate"], "properties": {
              "systems": {"type": "array", "items": {"type": "string"}}, "safety_risk": {"type": "boolean"},
              "scope": {"type": "string", "enum": ["room", "floor", "building", "campus"]}, "people_affected_estimate": {"type": "integer"}}},
            "TicketImpact": {"type": "object", "required": ["systems", "safety_risk", "scope", "people_affected_estimate", "bookings"], "properties": {
              "systems": {"type": "array", "items": {"type": "string"}}, "safety_risk": {"type": "boolean"},
              "scope": {"type": "string", "enum": ["room", "floor", "building", "campus"]}, "people_affected_estimate": {"type": "integer", "description": "At least the room's seats when it is in use or booked before the deadline"},
              "bookings": {"description": "For a ticket on a bookable room: its next bookings (at most 5, within a week) when it was reported; null without a room or when booking could not be asked. Who booked them and why are not shown", "oneOf": [{"type": "null"}, {"type": "array", "items": {"type": "object", "required": ["starts_at", "ends_at", "seats"], "properties": {
                "starts_at": {"type": "string", "format": "date-time"}, "ends_at": {"type": "string", "format": "date-time"}, "seats": {"type": "integer"}}}}]}}},
            "Triage": {"type": "object", "required": ["priority", "category", "sla_hours", "impact", "confidence", "signals"], "properties": {
              "priority": {"$ref": "#/components/schemas/Priority"}, "category": {"type": "string"}, "sla_hours": {"type": "integer"},
              "impact": {"$ref": "#/components/schemas/Impact"},
              "confidence": {"type": "number", "minimum": 0, "maximum": 1, "description": "How likely the priority is: the model's probability of it; for a priority a recall-first threshold raised (Critical out of caution), the chance that raised it; for one held at High after a danger reading, its chance of High or worse; for a rule's floor (an alarm word, an outage), 0.9; for a ticket most of whose words the model cannot read, the share it could"},
              "signals": {"type": "array", "items": {"type": "string"}}}},
            "TriageRequest": {"type": "object", "description": "Any field may be missing or empty (the form's preview works from the first words); all three empty is a 422", "properties": {
              "title": {"type": "string", "maxLength": 200}, "description": {"type": "string", "maxLength": 5000}, "location": {"type": "string", "maxLength": 200}}},
            "CreateTicket": {"type": "object", "required": ["title", "description", "location"], "properties": {
              "title": {"type": "string", "minLength": 1, "maxLength": 200}, "description": {"type": "string", "maxLength": 5000},
              "location": {"type": "string", "minLength": 1, "maxLength": 200}, "category": {"type": "string"},
              "room_id": {"$ref": "#/components/schemas/IdInput"}}},
            "UpdateTicket": {"type": "object", "properties": {
              "status": {"$ref": "#/components/schemas/Status"}, "priority": {"$ref": "#/components/schemas/Priority"},
              "assignee_id": {"description": "A technician's user id; null unassigns", "oneOf": [{"$ref": "#/components/schemas/IdInput"}, {"type": "null"}]},
              "resolution": {"description": "What was done, for the reporter: required with status resolved, refused otherwise", "type": "string", "minLength": 1, "maxLength": 2000},
              "question": {"description": "What the reporter is asked, with status waiting_on_reporter (refused otherwise): stored as a comment of the caller's in the same step and quoted in the reporter's notice", "type": "string", "minLength": 1, "maxLength": 4000},
              "room_out_of_order": {"type": "boolean", "description": "true marks the ticket's room out of order while the ticket is in work (422 no_room without room_id; 409 ticket_not_in_work once resolved, closed or cancelled; 503 when booking cannot list the owners to tell): the owners of its bookings in the next 14 days are told at once, each with the nearest free room of the same kind; false puts it back in order"}}},
            "Comment": {"type": "object", "required": ["id", "ticket_id", "author_id", "author_name", "body", "created_at"], "properties": {
              "id": {"type": "integer"}, "ticket_id": {"type": "integer"}, "author_id": {"$ref": "#/components/schemas/Id"},
              "author_name": {"description": "The author's name when they wrote it; null on older comments", "type": ["string", "null"]}, "body": {"type": "string"},
              "created_at": {"type": "string", "format": "date-time"}}},
            "Photo": {"type": "object", "additionalProperties": false, "required": ["id", "ticket_id", "comment_id", "media_type", "width", "height", "size", "has_thumbnail", "uploaded_by", "created_at"], "properties": {
              "id": {"type": "integer"}, "ticket_id": {"type": "integer"}, "comment_id": {"type": ["integer", "null"], "description": "null: a photo of the report"},
              "media_type": {"type": "string", "enum": ["image/jpeg", "image/png", "image/heic", "image/webp"], "description": "Judged by the content"},
              "width": {"type": "integer"}, "height": {"type": "integer"}, "size": {"type": "integer", "description": "Bytes as stored, metadata removed"},
              "has_thumbnail": {"type": "boolean"},
              "uploaded_by": {"type": "object", "additionalProperties": false, "required": ["id", "name"], "properties": {"id": {"$ref": "#/components/schemas/Id"}, "name": {"type": ["string", "null"]}}},
              "created_at": {"type": "string", "format": "date-time"}}},
            "Ticket": {"type": "object", "required": ["id", "title", "description", "location", "room_id", "category", "priority", "status",
              "sla_due_at", "sla_breached", "sla_paused_at", "impact", "room_out_of_order", "triage", "created_by", "created_by_name", "assignee_id", "assignee_name", "created_at", "updated_at",
              "resolution", "resolved_at", "reopenable_until", "photo_count"], "properties": {
              "photo_count": {"type": "integer", "minimum": 0, "description": "Photos of its report and comments (GET /tickets/{id}/photos)"},
              "id": {"type": "integer"}, "title": {"type": "string"}, "description": {"type": "string"}, "location": {"type": "string"},
              "room_id": {"oneOf": [{"$ref": "#/components/schemas/Id"}, {"type": "null"}]}, "category": {"type": "string"}, "priority": {"$ref": "#/components/schemas/Priority"},
              "status": {"$ref": "#/components/schemas/Status"}, "sla_due_at": {"type": "string", "format": "date-time", "description": "The priority's SLA hours from the report (or the last reopening): around the clock, or with SLA_WORKING_HOURS the campus's working hours less SLA_HOLIDAYS for P1-P4 (P0 always around the clock), later by the time the clock stood still waiting on the reporter"},
              "sla_breached": {"type": "boolean"},
              "sla_paused_at": {"description": "Since when its SLA clock stands still, waiting on the reporter (status waiting_on_reporter); null while it runs. The deadline moves later by the paused time (working time, with SLA_WORKING_HOURS) once it runs again", "type": ["string", "null"], "format": "date-time"},
              "impact": {"$ref": "#/components/schemas/TicketImpact"},
              "room_out_of_order": {"type": "boolean", "description": "A technician marked its room out of order (PATCH room_out_of_order); cleared when it is resolved or cancelled"}, "triage": {"$ref": "#/components/schemas/Triage"},
              "created_by": {"$ref": "#/components/schemas/Id"}, "assignee_id": {"oneOf": [{"$ref": "#/components/schemas/Id"}, {"type": "null"}]},
              "created_by_name": {"description": "The reporter's name when they reported it; null on older tickets", "type": ["string", "null"]},
              "assignee_name": {"description": "The assignee's name when they were assigned; null when unassigned or on older tickets", "type": ["string", "null"]},
              "created_at": {"type": "string", "format": "date-time"}, "updated_at": {"type": "string", "format": "date-time"},
              "resolution": {"description": "What the technician who resolved it wrote; null until resolved, and again once reopened", "type": ["string", "null"]},
              "resolved_at": {"description": "When it was last resolved; null while in work", "type": ["string", "null"], "format": "date-time"},
              "reopenable_until": {"description": "Until when its reporter may reopen it (14 days after the resolution); null unless resolved or closed", "type": ["string", "null"], "format": "date-time"},
              "history": {"description": "Oldest first", "type": "array", "items": {"type": "object", "required": ["at", "by", "by_name", "change"], "properties": {
                "at": {"type": "string", "format": "date-time"}, "by": {"description": "The user who made the change; null for the service itself (an SLA breach)", "oneOf": [{"$ref": "#/components/schemas/Id"}, {"type": "null"}]},
                "by_name": {"description": "Their name then; null for the service itself and on older lines", "type": ["string", "null"]},
                "change": {"description": "What changed, as a sentence (\"Status changed from Open to In progress\")", "type": "string"}}}}}}
            """#
    )
}
