import Foundation
import Hummingbird

/// An error that becomes an RFC 9457 problem+json response with a stable machine-readable `code`.
public struct APIError: Error, HTTPResponseError, Sendable, CustomStringConvertible {
    public let status: HTTPResponse.Status
    public let code: String
    public let title: String
    public let detail: String
    public var headers: HTTPFields

    public init(_ status: HTTPResponse.Status, code: String, title: String? = nil, detail: String, headers: HTTPFields = [:]) {
        self.status = status
        self.code = code
        self.title = title ?? status.reasonPhrase
        self.detail = detail
        self.headers = headers
    }

    public var description: String { "\(status.code) \(code): \(detail)" }

    public func response(from request: Request, context: some RequestContext) throws -> Response {
        makeResponse()
    }

    public func makeResponse() -> Response {
        var fields = headers
        fields[.contentType] = ProblemDetails.mediaType
        return Response(status: status, headers: fields, body: .init(byteBuffer: problemBody))
    }

    /// The RFC 9457 JSON body.
    public var problemBody: ByteBuffer {
        let problem = ProblemDetails(
            type: "urn:campus-services-hub:problem:\(code)", title: title, status: Int(status.code), detail: detail, code: code
        )
        return ByteBuffer(bytes: (try? CampusJSON.encoder.encode(problem)) ?? Data())
    }
}

/// The JSON body of every error (RFC 9457 plus `code`).
public struct ProblemDetails: Codable, Sendable, Equatable {
    public static let mediaType = "application/problem+json"
    public let type: String
    public let title: String
    public let status: Int
    public let detail: String
    public let code: String
}

extension APIError {
    /// 400: the request could not be read (malformed JSON, bad query syntax).
    public static func badRequest(_ detail: String, code: String = "bad_request") -> APIError {
        APIError(.badRequest, code: code, detail: detail)
    }
    public static func malformedJSON(_ detail: String = "The request body is not valid JSON.") -> APIError {
        APIError(.badRequest, code: "malformed_json", detail: detail)
    }
    /// 401: no token, or a token that is invalid, expired or revoked.
    public static func unauthorized(_ detail: String, code: String = "unauthorized") -> APIError {
        APIError(.unauthorized, code: code, detail: detail, headers: [.wwwAuthenticate: "Bearer"])
    }
    /// 403: signed in, but the role may not use this capability.
    public static func forbidden(_ detail: String, code: String = "role_not_allowed") -> APIError {
        APIError(.forbidden, code: code, detail: detail)
    }
    public static func notFound(_ detail: String, code: String = "not_found") -> APIError {
        APIError(.notFound, code: code, detail: detail)
    }
    public static func conflict(_ detail: String, code: String = "conflict") -> APIError {
        APIError(.conflict, code: code, detail: detail)
    }
    public static func contentTooLarge(limit: Int = CampusJSON.maxBodyBytes) -> APIError {
        APIError(.contentTooLarge, code: "body_too_large", detail: "The request body is larger than the limit of \(limit) bytes.")
    }
    /// 422: well-formed but invalid; `detail` starts with the field's name.
    public static func invalid(_ field: String, _ problem: String, code: String = "validation_error") -> APIError {
        APIError(.unprocessableContent, code: code, detail: "\(field): \(problem)")
    }
    public static func locked(_ detail: String, retryAfter seconds: Int) -> APIError {
        APIError(.init(code: 423, reasonPhrase: "Locked"), code: "account_locked", detail: detail, headers: [.retryAfter: String(max(1, seconds))])
    }
    public static func tooManyRequests(_ detail: String, retryAfter seconds: Int) -> APIError {
        APIError(.tooManyRequests, code: "rate_limited", detail: detail, headers: [.retryAfter: String(max(1, seconds))])
    }
    public static func serviceUnavailable(_ detail: String, code: String = "service_unavailable") -> APIError {
        APIError(.serviceUnavailable, code: code, detail: detail)
    }
    public static let internalError = APIError(
        .internalServerError, code: "internal_error", detail: "Something went wrong on our side. The error has been logged with this request's X-Request-ID."
    )
}
