import HTTPTypes

/// The routes whose bodies are files rather than JSON, and how large those bodies may be: one
/// statement for the services' ``BodyLimitMiddleware`` and the gateway that forwards to them.
public enum UploadLimits {
    /// A ticket photo as a phone takes it (`POST /tickets/{id}/photos`).
    public static let photoBytes = 8 * 1024 * 1024
    /// Its thumbnail (`PUT /tickets/{id}/photos/{photo_id}/thumbnail`).
    public static let thumbnailBytes = 256 * 1024

    /// The largest body `method` on `path` may carry; `path` with or without the gateway's `/api`.
    public static func limit(method: HTTPRequest.Method, path: String) -> Int {
        var parts = path.split(separator: "/", omittingEmptySubsequences: true)
        if parts.first == "api" { parts.removeFirst() }
        guard parts.count >= 3, parts[0] == "tickets", parts[2] == "photos" else { return CampusJSON.maxBodyBytes }
        if method == .post, parts.count == 3 { return photoBytes }
        if method == .put, parts.count == 5, parts[4] == "thumbnail" { return thumbnailBytes }
        return CampusJSON.maxBodyBytes
    }
}
