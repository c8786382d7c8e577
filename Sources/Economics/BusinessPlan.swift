/// The multi-year business plan of a heat network in the form French feasibility studies use: a
/// column per year with phased connections, sales, production, fuel, R1 and R2 revenue, the cost
/// items P1–P4, the gross result, and over the horizon the average price of heat.
public struct BusinessPlan: Sendable {
    /// A customer: its annual heat (MWh), its subscribed power (kW) and the year it connects (1 = first).
    public struct Customer: Sendable, Equatable {
        public var id: String
        public var annualMWh: Double
        public var subscribedKW: Double
        public var connectsInYear: Int
        public var connectionFeeEUR: Double
        public init(id: String, annualMWh: Double, subscribedKW: Double, connectsInYear: Int = 1, connectionFeeEUR: Double = 0) {
            self.id = id; self.annualMWh = annualMWh; self.subscribedKW = subscribedKW
            self.connectsInYear = connectsInYear; self.connectionFeeEUR = connectionFeeEUR
        }
    }

    /// Inputs, € excluding VAT unless named otherwise.
    public struct Inputs: Sendable {
        public var years: Int
        public var customers: [Customer]
        /// Network losses as a share of production (0.12 = 12 %).
        public var lossShare: Double
        /// Seasonal efficiency of the boilers on LHV, and the share of production from wood.
        public var seasonalEfficiency: Double
        public var woodShare: Double
        /// Gas boilers' efficiency on LHV (for the non-wood share); gas HHV = LHV / 0.9.
        public var gasEfficiency: Double = 0.92
        /// Fuel prices per MWh LHV (wood) and per MWh HHV (gas).
        public var woodEURPerMWhLHV: Double
        public var gasEURPerMWhHHV: Double = 0
        /// Auxiliary electricity, € a year per MWh produced.
        public var electricityEURPerMWhProduced: Double
        /// P2 routine maintenance and P3 renewal provision, € a year.
        public var p2EURPerYear: Double
        public var p3EURPerYear: Double
        /// Investment and subsidies, €; loan rate and term.
        public var investmentEUR: Double
        public var subsidiesEUR: Double
        public var loanRatePerYear: Double
        public var loanYears: Int
        public var tariff: Tariff
        /// The lines financed, each with its year and loan (empty: `investmentEUR` in year 1 on
        /// the loan above), and the subsidies shared among them in proportion to their amounts.
        public var investments: [Investment] = []
        /// P2 and P3 from a plan year on (€ a year until the next phase; before the first, the
        /// amounts above).
        public var p2FromYearEUR: [Int: Double] = [:], p3FromYearEUR: [Int: Double] = [:]
        /// The calendar year of year 1 (nil: years are counted 1, 2…).
        public var firstYear: Int? = nil
        public init(years: Int, customers: [Customer], lossShare: Double, seasonalEfficiency: Double, woodShare: Double,
                    woodEURPerMWhLHV: Double, electricityEURPerMWhProduced: Double, p2EURPerYear: Double, p3EURPerYear: Double,
                    investmentEUR: Double, subsidiesEUR: Double, loanRatePerYear: Double, loanYears: Int, tariff: Tariff) {
            self.years = years; self.customers = customers; self.lossShare = lossShare; self.seasonalEfficiency = seasonalEfficiency
            self.woodShare = woodShare; self.woodEURPerMWhLHV = woodEURPerMWhLHV
            self.electricityEURPerMWhProduced = electricityEURPerMWhProduced; self.p2EURPerYear = p2EURPerYear
            self.p3EURPerYear = p3EURPerYear; self.investmentEUR = investmentEUR; self.subsidiesEUR = subsidiesEUR
            self.loanRatePerYear = loanRatePerYear; self.loanYears = loanYears; self.tariff = tariff
        }
    }

    /// One year of the plan (a column of the study's table).
    public struct Year: Sendable, Equatable {
        public var year: Int
        /// The calendar year, when the plan has a first year.
        public var calendarYear: Int?
        public var soldMWh = 0.0, subscribedKW = 0.0, producedMWh = 0.0
        public var woodMWhLHV = 0.0, gasMWhLHV = 0.0, gasMWhHHV = 0.0
        public var r1EUR = 0.0, r2EUR = 0.0, connectionFeesEUR = 0.0
        public var p1FuelEUR = 0.0, p1ElectricityEUR = 0.0, p2EUR = 0.0, p3EUR = 0.0, p4EUR = 0.0
        public var totalCostsEUR: Double { p1FuelEUR + p1ElectricityEUR + p2EUR + p3EUR + p4EUR }
        public var totalRevenueEUR: Double { r1EUR + r2EUR + connectionFeesEUR }
        public var grossResultEUR: Double { totalRevenueEUR - totalCostsEUR }
        /// R2 split into the fixed costs it covers: R21 electricity, R22 routine maintenance,
        /// R23 major maintenance and renewal, R24 annuities, €.
        public var r2Split: (electricity: Double, maintenance: Double, renewal: Double, annuities: Double) {
            BusinessPlan.splitR2(r2EUR, electricity: p1ElectricityEUR, p2: p2EUR, p3: p3EUR, p4: p4EUR)
        }
    }

