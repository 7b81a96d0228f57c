extension BookingOpenAPI {
    static let bookingPaths = #"""
        "/bookings": {
          "get": {"summary": "Your bookings (students and faculty), earliest first", "operationId": "listBookings",
            "parameters": [{"$ref": "#/components/parameters/Limit"}, {"$ref": "#/components/parameters/Offset"},
              {"name": "from", "in": "query", "description": "Only bookings on or after this date", "schema": {"type": "string", "format": "date"}},
              {"name": "to", "in": "query", "description": "Only bookings on or before this date", "schema": {"type": "string", "format": "date"}},
              {"name": "status", "in": "query", "schema": {"$ref": "#/components/schemas/BookingStatus"}}],
            "responses": {
              "200": {"description": "A page of your bookings, by start time", "headers": {"X-Total-Count": {"$ref": "#/components/headers/TotalCount"}},
                "content": {"application/json": {"schema": {"type": "array", "items": {"$ref": "#/components/schemas/Booking"}}}}},
              "401": {"$ref": "#/components/responses/Unauthorized"}, "503": {"$ref": "#/components/responses/ServiceUnavailable"}, "403": {"$ref": "#/components/responses/Forbidden"},
              "422": {"$ref": "#/components/responses/Unprocessable"}}},
          "post": {"summary": "Book a room (students and faculty), or a weekly series (faculty)", "operationId": "createBooking",
            "description": "422 validation_error names the field (past, outside opening hours, off the slot grid, end not after start, unknown room_id); 422 booking_limit names the role's limit; 403 role_not_allowed for admins, technicians, students in faculty-only rooms or asking for a series; 409 booking_conflict names the booking in the way (for a series, its date; nothing is booked); 409 room_closed names the room's closure and its reason; 409 room_out_of_order while a technician has marked the room out of order on a maintenance ticket that is not yet resolved. In a room that requires approval (approval_required) the booking is made as a request: status pending, holding the slot and counting toward your limits until its approver (or an admin) decides or approval.decide_by passes; you and the approver are told.",
            "requestBody": {"required": true, "content": {"application/json": {"schema": {"$ref": "#/components/schemas/CreateBooking"}}}},
            "responses": {
              "201": {"description": "Booked: the booking, or for repeat_weeks the series", "content": {"application/json": {"schema": {
                "oneOf": [{"$ref": "#/components/schemas/Booking"}, {"$ref": "#/components/schemas/Series"}]}}}},
              "400": {"$ref": "#/components/responses/BadRequest"}, "401": {"$ref": "#/components/responses/Unauthorized"}, "503": {"$ref": "#/components/responses/ServiceUnavailable"},
              "403": {"$ref": "#/components/responses/Forbidden"}, "409": {"$ref": "#/components/responses/Conflict"},
              "413": {"$ref": "#/components/responses/ContentTooLarge"}, "422": {"$ref": "#/components/responses/Unprocessable"}}}
        },
        "/bookings/available": {
          "get": {"summary": "Free and taken slots of a day (anyone signed in)", "operationId": "availability",
            "description": "With room_id: that room's slots. Without: every room with its slots. A slot that has already begun is not available. Paged like every list: by slot with room_id, by room without.",
            "parameters": [{"$ref": "#/components/parameters/Limit"}, {"$ref": "#/components/parameters/Offset"},
              {"name": "room_id", "in": "query", "description": "A room id (422 if not one, 404 if no such room)", "schema": {"anyOf": [{"type": "integer", "minimum": 0}, {"type": "string", "pattern": "^[0-9]{1,19}$"}]}},
              {"name": "date", "in": "query", "description": "Default: today on the campus clock", "schema": {"type": "string", "format": "date"}}],
            "responses": {
              "200": {"description": "Slots", "headers": {"X-Total-Count": {"$ref": "#/components/headers/TotalCount"}}, "content": {"application/json": {"schema": {"anyOf": [
                {"type": "array", "items": {"$ref": "#/components/schemas/Slot"}},
                {"type": "array", "items": {"$ref": "#/components/schemas/RoomSlots"}}]}}}},
              "401": {"$ref": "#/components/responses/Unauthorized"}, "503": {"$ref": "#/components/responses/ServiceUnavailable"}, "403": {"$ref": "#/components/responses/Forbidden"},
              "404": {"$ref": "#/components/responses/NotFound"}, "422": {"$ref": "#/components/responses/Unprocessable"}}}
        },
        "/bookings/limits": {
          "get": {"summary": "Your booking limits and how many upcoming bookings you hold (students and faculty)", "operationId": "bookingLimits",
            "responses": {
              "200": {"description": "The limits", "content": {"application/json": {"schema": {"type": "object",
                "required": ["max_minutes", "days_ahead", "max_upcoming", "upcoming", "faculty_only_rooms", "series"], "properties": {
                "max_minutes": {"type": "integer", "description": "Longest booking"}, "days_ahead": {"type": "integer", "description": "How far ahead a booking's date may be"},
                "max_upcoming": {"type": "integer", "description": "Upcoming bookings at once"}, "upcoming": {"type": "integer", "description": "Your confirmed bookings that have not ended"},
                "faculty_only_rooms": {"type": "boolean"}, "series": {"type": "boolean", "description": "Whether you may book weekly series"}}}}}},
              "401": {"$ref": "#/components/responses/Unauthorized"}, "503": {"$ref": "#/components/responses/ServiceUnavailable"}, "403": {"$ref": "#/components/responses/Forbidden"}}}
        },
        "/bookings/reminders": {
          "get": {"summary": "How long before each of your bookings you are reminded (students and faculty)", "operationId": "getReminders",
            "description": "A notice (and e-mail, as your booking-update e-mail preference says) that long before each booking starts: 60 minutes unless you chose otherwise, null for none. A booking made or moved inside that time gets none; a moved booking is reminded of again.",
            "responses": {
              "200": {"description": "Your choice", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Reminders"}}}},
              "401": {"$ref": "#/components/responses/Unauthorized"}, "503": {"$ref": "#/components/responses/ServiceUnavailable"}, "403": {"$ref": "#/components/responses/Forbidden"}}},
          "put": {"summary": "Choose how long before your bookings you are reminded, or null for no reminders", "operationId": "setReminders",
            "requestBody": {"required": true, "content": {"application/json": {"schema": {"$ref": "#/components/schemas/SetReminders"}}}},
            "responses": {
              "200": {"description": "Your choice", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Reminders"}}}},
              "400": {"$ref": "#/components/responses/BadRequest"}, "401": {"$ref": "#/components/responses/Unauthorized"}, "503": {"$ref": "#/components/responses/ServiceUnavailable"},
              "403": {"$ref": "#/components/responses/Forbidden"}, "413": {"$ref": "#/components/responses/ContentTooLarge"}, "422": {"$ref": "#/components/responses/Unprocessable"}}}
        },
        "/bookings/waitlist": {
          "post": {"summary": "Wait for a taken slot: be told, or booked, if it frees up (students and faculty)", "operationId": "joinWaitlist",
            "description": "Checked as a booking of the slot would be (grid, length, advance, faculty-only rooms). 409 slot_free when nobody holds it (book it instead), slot_yours when you do, already_waiting when you are in line for it (or an overlapping slot of the room), waitlist_limit past 10 lines at once. When the slot is free again (cancelled, released for want of a check-in, moved away) the service's own sweep (every RELEASE_CHECK_SECONDS; once however many replicas sweep) serves the first in line: with auto_book the booking is made for them under their own limits (and they get the usual Booking confirmed notice), otherwise, or if their limits refuse it, an 'A room you waited for is free' notice. The next in line is served only if the slot is still free 10 minutes later.",
            "requestBody": {"required": true, "content": {"application/json": {"schema": {"$ref": "#/components/schemas/JoinWaitlist"}}}},
            "responses": {
              "201": {"description": "In line", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/WaitlistEntry"}}}},
              "400": {"$ref": "#/components/responses/BadRequest"}, "401": {"$ref": "#/components/responses/Unauthorized"}, "503": {"$ref": "#/components/responses/ServiceUnavailable"},
              "403": {"$ref": "#/components/responses/Forbidden"}, "409": {"$ref": "#/components/responses/Conflict"},
              "413": {"$ref": "#/components/responses/ContentTooLarge"}, "422": {"$ref": "#/components/responses/Unprocessable"}}},
          "get": {"summary": "The slots you wait for (not yet ended), earliest first, with your place in line", "operationId": "listWaitlist",
            "parameters": [{"$ref": "#/components/parameters/Limit"}, {"$ref": "#/components/parameters/Offset"}],
            "responses": {
              "200": {"description": "Your lines", "headers": {"X-Total-Count": {"$ref": "#/components/headers/TotalCount"}},
                "content": {"application/json": {"schema": {"type": "array", "items": {"$ref": "#/components/schemas/WaitlistEntry"}}}}},
              "400": {"$ref": "#/components/responses/BadRequest"}, "401": {"$ref": "#/components/responses/Unauthorized"}, "503": {"$ref": "#/components/responses/ServiceUnavailable"},
              "403": {"$ref": "#/components/responses/Forbidden"}, "422": {"$ref": "#/components/responses/Unprocessable"}}}
        },
        "/bookings/waitlist/{entry_id}": {
          "parameters": [{"name": "entry_id", "in": "path", "required": true, "description": "The id of your entry (GET /bookings/waitlist)", "schema": {"anyOf": [{"type": "integer", "minimum": 0}, {"type": "string", "pattern": "^[0-9]{1,19}$"}]}}],
          "delete": {"summary": "Leave a line (or forget a served entry)", "operationId": "leaveWaitlist",
            "responses": {
              "204": {"description": "Left"},
              "401": {"$ref": "#/components/responses/Unauthorized"}, "503": {"$ref": "#/components/responses/ServiceUnavailable"}, "403": {"$ref": "#/components/responses/Forbidden"},
              "404": {"$ref": "#/components/responses/NotFound"}}}
        },
        "/bookings/calendar.ics": {
          "get": {"summary": "Your confirmed bookings as an iCalendar (RFC 5545) feed", "operationId": "calendar",
            "responses": {
              "200": {"description": "text/calendar; times in UTC", "content": {"text/calendar": {"schema": {"type": "string"}}}},
              "401": {"$ref": "#/components/responses/Unauthorized"}, "503": {"$ref": "#/components/responses/ServiceUnavailable"}, "403": {"$ref": "#/components/responses/Forbidden"}}}
        },
        "/bookings/feed": {
          "get": {"summary": "Your secret calendar subscription address (made on first use)", "operationId": "calendarFeed",
            "description": "Calendar apps subscribe to the address without a token: the secret in it is the key. Build the full address from the gateway's origin (https://campus.example.edu + path, or webcal://campus.example.edu + path). Faculty and admins also get a template for any room's calendar.",
            "responses": {
              "200": {"description": "The address", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/CalendarFeed"}}}},
              "401": {"$ref": "#/components/responses/Unauthorized"}, "503": {"$ref": "#/components/responses/ServiceUnavailable"}, "403": {"$ref": "#/components/responses/Forbidden"}}}
        },
        "/bookings/feed/reset": {
          "post": {"summary": "Replace your calendar subscription address: the old one stops working at once", "operationId": "resetCalendarFeed",
            "responses": {
              "200": {"description": "The new address", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/CalendarFeed"}}}},
              "401": {"$ref": "#/components/responses/Unauthorized"}, "503": {"$ref": "#/components/responses/ServiceUnavailable"}, "403": {"$ref": "#/components/responses/Forbidden"}}}
        },
        "/calendar/{feed}": {
          "parameters": [{"name": "feed", "in": "path", "required": true, "description": "<secret>.ics, from GET /bookings/feed", "schema": {"type": "string"}}],
          "get": {"summary": "A subscribed calendar: the owner's bookings from 30 days ago on, cancelled ones marked cancelled (no token)", "operationId": "subscribedCalendar", "security": [],
            "responses": {
              "200": {"description": "text/calendar (RFC 5545) with REFRESH-INTERVAL and X-PUBLISHED-TTL; stable UIDs, SEQUENCE 1 once cancelled", "content": {"text/calendar": {"schema": {"type": "string"}}}},
              "404": {"$ref": "#/components/responses/NotFound"}, "503": {"$ref": "#/components/responses/ServiceUnavailable"}}},
          "head": {"summary": "The headers of the subscribed calendar, without its body", "operationId": "subscribedCalendarHead", "security": [],
            "responses": {"200": {"description": "text/calendar, no body"}, "404": {"description": "No calendar at this address (no body)"},
              "503": {"description": "The database is unavailable (no body)"}}}
        },
        "/calendar/{feed}/rooms/{room}": {
          "parameters": [
            {"name": "feed", "in": "path", "required": true, "description": "The secret of a faculty member's or admin's address", "schema": {"type": "string"}},
            {"name": "room", "in": "path", "required": true, "description": "<room id>.ics", "schema": {"type": "string"}}],
          "get": {"summary": "A subscribed room calendar: when the room is booked, without who or why (no token)", "operationId": "subscribedRoomCalendar", "security": [],
            "responses": {
              "200": {"description": "text/calendar (RFC 5545)", "content": {"text/calendar": {"schema": {"type": "string"}}}},
              "403": {"$ref": "#/components/responses/Forbidden"}, "404": {"$ref": "#/components/responses/NotFound"}, "503": {"$ref": "#/components/responses/ServiceUnavailable"}}},
          "head": {"summary": "The headers of a subscribed room calendar, without its body", "operationId": "subscribedRoomCalendarHead", "security": [],
            "responses": {"200": {"description": "text/calendar, no body"}, "403": {"description": "Not a faculty member's or admin's address (no body)"},
              "404": {"description": "No calendar at this address, or no such room (no body)"}, "503": {"description": "The database is unavailable (no body)"}}}
        },
        "/bookings/{id}": {
          "parameters": [{"$ref": "#/components/parameters/IdPath"}],
          "get": {"summary": "One of your bookings", "operationId": "getBooking",
            "responses": {
              "200": {"description": "The booking", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Booking"}}}},
              "401": {"$ref": "#/components/responses/Unauthorized"}, "503": {"$ref": "#/components/responses/ServiceUnavailable"}, "403": {"$ref": "#/components/responses/Forbidden"},
              "404": {"$ref": "#/components/responses/NotFound"}}},
          "delete": {"summary": "Cancel one of your bookings (again: 204, no change)", "operationId": "cancelBooking",
            "responses": {
              "204": {"description": "Cancelled"},
              "401": {"$ref": "#/components/responses/Unauthorized"}, "503": {"$ref": "#/components/responses/ServiceUnavailable"}, "403": {"$ref": "#/components/responses/Forbidden"},
              "404": {"$ref": "#/components/responses/NotFound"},
              "409": {"description": "The booking has already begun (booking_started)", "content": {"application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}}}}},
          "patch": {"summary": "Change one of your bookings: move it to another slot, day or room, or change its purpose", "operationId": "changeBooking",
            "description": "Atomic: the old slot is given up only in the same step that secures the new one. Fields left out keep the booking's own; a field the request does not take is refused (422 naming it). The result is checked like a new booking (422 validation_error naming the field, 422 booking_limit, 403 role_not_allowed for a faculty-only room) and refused with 409 booking_conflict when the new slot is taken, 409 room_closed when the room is closed then, 409 room_out_of_order when it would move into a room out of order or to another time in it (its purpose may still change). For a booking of a weekly series, apply_to \"following\" changes it and the series' later confirmed bookings, all or none: a new date moves each by the same number of days, and each gets the other fields sent while keeping its own for the rest (a week moved on its own keeps its room and times unless they are sent). 409 booking_started once it has begun, booking_cancelled once cancelled, booking_changed if another request changed it at the same moment. A pending request may be changed too; moving a booking into, or within, a room that requires approval makes it a new request (pending, a new decide_by), and moving a request into a room without approval confirms it. The booker is told (notice, and e-mail with the updated invitation where e-mail is set up); calendars holding it see the change (same UID, higher SEQUENCE).",
            "requestBody": {"required": true, "content": {"application/json": {"schema": {"$ref": "#/components/schemas/ChangeBooking"}}}},
            "responses": {
              "200": {"description": "Changed: the booking, or with apply_to following the changed bookings of the series", "content": {"application/json": {"schema": {
                "oneOf": [{"$ref": "#/components/schemas/Booking"}, {"$ref": "#/components/schemas/Series"}]}}}},
              "400": {"$ref": "#/components/responses/BadRequest"}, "401": {"$ref": "#/components/responses/Unauthorized"}, "503": {"$ref": "#/components/responses/ServiceUnavailable"},
              "403": {"$ref": "#/components/responses/Forbidden"}, "404": {"$ref": "#/components/responses/NotFound"}, "409": {"$ref": "#/components/responses/Conflict"},
              "413": {"$ref": "#/components/responses/ContentTooLarge"}, "422": {"$ref": "#/components/responses/Unprocessable"}}}
        },
        "/bookings/{id}/check-in": {
          "parameters": [{"$ref": "#/components/parameters/IdPath"}],
          "post": {"summary": "Check in to one of your bookings in a room that requires it (again: 200, no change)", "operationId": "checkIn",
            "description": "Open from CHECK_IN_MINUTES before the start until as long after it, or halfway through if sooner (the booking's check_in.opens_at and closes_at); a booking nobody checked in to by then is released for others and its owner told. 409 check_in_not_open before, check_in_closed after, check_in_not_required for a booking whose room did not require it, booking_cancelled once cancelled or released, booking_pending while it waits for approval.",
            "responses": {
              "200": {"description": "Checked in", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Booking"}}}},
              "401": {"$ref": "#/components/responses/Unauthorized"}, "503": {"$ref": "#/components/responses/ServiceUnavailable"}, "403": {"$ref": "#/components/responses/Forbidden"},
              "404": {"$ref": "#/components/responses/NotFound"}, "409": {"$ref": "#/components/responses/Conflict"}}}
        },
        "/bookings/approvals": {
          "get": {"summary": "The pending requests you may decide (admins: every room's; faculty: the rooms naming them approver), the nearest deadline first", "operationId": "approvalQueue",
            "parameters": [{"$ref": "#/components/parameters/Limit"}, {"$ref": "#/components/parameters/Offset"}],
            "responses": {
              "200": {"description": "A page of requests (each with approval.requested_by)", "headers": {"X-Total-Count": {"$ref": "#/components/headers/TotalCount"}},
                "content": {"application/json": {"schema": {"type": "array", "items": {"$ref": "#/components/schemas/Booking"}}}}},
              "401": {"$ref": "#/components/responses/Unauthorized"}, "503": {"$ref": "#/components/responses/ServiceUnavailable"}, "403": {"$ref": "#/components/responses/Forbidden"},
              "422": {"$ref": "#/components/responses/Unprocessable"}}}
        },
        "/bookings/{id}/approve": {
          "parameters": [{"$ref": "#/components/parameters/IdPath"}],
          "post": {"summary": "Approve a request (the room's approver, or an admin): it becomes confirmed", "operationId": "approveBooking",
            "description": "The body may be empty. 403 for anyone who does not decide the room's requests; 409 not_pending once it is confirmed, declined, withdrawn or expired; 409 booking_changed if it changed at the same moment. The booker is told (notice, and e-mail with the invitation where set up); calendars holding it as TENTATIVE see it CONFIRMED (higher SEQUENCE).",
            "requestBody": {"required": false, "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Decision"}}}},
            "responses": {
              "200": {"description": "Approved: the booking, or with apply_to series the series' approved bookings", "content": {"application/json": {"schema": {
                "oneOf": [{"$ref": "#/components/schemas/Booking"}, {"$ref": "#/components/schemas/Series"}]}}}},
              "400": {"$ref": "#/components/responses/BadRequest"}, "401": {"$ref": "#/components/responses/Unauthorized"}, "503": {"$ref": "#/components/responses/ServiceUnavailable"},
              "403": {"$ref": "#/components/responses/Forbidden"}, "404": {"$ref": "#/components/responses/NotFound"}, "409": {"$ref": "#/components/responses/Conflict"},
              "413": {"$ref": "#/components/responses/ContentTooLarge"}, "422": {"$ref": "#/components/responses/Unprocessable"}}}
        },
        "/bookings/{id}/decline": {
          "parameters": [{"$ref": "#/components/parameters/IdPath"}],
          "post": {"summary": "Decline a request with a reason its booker is told (the room's approver, or an admin): the slot is free again", "operationId": "declineBooking",
            "description": "The booking becomes cancelled (cancelled_by approver, cancel_reason 'Declined by <name>: <reason>'); the waiting list of the slot is served by the next sweep. 403, 409 as for approve.",
            "requestBody": {"required": true, "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Decision"}}}},
            "responses": {
              "200": {"description": "Declined: the booking, or with apply_to series the series' declined bookings", "content": {"application/json": {"schema": {
                "oneOf": [{"$ref": "#/components/schemas/Booking"}, {"$ref": "#/components/schemas/Series"}]}}}},
              "400": {"$ref": "#/components/responses/BadRequest"}, "401": {"$ref": "#/components/responses/Unauthorized"}, "503": {"$ref": "#/components/responses/ServiceUnavailable"},
              "403": {"$ref": "#/components/responses/Forbidden"}, "404": {"$ref": "#/components/responses/NotFound"}, "409": {"$ref": "#/components/responses/Conflict"},
              "413": {"$ref": "#/components/responses/ContentTooLarge"}, "422": {"$ref": "#/components/responses/Unprocessable"}}}
        },
        "/bookings/{id}/cancel": {
          "parameters": [{"$ref": "#/components/parameters/IdPath"}],
          "post": {"summary": "Cancel anyone's booking with a reason its owner is told (admin)", "operationId": "adminCancelBooking",
            "description": "For a closure, or a room being removed. The owner gets a notice (and e-mail where set up) with the reason, which the booking keeps as cancel_reason. Cancelling a cancelled booking again answers it as it is; one that has begun is 409 booking_started.",
            "requestBody": {"required": true, "content": {"application/json": {"schema": {"$ref": "#/components/schemas/CancelBooking"}}}},
            "responses": {
              "200": {"description": "Cancelled", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Booking"}}}},
              "400": {"$ref": "#/components/responses/BadRequest"}, "401": {"$ref": "#/components/responses/Unauthorized"}, "503": {"$ref": "#/components/responses/ServiceUnavailable"},
              "403": {"$ref": "#/components/responses/Forbidden"}, "404": {"$ref": "#/components/responses/NotFound"}, "409": {"$ref": "#/components/responses/Conflict"},
              "413": {"$ref": "#/components/responses/ContentTooLarge"}, "422": {"$ref": "#/components/responses/Unprocessable"}}}
        },
        "/bookings/series/{series_id}": {
          "parameters": [{"name": "series_id", "in": "path", "required": true, "schema": {"type": "string"}}],
          "delete": {"summary": "Cancel the bookings of your series that have not begun", "operationId": "cancelSeries",
            "responses": {
              "204": {"description": "Cancelled"},
              "401": {"$ref": "#/components/responses/Unauthorized"}, "503": {"$ref": "#/components/responses/ServiceUnavailable"}, "403": {"$ref": "#/components/responses/Forbidden"},
              "404": {"$ref": "#/components/responses/NotFound"}}}
        }
        """#
}
