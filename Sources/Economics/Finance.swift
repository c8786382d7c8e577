import Foundation

/// Loan arithmetic and taxes, in euros.
public enum Finance {
    /// Constant yearly payment of a loan of `principalEUR` at `ratePerYear` (0.04 = 4 %) over
    /// `years`: P·r / (1 − (1 + r)^−n); P / n at a zero rate.
    public static func annuityEUR(principalEUR: Double, ratePerYear: Double, years: Int) -> Double {
        precondition(years > 0, "a loan needs at least one year")
        if ratePerYear == 0 { return principalEUR / Double(years) }
        return principalEUR * ratePerYear / (1 - pow(1 + ratePerYear, -Double(years)))
    }

    /// VAT rate on heat sold by a network: 5.5 % when more than half of its production is
    /// renewable or recovered, 20 % otherwise (French tax code, art. 278-0 bis).
    public static func heatVATRate(renewableShare: Double) -> Double { renewableShare > 0.5 ? 0.055 : 0.20 }

    /// Gross (simple) payback, years: the first year at which the cumulated yearly results cover
    /// the investment (fractional within the year); nil when they never do within `results`.
    public static func simplePaybackYears(investmentEUR: Double, yearlyResultsEUR results: [Double]) -> Double? {
        if investmentEUR <= 0 { return 0 }
        var cumulated = 0.0
        for (i, r) in results.enumerated() {
            if r > 0 && cumulated + r >= investmentEUR { return Double(i) + (investmentEUR - cumulated) / r }
            cumulated += r
        }
        return nil
    }
}

/// The customers' tariff: R1 per MWh sold, R2 per kW subscribed, both excluding VAT.
public struct Tariff: Sendable, Equatable {
    public var r1EURPerMWh: Double
    public var r2EURPerKW: Double
    public var vatRate: Double
    public init(r1EURPerMWh: Double, r2EURPerKW: Double, vatRate: Double) {
        self.r1EURPerMWh = r1EURPerMWh; self.r2EURPerKW = r2EURPerKW; self.vatRate = vatRate
    }
    /// A tariff given including VAT, as studies quote it.
    public static func inclVAT(r1EURPerMWh: Double, r2EURPerKW: Double, vatRate: Double) -> Tariff {
        Tariff(r1EURPerMWh: r1EURPerMWh / (1 + vatRate), r2EURPerKW: r2EURPerKW / (1 + vatRate), vatRate: vatRate)
    }
    /// Revenue excluding VAT for `soldMWh` and `subscribedKW`, €.
    public func revenueExclVATEUR(soldMWh: Double, subscribedKW: Double) -> Double {
        r1EURPerMWh * soldMWh + r2EURPerKW * subscribedKW
    }
}
