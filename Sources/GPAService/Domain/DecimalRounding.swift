import Foundation

extension Decimal {
    /// Half-up rounding to `places` decimals (2.675 → 2.68), as a registrar rounds.
    public func roundedHalfUp(_ places: Int = 2) -> Decimal {
        var value = self
        var result = Decimal()
        NSDecimalRound(&result, &value, places, .plain)
        return result
    }
}