    /// Splits `r2` in proportion to the fixed costs it covers (all zero: nothing to split).
    public static func splitR2(_ r2: Double, electricity: Double, p2: Double, p3: Double, p4: Double)
        -> (electricity: Double, maintenance: Double, renewal: Double, annuities: Double) {
        let sum = electricity + p2 + p3 + p4
        guard sum > 0 else { return (0, 0, 0, 0) }
        return (r2 * electricity / sum, r2 * p2 / sum, r2 * p3 / sum, r2 * p4 / sum)
    }

    public let inputs: Inputs
    public let years: [Year]

    public init(_ i: Inputs) {
        inputs = i
        let lines = Investment.financed(i.investments, orWhole: i.investmentEUR, loanRatePerYear: i.loanRatePerYear, loanYears: i.loanYears)
        let annuities = Investment.annuities(lines, subsidiesEUR: i.subsidiesEUR)
        years = (1...max(1, i.years)).map { y in
            var r = Year(year: y)
            r.calendarYear = i.firstYear.map { $0 + y - 1 }
            for c in i.customers where c.connectsInYear <= y {
                r.soldMWh += c.annualMWh; r.subscribedKW += c.subscribedKW
                if c.connectsInYear == y { r.connectionFeesEUR += c.connectionFeeEUR }
            }
            r.producedMWh = r.soldMWh / (1 - i.lossShare)
            r.woodMWhLHV = r.producedMWh * i.woodShare / i.seasonalEfficiency
            r.gasMWhLHV = r.producedMWh * (1 - i.woodShare) / i.gasEfficiency
            r.gasMWhHHV = r.gasMWhLHV / EconomicInputs.gasLHVToHHV
            r.r1EUR = i.tariff.r1EURPerMWh * r.soldMWh
            r.r2EUR = i.tariff.r2EURPerKW * r.subscribedKW
            r.p1FuelEUR = r.woodMWhLHV * i.woodEURPerMWhLHV + r.gasMWhHHV * i.gasEURPerMWhHHV
            r.p1ElectricityEUR = r.producedMWh * i.electricityEURPerMWhProduced
            r.p2EUR = EconomicInputs.phased(i.p2EURPerYear, i.p2FromYearEUR, year: y)
            r.p3EUR = EconomicInputs.phased(i.p3EURPerYear, i.p3FromYearEUR, year: y)
            r.p4EUR = zip(lines, annuities).reduce(0) { $0 + ($1.0.repaid(inYear: y) ? $1.1 : 0) }
            return r
        }
    }

    /// Average price of heat over the horizon = Σ revenue / Σ MWh sold, € per MWh, excluding VAT.
    public var averagePriceEURPerMWh: Double {
        let sold = years.reduce(0) { $0 + $1.soldMWh }
        return sold > 0 ? years.reduce(0) { $0 + $1.totalRevenueEUR } / sold : 0
    }

    /// The same including VAT.
    public var averagePriceInclVATEURPerMWh: Double { averagePriceEURPerMWh * (1 + inputs.tariff.vatRate) }

    /// The price of heat at cost: Σ costs / Σ MWh sold over the horizon, € per MWh excl. VAT (the
    /// R1 + R2 a network "sold at cost" must charge; subsidies lower it through P4).
    public var costPriceEURPerMWh: Double {
        let sold = years.reduce(0) { $0 + $1.soldMWh }
        return sold > 0 ? years.reduce(0) { $0 + $1.totalCostsEUR } / sold : 0
    }

    /// Simple payback of the investment net of subsidies from the yearly results before
    /// financing (revenue − P1 − P2 − P3), years; nil when not reached within the horizon.
    public var simplePaybackYears: Double? {
        Finance.simplePaybackYears(investmentEUR: inputs.investmentEUR - inputs.subsidiesEUR,
                                   yearlyResultsEUR: years.map { $0.grossResultEUR + $0.p4EUR })
    }
}
