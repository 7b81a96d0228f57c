import CampusKit

/// The answers of the ticket workflow's refusals.
extension TicketRefusal: ProblemConvertible {
    public var problem: APIError {
        switch self {
        case .invalidTransition(let from, let to):
            .invalid(
                "status",
                "a ticket that is \(from.rawValue) cannot become \(to.rawValue); "
                    + (from.allowedNext.isEmpty ? "it is final" : "allowed: \(from.allowedNext.map(\.rawValue).joined(separator: ", "))"),
                code: "invalid_transition"
            )
        case .resolutionRequired:
            .invalid("resolution", "required when resolving: say what was done, for the person who reported it", code: "resolution_required")
        case .resolutionWithoutResolving:
            .invalid("resolution", "is written when resolving a ticket (status resolved), not otherwise")
        case .questionWithoutWaiting:
            .invalid("question", "is asked when the ticket starts waiting on its reporter (status waiting_on_reporter), not otherwise")
        case .reopenByOthers:
            .forbidden(
                "Only the person who reported a ticket can reopen it; technicians move a resolved ticket back to in_progress.",
                code: "not_the_reporter")
        case .notReopenable(let status):
            .conflict(
                "This ticket is \(status.label.lowercased()), so there is nothing to reopen: only a resolved or closed ticket can be reopened.",
                code: "not_reopenable")
        case .reopenWindowPassed(let until):
            .conflict(
                "The time to reopen this ticket ended at \(CampusJSON.timestamp(until)); report the problem again as a new ticket.",
                code: "reopen_window_passed")
        case .lifeSafetyCannotWait:
            .invalid(
                "status",
                "a P0 ticket is danger to people: its SLA clock never stands still, so it cannot wait on the reporter; "
                    + "keep it in progress (or lower its priority first)",
                code: "life_safety_cannot_wait")
        case .noRoom:
            .invalid("room_out_of_order", "this ticket names no bookable room (room_id), so there is no room to mark", code: "no_room")
        case .roomMarkNotInWork(let status):
            .conflict(
                "This ticket is \(status.label.lowercased()); a room is marked out of order or back in order while its ticket is in work.",
                code: "ticket_not_in_work")
        }
    }
}

/// The answers of the photo rules' refusals (``PhotoRules``, ``ImageSanitizer``).
extension PhotoRefusal: ProblemConvertible {
    public var problem: APIError {
        switch self {
        case .image(.empty):
            .invalid("body", "the upload is empty: send the image itself as the body")
        case .image(.tooLarge(_, let maximum)):
            .contentTooLarge(limit: maximum)
        case .image(.notAnImage):
            APIError(
                .unsupportedMediaType, code: "not_an_image",
                detail: "The upload is not a JPEG, PNG, HEIC or WebP image (judged by its content, not its name or Content-Type).")
        case .image(.malformed(let kind, let what)):
            .invalid(
                "body", "the \(kind == .jpeg ? "JPEG" : kind.rawValue.uppercased()) image is damaged (\(what)); take or export the photo again",
                code: "image_damaged")
        case .image(.tooManyPixels(let width, let height, let maximum)):
            .invalid("body", "the image is \(width)×\(height) pixels; at most \(maximum / 1_000_000) megapixels are accepted", code: "image_too_large")
        case .tooMany(let maximum, let commentID):
            .conflict(
                commentID == nil
                    ? "This ticket's report already has \(maximum) photos, the most it can hold; add more to a comment."
                    : "This comment already has \(maximum) photos, the most it can hold; add more to another comment.",
                code: "photo_limit")
        case .noSuchComment(let id):
            .invalid("comment_id", "this ticket has no comment \(id)")
        case .thumbnailKind:
            .invalid("body", "a thumbnail is a JPEG, PNG or WebP image (every browser shows those)")
        case .thumbnailTooLarge(let width, let height, let maximum):
            .invalid("body", "the thumbnail is \(width)×\(height) pixels; its longer side may be at most \(maximum)")
        case .notUploader:
            .forbidden("Only the person who added a photo can change or remove it.", code: "not_the_uploader")
        }
    }
}
