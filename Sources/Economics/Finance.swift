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

    /// The renewable part of heat pumps' output, MWh: E_RES = Q_usable × (1 − 1/SPF), counted
    /// only when the seasonal performance factor exceeds 1.15 / η, η = 0.455 the EU's ratio of
    /// electricity generated to primary energy (SPF > 2.53) (Directive (EU) 2018/2001, Annex VII;
    /// Commission Decision 2013/114/EU).
    public static func heatPumpRenewableMWh(outputMWh: Double, electricityMWh: Double) -> Double {
        guard outputMWh > 0, electricityMWh > 0 else { return 0 }
        let spf = outputMWh / electricityMWh
        return spf > 1.15 / 0.455 ? outputMWh * (1 - 1 / spf) : 0
    }

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

    /// The lines a plan finances: `lines`, or (none given) the whole `amountEUR` in year 1 on one loan.
    public static func financed(_ lines: [Investment], orWhole amountEUR: Double, loanRatePerYear: Double, loanYears: Int) -> [Investment] {
        lines.isEmpty ? [Investment(name: "investment", amountEUR: amountEUR, year: 1, loanRatePerYear: loanRatePerYear, loanYears: loanYears)] : lines
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

/// The individual boiler a customer would run instead of buying heat from the network: its fuel
/// and efficiency, its investment per kW on its own loan, its maintenance (P2) and renewal (P3)
/// per kW, and the VAT a customer pays on fuel and on services. The feasibility studies set each
/// building's cost of heat this way beside the network's price (P1–P4 per MWh, excl. and incl. VAT).
public struct IndividualBoilerReference: Sendable, Equatable {
    /// Fuel price per MWh as billed, and the boiler's seasonal efficiency on the same basis
    /// (heat per MWh billed: for gas billed on HHV, the efficiency on HHV).
    public var fuelEURPerMWh: Double, boilerEURPerKW: Double, efficiency: Double
    public var p2EURPerKWYear: Double, p3EURPerKWYear: Double
    public var loanRatePerYear: Double, loanYears: Int, horizonYears: Int
    public var fuelVATRate: Double, servicesVATRate: Double
    public init(fuelEURPerMWh: Double, boilerEURPerKW: Double, efficiency: Double, p2EURPerKWYear: Double, p3EURPerKWYear: Double,
                loanRatePerYear: Double, loanYears: Int, horizonYears: Int, fuelVATRate: Double, servicesVATRate: Double) {
        self.fuelEURPerMWh = fuelEURPerMWh; self.boilerEURPerKW = boilerEURPerKW; self.efficiency = efficiency
        self.p2EURPerKWYear = p2EURPerKWYear; self.p3EURPerKWYear = p3EURPerKWYear; self.loanRatePerYear = loanRatePerYear
        self.loanYears = loanYears; self.horizonYears = horizonYears; self.fuelVATRate = fuelVATRate; self.servicesVATRate = servicesVATRate
    }

    /// One customer: its heat a year and power; the individual boiler's P1–P4 a year (P4 while
    /// its loan runs) and its cost per MWh over the horizon; the network's price for the same
    /// heat and subscription, € excl. and incl. VAT.
    public struct Comparison: Sendable, Equatable {
        public let id: String
        public let annualMWh: Double, subscribedKW: Double
        public let p1EUR: Double, p2EUR: Double, p3EUR: Double, p4EUR: Double
        public let individualEURPerMWh: Double, individualInclVATEURPerMWh: Double
        public let networkEURPerMWh: Double, networkInclVATEURPerMWh: Double
        /// The network's price against the individual boiler's, incl. VAT, % (negative: cheaper).
        public var networkVsIndividualPercent: Double {
            individualInclVATEURPerMWh > 0 ? (networkInclVATEURPerMWh / individualInclVATEURPerMWh - 1) * 100 : 0
        }
    }

    public func compare(id: String, annualMWh q: Double, subscribedKW kW: Double, tariff: Tariff) -> Comparison {
        let p1 = q / efficiency * fuelEURPerMWh
        let p2 = p2EURPerKWYear * kW, p3 = p3EURPerKWYear * kW
        let p4 = Finance.annuityEUR(principalEUR: boilerEURPerKW * kW, ratePerYear: loanRatePerYear, years: loanYears)
        // the annuities paid within the horizon, spread over it
        let p4Spread = p4 * Double(min(loanYears, horizonYears)) / Double(horizonYears)
        let excl = q > 0 ? (p1 + p2 + p3 + p4Spread) / q : 0
        let incl = q > 0 ? (p1 * (1 + fuelVATRate) + (p2 + p3 + p4Spread) * (1 + servicesVATRate)) / q : 0
        let network = q > 0 ? tariff.revenueExclVATEUR(soldMWh: q, subscribedKW: kW) / q : 0
        return Comparison(id: id, annualMWh: q, subscribedKW: kW, p1EUR: p1, p2EUR: p2, p3EUR: p3, p4EUR: p4,
                          individualEURPerMWh: excl, individualInclVATEURPerMWh: incl,
                          networkEURPerMWh: network, networkInclVATEURPerMWh: network * (1 + tariff.vatRate))
    }
}
