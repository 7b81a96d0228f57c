extension BookingOpenAPI {
    static let schemas = #"""
        "Room": {"type": "object", "required": ["id", "name", "building", "capacity", "features", "faculty_only", "check_in_required", "approval_required", "approver"], "properties": {
          "id": {"type": "integer"}, "name": {"type": "string"}, "building": {"type": "string"},
          "capacity": {"type": "integer", "minimum": 1}, "features": {"type": "array", "items": {"type": "string"}},
          "faculty_only": {"type": "boolean", "description": "Lecture halls and labs: students cannot book them"},
          "check_in_required": {"type": "boolean", "description": "Bookings made from now on must be checked in to (POST /bookings/{id}/check-in) within CHECK_IN_MINUTES of their start, or they are released"},
          "approval_required": {"type": "boolean", "description": "Bookings by anyone but its approver are requests (status pending) that hold the slot until the approver (or, with none named, an admin) decides, or until APPROVAL_HOURS pass (sooner if the booking starts sooner) and they expire"},
          "approver": {"oneOf": [{"type": "null"}, {"$ref": "#/components/schemas/Approver"}], "description": "The named approver; null: any admin decides"}}},
        "Approver": {"type": "object", "additionalProperties": false, "required": ["id", "name"], "properties": {
          "id": {"$ref": "#/components/schemas/Id"}, "name": {"type": "string"}}},
        "CreateRoom": {"type": "object", "required": ["name", "building", "capacity"], "properties": {
          "name": {"type": "string", "minLength": 1, "maxLength": 100, "description": "Unique"},
          "building": {"type": "string", "minLength": 1, "maxLength": 100},
          "capacity": {"type": "integer", "minimum": 1, "maximum": 5000},
          "features": {"type": "array", "maxItems": 20, "items": {"type": "string"}, "description": "Stored lower-case with underscores (Video conferencing → video_conferencing)"},
          "faculty_only": {"type": "boolean", "default": false},
          "check_in_required": {"type": "boolean", "default": false},
          "approval_required": {"type": "boolean", "default": false},
          "approver_id": {"oneOf": [{"type": "null"}, {"$ref": "#/components/schemas/IdInput"}], "description": "With approval_required true: a faculty member or admin who decides the room's requests (422 for anyone else); null or left out: any admin"}}},
        "UpdateRoom": {"type": "object", "properties": {
          "name": {"type": "string", "minLength": 1, "maxLength": 100}, "building": {"type": "string", "minLength": 1, "maxLength": 100},
          "capacity": {"type": "integer", "minimum": 1, "maximum": 5000}, "features": {"type": "array", "items": {"type": "string"}},
          "faculty_only": {"type": "boolean"},
          "check_in_required": {"type": "boolean", "description": "Applies to bookings made or moved from now on; those already made keep the rule they were made under"},
          "approval_required": {"type": "boolean", "description": "Applies to bookings made or moved from now on; requests already pending still wait for a decision (an admin may decide them)"},
          "approver_id": {"oneOf": [{"type": "null"}, {"$ref": "#/components/schemas/IdInput"}], "description": "Only with approval_required true (422 otherwise): a faculty member or admin; null: any admin; left out: the approver stays as it is"}}},
        "BookingStatus": {"type": "string", "enum": ["pending", "confirmed", "cancelled"], "description": "pending: a request for a room that requires approval, holding its slot until decided"},
        "CalendarFeed": {"type": "object", "additionalProperties": false, "required": ["path", "room_path_template", "refresh_minutes", "created_at"], "properties": {
          "path": {"type": "string", "pattern": "^/calendar/[A-Za-z0-9_-]{43}\\.ics$", "description": "Your bookings; prefix it with the gateway's origin"},
          "room_path_template": {"type": ["string", "null"], "description": "Faculty and admins: a room's calendar, {room_id} replaced by its id; null for students"},
          "refresh_minutes": {"type": "integer", "description": "How often calendar apps are asked to fetch it again"},
          "created_at": {"type": "string", "format": "date-time"}}},
        "Booking": {"type": "object", "required": ["id", "room_id", "user_id", "date", "start_time", "end_time", "purpose", "status", "series_id", "created_at", "updated_at", "cancel_reason", "cancelled_by", "check_in", "approval"], "properties": {
          "id": {"type": "integer"}, "room_id": {"$ref": "#/components/schemas/Id"}, "user_id": {"$ref": "#/components/schemas/Id"},
          "date": {"type": "string", "format": "date"}, "start_time": {"type": "string", "pattern": "^[0-2][0-9]:[0-5][0-9]$"},
          "end_time": {"type": "string", "pattern": "^[0-2][0-9]:[0-5][0-9]$"}, "purpose": {"type": "string"},
          "status": {"$ref": "#/components/schemas/BookingStatus"}, "series_id": {"type": ["string", "null"]},
          "created_at": {"type": "string", "format": "date-time"},
          "updated_at": {"type": ["string", "null"], "format": "date-time", "description": "When its room, times or purpose last changed; null if never"},
          "cancel_reason": {"type": ["string", "null"], "description": "Why an admin cancelled it (POST /bookings/{id}/cancel), why its approver declined it, or that it was released because nobody checked in or expired because nobody decided; null otherwise"},
          "cancelled_by": {"type": ["string", "null"], "enum": ["owner", "admin", "approver", "no_check_in", "no_decision", null], "description": "Who ended it: its owner, an admin, its approver (declined), release because nobody checked in, or expiry because nobody decided; null while it holds its slot"},
          "check_in": {"oneOf": [{"type": "null"}, {"$ref": "#/components/schemas/CheckIn"}], "description": "null when its room did not require check-in when it was made or moved"},
          "approval": {"oneOf": [{"type": "null"}, {"$ref": "#/components/schemas/Approval"}], "description": "null when its room did not require approval when it was made or moved"}}},
        "Approval": {"type": "object", "additionalProperties": false, "required": ["decide_by", "requested_by", "decided_at", "decided_by"], "properties": {
          "decide_by": {"type": "string", "format": "date-time", "description": "Undecided by then, the request expires (cancelled_by no_decision) and its booker is told"},
          "requested_by": {"type": "object", "additionalProperties": false, "required": ["name", "email"], "properties": {"name": {"type": "string"}, "email": {"type": "string"}}},
          "decided_at": {"type": ["string", "null"], "format": "date-time"},
          "decided_by": {"type": ["string", "null"], "description": "The name of who approved or declined it"}}},
        "Decision": {"type": "object", "additionalProperties": false, "properties": {
          "apply_to": {"type": "string", "enum": ["this", "series"], "default": "this", "description": "series: every pending booking of the request's weekly series, all or none"},
          "reason": {"type": "string", "minLength": 1, "maxLength": 500, "description": "Required to decline (what the booker is told); refused when approving"}}},
        "CheckIn": {"type": "object", "additionalProperties": false, "required": ["opens_at", "closes_at", "checked_in_at"], "properties": {
          "opens_at": {"type": "string", "format": "date-time", "description": "CHECK_IN_MINUTES before the start"},
          "closes_at": {"type": "string", "format": "date-time", "description": "CHECK_IN_MINUTES after the start, or halfway through the booking if sooner: not checked in by then, the booking is released (cancelled, cancel_reason saying so; its owner is told)"},
          "checked_in_at": {"type": ["string", "null"], "format": "date-time"}}},
        "JoinWaitlist": {"type": "object", "additionalProperties": false, "required": ["room_id", "date", "start_time", "end_time"], "properties": {
          "room_id": {"$ref": "#/components/schemas/IdInput"}, "date": {"type": "string", "format": "date"},
          "start_time": {"type": "string", "pattern": "^[0-2][0-9]:[0-5][0-9]$"}, "end_time": {"type": "string", "pattern": "^[0-2][0-9]:[0-5][0-9]$"},
          "purpose": {"type": "string", "maxLength": 200, "description": "The booking's purpose if one is made for you (default 'Booked from the waiting list')"},
          "auto_book": {"type": "boolean", "default": false, "description": "When it frees up and you are first in line, book it for you (under your limits then)"}}},
        "WaitlistEntry": {"type": "object", "additionalProperties": false, "required": ["id", "room_id", "date", "start_time", "end_time", "purpose", "auto_book", "status", "position", "created_at", "served_at", "booking_id"], "properties": {
          "id": {"type": "integer"}, "room_id": {"$ref": "#/components/schemas/Id"}, "date": {"type": "string", "format": "date"},
          "start_time": {"type": "string"}, "end_time": {"type": "string"}, "purpose": {"type": "string"}, "auto_book": {"type": "boolean"},
          "status": {"type": "string", "enum": ["waiting", "offered", "booked"], "description": "offered: you were told it is free; booked: it was booked for you (booking_id). Entries whose slot has ended are not listed"},
          "position": {"type": ["integer", "null"], "minimum": 1, "description": "Your place in line while waiting; null once served"},
          "created_at": {"type": "string", "format": "date-time"}, "served_at": {"type": ["string", "null"], "format": "date-time"},
          "booking_id": {"oneOf": [{"type": "null"}, {"$ref": "#/components/schemas/Id"}]}}},
        "Reminders": {"type": "object", "additionalProperties": false, "required": ["minutes_before", "choices"], "properties": {
          "minutes_before": {"type": ["integer", "null"], "enum": [15, 30, 60, 120, 1440, null], "description": "null: no reminders"},
          "choices": {"type": "array", "items": {"type": "integer"}}}},
        "SetReminders": {"type": "object", "additionalProperties": false, "required": ["minutes_before"], "properties": {
          "minutes_before": {"type": ["integer", "null"], "enum": [15, 30, 60, 120, 1440, null]}}},
        "CancelBooking": {"type": "object", "required": ["reason"], "additionalProperties": false, "properties": {
          "reason": {"type": "string", "minLength": 1, "maxLength": 500, "description": "What the owner is told"}}},
        "CreateClosure": {"type": "object", "required": ["from_date", "to_date", "reason"], "additionalProperties": false, "properties": {
          "from_date": {"type": "string", "format": "date", "description": "The first closed day (campus calendar)"},
          "to_date": {"type": "string", "format": "date", "description": "The last closed day: not before from_date, not in the past, at most 366 days after it"},
          "reason": {"type": "string", "minLength": 1, "maxLength": 500, "description": "Shown to whoever tries to book it"}}},
        "Closure": {"type": "object", "required": ["id", "room_id", "from_date", "to_date", "reason", "created_by", "created_at", "bookings"], "properties": {
          "id": {"type": "integer"}, "room_id": {"type": "integer"}, "from_date": {"type": "string", "format": "date"}, "to_date": {"type": "string", "format": "date"},
          "reason": {"type": "string"}, "created_by": {"$ref": "#/components/schemas/Id"}, "created_at": {"type": "string", "format": "date-time"},
          "bookings": {"type": "array", "description": "Confirmed bookings still inside it", "items": {"$ref": "#/components/schemas/Booking"}}}},
        "ChangeBooking": {"type": "object", "minProperties": 1, "additionalProperties": false, "properties": {
          "room_id": {"$ref": "#/components/schemas/IdInput"}, "date": {"type": "string", "format": "date"},
          "start_time": {"type": "string", "description": "HH:MM, the start of a slot"}, "end_time": {"type": "string", "description": "HH:MM, the end of a slot"},
          "purpose": {"type": "string", "minLength": 1, "maxLength": 200},
          "apply_to": {"type": "string", "enum": ["this", "following"], "default": "this", "description": "For a booking of a weekly series: this one only, or it and the series' later bookings"}},
          "description": "Any of the fields; those left out keep the booking's own. At least one of room_id, date, start_time, end_time and purpose."},
        "CreateBooking": {"type": "object", "required": ["room_id", "date", "start_time", "end_time", "purpose"], "properties": {
          "room_id": {"$ref": "#/components/schemas/IdInput"}, "date": {"type": "string", "format": "date"},
          "start_time": {"type": "string", "description": "HH:MM, the start of a slot"}, "end_time": {"type": "string", "description": "HH:MM, the end of a slot"},
          "purpose": {"type": "string", "minLength": 1, "maxLength": 200},
          "repeat_weeks": {"type": "integer", "minimum": 2, "maximum": 15, "description": "Faculty only: this many weekly bookings, the first included, all or nothing. The first must lie within the advance limit."}}},
        "Series": {"type": "object", "required": ["series_id", "bookings"], "properties": {
          "series_id": {"type": "string"}, "bookings": {"type": "array", "items": {"$ref": "#/components/schemas/Booking"}}}},
        "Slot": {"type": "object", "required": ["start_time", "end_time", "available"], "properties": {
          "start_time": {"type": "string"}, "end_time": {"type": "string"}, "available": {"type": "boolean"}}},
        "RoomSlots": {"type": "object", "required": ["room_id", "room_name", "slots"], "properties": {
          "room_id": {"type": "integer"}, "room_name": {"type": "string"},
          "slots": {"type": "array", "items": {"$ref": "#/components/schemas/Slot"}}}}
        """#
}
