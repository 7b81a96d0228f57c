/// A domain or store error that has a problem+json answer. Domain code throws its own typed
/// errors and knows nothing of HTTP; each service states their answers in one place beside its
/// controllers by conforming them here, and the error middleware answers with `problem`.
public protocol ProblemConvertible: Error {
    var problem: APIError { get }
}

/// A field that breaks a rule: 422 `validation_error`, `field: sentence`.
extension FieldRefusal: ProblemConvertible {
    public var problem: APIError { .invalid(field, sentence) }
}
