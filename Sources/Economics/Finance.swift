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

/// An investment line as a plan finances it: its amount (€ excl. VAT), the plan year it is spent
/// and its loan starts, and the loan's rate and term.
public struct Investment: Sendable, Equatable {
    public var name: String
    public var amountEUR: Double
    public var year: Int
    public var loanRatePerYear: Double
    public var loanYears: Int
    public init(name: String, amountEUR: Double, year: Int, loanRatePerYear: Double, loanYears: Int) {
        self.name = name; self.amountEUR = amountEUR; self.year = year; self.loanRatePerYear = loanRatePerYear; self.loanYears = loanYears
    }

    /// Whether its loan is repaid in plan year `y` (from its year, for its term).
    public func repaid(inYear y: Int) -> Bool { y >= year && y < year + loanYears }

    /// Each line's yearly annuity, the subsidies shared among the lines in proportion to their
    /// amounts (a line is financed net of its share, never below zero), €.
    public static func annuities(_ lines: [Investment], subsidiesEUR: Double) -> [Double] {
        let total = lines.reduce(0) { $0 + $1.amountEUR }
        let net = total > 0 ? max(0, 1 - subsidiesEUR / total) : 0
        return lines.map { Finance.annuityEUR(principalEUR: $0.amountEUR * net, ratePerYear: $0.loanRatePerYear, years: $0.loanYears) }
    }
}
