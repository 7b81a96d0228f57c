import CampusKit

/// OpenAPI 3.1 of the GPA calculator.
enum GPAOpenAPI {
    static let document = OpenAPIDocument.make(
        service: .gpa,
        description: "Stateless GPA arithmetic in exact decimals, rounded half-up to 2 decimals. Students and faculty.",
        paths: #"""
            "/scale": {
              "get": {"summary": "The grade scale", "operationId": "scale",
                "parameters": [{"$ref": "#/components/parameters/Limit"}, {"$ref": "#/components/parameters/Offset"}],
                "responses": {
                  "200": {"description": "Grades and points (null for P, NP, W, I), paged like every list", "headers": {"X-Total-Count": {"$ref": "#/components/headers/TotalCount"}},
                    "content": {"application/json": {"schema": {"type": "array", "items": {"$ref": "#/components/schemas/ScaleEntry"}}}}},
                  "401": {"$ref": "#/components/responses/Unauthorized"}, "403": {"$ref": "#/components/responses/Forbidden"},
                  "422": {"$ref": "#/components/responses/Unprocessable"}}}
            },
            "/calculate": {
              "post": {"summary": "GPA of a list of courses, and the cumulative GPA", "operationId": "calculate",
                "requestBody": {"required": true, "content": {"application/json": {"schema": {"$ref": "#/components/schemas/CalculateRequest"}}}},
                "responses": {
                  "200": {"description": "The result", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/CalculateResponse"}}}},
                  "400": {"$ref": "#/components/responses/BadRequest"}, "401": {"$ref": "#/components/responses/Unauthorized"},
                  "403": {"$ref": "#/components/responses/Forbidden"}, "413": {"$ref": "#/components/responses/ContentTooLarge"},
                  "422": {"$ref": "#/components/responses/Unprocessable"}}}
            },
            "/plan": {
              "post": {"summary": "GPA needed over the remaining credits to reach a target", "operationId": "plan",
                "requestBody": {"required": true, "content": {"application/json": {"schema": {"$ref": "#/components/schemas/PlanRequest"}}}},
                "responses": {
                  "200": {"description": "The plan", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/PlanResponse"}}}},
                  "400": {"$ref": "#/components/responses/BadRequest"}, "401": {"$ref": "#/components/responses/Unauthorized"},
                  "403": {"$ref": "#/components/responses/Forbidden"}, "413": {"$ref": "#/components/responses/ContentTooLarge"},
                  "422": {"$ref": "#/components/responses/Unprocessable"}}}
            }
            """#,
        schemas: #"""
            "ScaleEntry": {"type": "object", "required": ["grade", "points"], "properties": {
              "grade": {"type": "string"}, "points": {"type": ["number", "null"]}}},
            "CalculateRequest": {"type": "object", "required": ["courses"], "properties": {
              "courses": {"type": "array", "maxItems": 100, "items": {"type": "object", "required": ["grade", "credits"], "properties": {
                "name": {"type": "string", "maxLength": 200},
                "grade": {"type": "string", "description": "A+ to F, or P, NP, W, I (case-insensitive)"},
                "credits": {"type": "number", "exclusiveMinimum": 0, "maximum": 30},
                "retake_of": {"type": ["integer", "null"], "minimum": 0, "description": "This course retakes courses[retake_of], an earlier attempt above it; each attempt is retaken at most once (a third attempt retakes the second). Which attempts count is the campus's GPA_RETAKE_POLICY"}}}},
              "previous_gpa": {"type": "number", "minimum": 0, "maximum": 4},
              "previous_credits": {"type": "number", "minimum": 0}}},
            "CalculateResponse": {"type": "object", "required": ["gpa", "total_credits", "quality_points", "cumulative_gpa", "courses", "retake_policy"], "properties": {
              "gpa": {"type": "number"}, "total_credits": {"type": "number"}, "quality_points": {"type": "number"},
              "cumulative_gpa": {"type": "number"},
              "retake_policy": {"type": "string", "enum": ["replace", "average", "replace_df"], "description": "GPA_RETAKE_POLICY: replace (the latest graded attempt counts), average (the mean grade points of the graded attempts, rounded half-up to 2 decimals, count once, with the latest attempt's credits) or replace_df (a retake replaces an earlier D+, D, D- or F; an earlier C- or better counts beside it)"},
              "courses": {"type": "array", "items": {"type": "object", "required": ["name", "grade", "credits", "grade_points", "quality_points", "retake_of", "counts", "note"], "properties": {
                "name": {"type": "string"}, "grade": {"type": "string"}, "credits": {"type": "number"},
                "grade_points": {"type": ["number", "null"], "description": "The grade's points; on the attempt that carries an averaged course, the mean of its attempts'"},
                "quality_points": {"type": ["number", "null"], "description": "What the course adds to the GPA; null when it counts toward none"},
                "retake_of": {"type": ["integer", "null"]},
                "counts": {"type": "boolean", "description": "Whether its credits and points are in the GPA: false for P, NP, W, I and for an attempt a retake replaced or averaged in"},
                "note": {"type": ["string", "null"], "description": "For an attempt of a retaken course, which attempt counted and why; null for a course taken once"}}}}}},
            "PlanRequest": {"type": "object", "required": ["current_gpa", "current_credits", "target_gpa", "remaining_credits"], "properties": {
              "current_gpa": {"type": "number", "minimum": 0, "maximum": 4}, "current_credits": {"type": "number", "minimum": 0},
              "target_gpa": {"type": "number", "minimum": 0, "maximum": 4}, "remaining_credits": {"type": "number", "exclusiveMinimum": 0}}},
            "PlanResponse": {"type": "object", "required": ["required_gpa", "achievable"], "properties": {
              "required_gpa": {"type": "number", "description": "Not clamped: above 4 is out of reach, below 0 means the target is already met"},
              "achievable": {"type": "boolean"}}}
            """#
    )
}
