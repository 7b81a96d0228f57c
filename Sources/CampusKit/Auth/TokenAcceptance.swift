/// What a token with a good signature must still pass where the gateway accepts it: it was not
/// signed out, and its account was not deleted, demoted or given a new password since it was
/// issued. Other services verify statelessly and have none.
public protocol TokenAcceptance: Sendable {
    /// Returns when `identity`'s token still counts; throws the 401 ``APIError`` that refuses it.
    func check(_ identity: Identity) async throws
}
