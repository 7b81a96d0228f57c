import CampusKit

/// OpenAPI 3.1 of user management.
enum UserOpenAPI {
    static let document = OpenAPIDocument.make(
        service: .users,
        description: "Accounts, password hashes and roles. Admins manage everyone; every user reads and updates their own record.",
        paths: #"""
            "/users": {
              "get": {"summary": "List users (admins; services, to find whom a role's e-mail goes to)", "operationId": "listUsers",
                "parameters": [{"$ref": "#/components/parameters/Limit"}, {"$ref": "#/components/parameters/Offset"},
                  {"name": "role", "in": "query", "schema": {"$ref": "#/components/schemas/Role"}},
                  {"name": "q", "in": "query", "description": "Search: every word must appear, case-insensitively, in the name or the email", "schema": {"type": "string"}}],
                "responses": {
                  "200": {"description": "A page of users", "headers": {"X-Total-Count": {"$ref": "#/components/headers/TotalCount"}},
                    "content": {"application/json": {"schema": {"type": "array", "items": {"$ref": "#/components/schemas/User"}}}}},
                  "401": {"$ref": "#/components/responses/Unauthorized"}, "503": {"$ref": "#/components/responses/ServiceUnavailable"}, "403": {"$ref": "#/components/responses/Forbidden"},
                  "422": {"$ref": "#/components/responses/Unprocessable"}}},
              "post": {"summary": "Create a user (admin)", "operationId": "createUser",
                "requestBody": {"required": true, "content": {"application/json": {"schema": {"$ref": "#/components/schemas/CreateUser"}}}},
                "responses": {
                  "201": {"description": "Created", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/User"}}}},
                  "400": {"$ref": "#/components/responses/BadRequest"}, "401": {"$ref": "#/components/responses/Unauthorized"}, "503": {"$ref": "#/components/responses/ServiceUnavailable"},
                  "403": {"$ref": "#/components/responses/Forbidden"}, "409": {"$ref": "#/components/responses/Conflict"},
                  "413": {"$ref": "#/components/responses/ContentTooLarge"}, "422": {"$ref": "#/components/responses/Unprocessable"}}}
            },
            "/users/{id}": {
              "parameters": [{"$ref": "#/components/parameters/IdPath"}],
              "get": {"summary": "Read a user (admin, or your own record)", "operationId": "getUser",
                "responses": {
                  "200": {"description": "The user", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/User"}}}},
                  "401": {"$ref": "#/components/responses/Unauthorized"}, "503": {"$ref": "#/components/responses/ServiceUnavailable"}, "404": {"$ref": "#/components/responses/NotFound"}}},
              "put": {"summary": "Update a user (admin, or your own name and password)", "operationId": "updateUser",
                "requestBody": {"required": true, "content": {"application/json": {"schema": {"$ref": "#/components/schemas/UpdateUser"}}}},
                "responses": {
                  "200": {"description": "The updated user", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/User"}}}},
                  "400": {"$ref": "#/components/responses/BadRequest"}, "401": {"$ref": "#/components/responses/Unauthorized"}, "503": {"$ref": "#/components/responses/ServiceUnavailable"},
                  "403": {"$ref": "#/components/responses/Forbidden"}, "404": {"$ref": "#/components/responses/NotFound"},
                  "409": {"$ref": "#/components/responses/Conflict"}, "413": {"$ref": "#/components/responses/ContentTooLarge"},
                  "422": {"$ref": "#/components/responses/Unprocessable"}}},
              "delete": {"summary": "Delete a user (admin; never the last admin)", "operationId": "deleteUser",
                "responses": {
                  "204": {"description": "Deleted"},
                  "401": {"$ref": "#/components/responses/Unauthorized"}, "503": {"$ref": "#/components/responses/ServiceUnavailable"}, "403": {"$ref": "#/components/responses/Forbidden"},
                  "404": {"$ref": "#/components/responses/NotFound"}, "409": {"$ref": "#/components/responses/Conflict"}}}
            },
            "/users/{id}/courses": {
              "parameters": [{"$ref": "#/components/parameters/IdPath"}],
              "get": {"summary": "Your courses saved for the GPA calculator (students and faculty; only your own)", "operationId": "savedCourses",
                "responses": {
                  "200": {"description": "The list as last saved; courses [] and saved_at null (version 0) if never saved", "headers": {"ETag": {"description": "The list's version, \"3\": send it as If-Match to save only over this version", "schema": {"type": "string"}}},
                    "content": {"application/json": {"schema": {"$ref": "#/components/schemas/SavedCourses"}}}},
                  "401": {"$ref": "#/components/responses/Unauthorized"}, "503": {"$ref": "#/components/responses/ServiceUnavailable"},
                  "403": {"$ref": "#/components/responses/Forbidden"}, "404": {"$ref": "#/components/responses/NotFound"}}},
              "put": {"summary": "Replace your saved courses (students and faculty; only your own)", "operationId": "saveCourses",
                "description": "The calculator's rows as left, unfinished ones included: a blank grade or null credits is a row not filled in yet. With If-Match (the ETag of the list read), the save is refused with 412 courses_changed if another device or tab saved since; without it, it replaces whatever is saved. 403 courses_private for an administrator or service naming another user, 403 forbidden for a role without the GPA calculator, 404 for anyone else's id.",
                "parameters": [{"name": "If-Match", "in": "header", "required": false, "schema": {"type": "string"}, "description": "The ETag of the list this save is based on, such as \"3\" (\"0\": never saved)"}],
                "requestBody": {"required": true, "content": {"application/json": {"schema": {"$ref": "#/components/schemas/SaveCourses"}}}},
                "responses": {
                  "200": {"description": "Saved", "headers": {"ETag": {"description": "The new version", "schema": {"type": "string"}}},
                    "content": {"application/json": {"schema": {"$ref": "#/components/schemas/SavedCourses"}}}},
                  "400": {"$ref": "#/components/responses/BadRequest"}, "401": {"$ref": "#/components/responses/Unauthorized"}, "503": {"$ref": "#/components/responses/ServiceUnavailable"},
                  "403": {"$ref": "#/components/responses/Forbidden"}, "404": {"$ref": "#/components/responses/NotFound"},
                  "412": {"description": "courses_changed: saved elsewhere since the If-Match version", "content": {"application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}}},
                  "413": {"$ref": "#/components/responses/ContentTooLarge"}, "422": {"$ref": "#/components/responses/Unprocessable"}}}
            },
            "/internal/credentials/verify": {
              "post": {"summary": "Check an email and password (gateway service token only)", "operationId": "verifyCredentials",
                "requestBody": {"required": true, "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Credentials"}}}},
                "responses": {
                  "200": {"description": "The credentials are right", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/VerifiedUser"}}}},
                  "400": {"$ref": "#/components/responses/BadRequest"}, "401": {"$ref": "#/components/responses/Unauthorized"}, "503": {"$ref": "#/components/responses/ServiceUnavailable"},
                  "403": {"$ref": "#/components/responses/Forbidden"}, "413": {"$ref": "#/components/responses/ContentTooLarge"},
                  "422": {"$ref": "#/components/responses/Unprocessable"}}}
            },
            "/internal/users/{id}/token-validity": {
              "parameters": [{"$ref": "#/components/parameters/IdPath"}],
              "get": {"summary": "Whether the account exists and from when its tokens count (gateway service token only)", "operationId": "tokenValidity",
                "responses": {
                  "200": {"description": "The account exists; tokens issued (iat) before tokens_valid_after are ended", "content": {"application/json": {"schema": {
                    "type": "object", "required": ["tokens_valid_after"], "properties": {"tokens_valid_after": {"type": ["string", "null"], "format": "date-time"}}}}}},
                  "401": {"$ref": "#/components/responses/Unauthorized"}, "503": {"$ref": "#/components/responses/ServiceUnavailable"}, "403": {"$ref": "#/components/responses/Forbidden"},
                  "404": {"$ref": "#/components/responses/NotFound"}}}
            }
            """#,
        schemas: #"""
            "Role": {"type": "string", "enum": ["admin", "faculty", "student", "technician"]},
            "User": {"type": "object", "required": ["id", "email", "name", "role", "created_at"], "properties": {
              "id": {"$ref": "#/components/schemas/Id"}, "email": {"type": "string", "format": "email"}, "name": {"type": "string"},
              "role": {"$ref": "#/components/schemas/Role"}, "created_at": {"type": "string", "format": "date-time"}}},
            "VerifiedUser": {"type": "object", "required": ["id", "email", "name", "role", "created_at", "tokens_valid_after"], "properties": {
              "id": {"$ref": "#/components/schemas/Id"}, "email": {"type": "string", "format": "email"}, "name": {"type": "string"},
              "role": {"$ref": "#/components/schemas/Role"}, "created_at": {"type": "string", "format": "date-time"},
              "tokens_valid_after": {"type": ["string", "null"], "format": "date-time", "description": "Tokens issued before this are ended; new ones start here"}}},
            "CreateUser": {"type": "object", "required": ["email", "name", "password", "role"], "properties": {
              "email": {"type": "string", "format": "email"}, "name": {"type": "string", "minLength": 1, "maxLength": 100},
              "password": {"type": "string", "minLength": 8}, "role": {"$ref": "#/components/schemas/Role"}}},
            "UpdateUser": {"type": "object", "properties": {
              "email": {"type": "string", "format": "email", "description": "Admins only"},
              "name": {"type": "string", "minLength": 1, "maxLength": 100},
              "role": {"$ref": "#/components/schemas/Role"},
              "password": {"type": "string", "minLength": 8},
              "current_password": {"type": "string", "description": "Required when changing your own password"}}},
            "SavedCourse": {"type": "object", "additionalProperties": false, "required": ["name", "grade", "credits", "retake_of"], "properties": {
              "name": {"type": "string", "maxLength": 200},
              "grade": {"type": "string", "description": "A+ to F, P, NP, W or I; empty while not chosen"},
              "credits": {"type": ["number", "null"], "exclusiveMinimum": 0, "maximum": 30},
              "retake_of": {"type": ["integer", "null"], "minimum": 0, "description": "Index of the earlier attempt above it; each attempt retaken at most once"}}},
            "SaveCourses": {"type": "object", "additionalProperties": false, "required": ["courses"], "properties": {
              "courses": {"type": "array", "maxItems": 100, "items": {"type": "object", "additionalProperties": false, "properties": {
                "name": {"type": "string", "maxLength": 200}, "grade": {"type": "string"},
                "credits": {"type": ["number", "null"], "exclusiveMinimum": 0, "maximum": 30},
                "retake_of": {"type": ["integer", "null"], "minimum": 0}}}},
              "previous_gpa": {"type": ["number", "null"], "minimum": 0, "maximum": 4},
              "previous_credits": {"type": ["number", "null"], "minimum": 0}}},
            "SavedCourses": {"type": "object", "additionalProperties": false, "required": ["courses", "previous_gpa", "previous_credits", "saved_at", "version"], "properties": {
              "version": {"type": "integer", "minimum": 0, "description": "How many times it was saved; also its ETag"},
              "courses": {"type": "array", "items": {"$ref": "#/components/schemas/SavedCourse"}},
              "previous_gpa": {"type": ["number", "null"]}, "previous_credits": {"type": ["number", "null"]},
              "saved_at": {"type": ["string", "null"], "format": "date-time"}}},
            "Credentials": {"type": "object", "required": ["email", "password"], "properties": {
              "email": {"type": "string"}, "password": {"type": "string"}}}
            """#
    )
}
