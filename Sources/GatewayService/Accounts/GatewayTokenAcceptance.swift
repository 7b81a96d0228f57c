import CampusKit

/// The gateway's checks after a token's signature and times (HTTP, WebSocket handshake and a
/// WebSocket's first message alike): not signed out, and its account not ended since.
struct GatewayTokenAcceptance: TokenAcceptance {
    let store: any GatewayStore
    let accounts: AccountCutoffs

    func check(_ identity: Identity) async throws {
        if try await store.isRevoked(tokenID: identity.tokenID) {
            throw APIError.unauthorized("This token was revoked by signing out; sign in again.", code: "token_revoked")
        }
        // Service tokens name a service, not an account.
        guard identity.role != .service else { return }
        if let refusal = try await accounts.standing(of: identity.userID).refusal(of: identity) { throw refusal }
    }
}
