import Foundation

/// The economic inputs of a scenario (the feasibility study's), € excl. VAT unless named.
public struct EconomicInputs: Sendable, Equatable {
    public var investmentEUR: Double
    /// Subsidies by name (state, region, energy-saving certificates…), € against the
    /// investment excl. VAT. A VAT refund (FCTVA) is not one: it returns VAT the excl.-VAT
    /// investment does not carry.
    public var subsidiesEUR: [String: Double]
    public var woodEURPerMWhLHV: Double
    public var electricityEURPerMWh: Double
    public var p2EURPerYear: Double
    public var p3EURPerYear: Double
    public var loanRatePerYear: Double
    public var loanYears: Int
    /// Tariff as the study quotes it (incl. VAT) and the VAT rate it assumed.
    public var r1EURPerMWhInclVAT: Double
    public var r2EURPerKWInclVAT: Double
    public var heatVATRate: Double
    public var connectionFeeEUR: Double
    public var horizonYears: Int
    /// Emission factors of the fuel the buildings burned before (per MWh of that fuel) and the
    /// seasonal efficiency of their old boilers.
    public var fossilCO2TPerMWh: Double
    public var fossilSO2KgPerMWh: Double
    public var fossilEfficiency: Double
    /// Price of the gas the plant's gas boilers burn, € per MWh HHV (gas is sold on its higher
    /// heating value in France), and its emission factor per MWh LHV: 56.1 t CO2/TJ on the net
    /// calorific value = 0.202 t/MWh (IPCC 2006 Guidelines, vol. 2, table 2.2, natural gas).
    public var gasEURPerMWhHHV: Double = 0
    public var gasCO2TPerMWhLHV: Double = 0.202
    /// Ratio LHV/HHV of natural gas (as the gas boiler model meters it).
    public static let gasLHVToHHV = 0.9
    /// The investment lines, each with its year and loan (empty: `investmentEUR` in year 1 on
    /// the loan above); P2 and P3 from a plan year on; the connection fee per subscribed kW; the
    /// calendar year of the plan's first year.
    public var investments: [Investment] = []
    public var p2FromYearEUR: [Int: Double] = [:], p3FromYearEUR: [Int: Double] = [:]
    public var connectionFeeEURPerKW: Double = 0
    public var firstYear: Int? = nil
    /// The individual boilers each customer would otherwise run (nil: no comparison).
    public var individual: IndividualBoilerReference? = nil

    /// An amount a year phased by plan year: the phase of the latest year at or before `year`
    /// (`base` before the first).
    public static func phased(_ base: Double, _ phases: [Int: Double], year: Int) -> Double {
        phases.keys.filter { $0 <= year }.max().map { phases[$0]! } ?? base
    }

    /// The lines the plan finances: `investments`, or the whole investment in year 1.
    public var financedLines: [Investment] {
        Investment.financed(investments, orWhole: investmentEUR, loanRatePerYear: loanRatePerYear, loanYears: loanYears)
    }

    public init(investmentEUR: Double, subsidiesEUR: [String: Double], woodEURPerMWhLHV: Double, electricityEURPerMWh: Double,
                p2EURPerYear: Double, p3EURPerYear: Double, loanRatePerYear: Double, loanYears: Int, r1EURPerMWhInclVAT: Double,
                r2EURPerKWInclVAT: Double, heatVATRate: Double, connectionFeeEUR: Double = 0, horizonYears: Int = 24,
                fossilCO2TPerMWh: Double, fossilSO2KgPerMWh: Double, fossilEfficiency: Double) {
        self.investmentEUR = investmentEUR; self.subsidiesEUR = subsidiesEUR; self.woodEURPerMWhLHV = woodEURPerMWhLHV
        self.electricityEURPerMWh = electricityEURPerMWh; self.p2EURPerYear = p2EURPerYear; self.p3EURPerYear = p3EURPerYear
        self.loanRatePerYear = loanRatePerYear; self.loanYears = loanYears; self.r1EURPerMWhInclVAT = r1EURPerMWhInclVAT
        self.r2EURPerKWInclVAT = r2EURPerKWInclVAT; self.heatVATRate = heatVATRate; self.connectionFeeEUR = connectionFeeEUR
        self.horizonYears = horizonYears; self.fossilCO2TPerMWh = fossilCO2TPerMWh; self.fossilSO2KgPerMWh = fossilSO2KgPerMWh
        self.fossilEfficiency = fossilEfficiency
    }

    public var tariff: Tariff { .inclVAT(r1EURPerMWh: r1EURPerMWhInclVAT, r2EURPerKW: r2EURPerKWInclVAT, vatRate: heatVATRate) }
    public var totalSubsidiesEUR: Double { subsidiesEUR.values.reduce(0, +) }
}

/// What the plant measured over a period (from the historian), in the units the account needs.
public struct MeasuredOperation: Sendable, Equatable {
    public struct Customer: Sendable, Equatable {
        public var id: String
        /// Heat sold: the meter's energy index at the end less at the start, MWh.
        public var soldMWh: Double
        public var subscribedKW: Double
        public var connectsInYear: Int
        /// The DHW estimated in the period and in a year (draws on the days the building is open
        /// and the tank's standing loss), MWh: what `MeasuredOperation.annualSoldMWh` carries to
        /// a year by days, the rest of the meter's heat by degree days.
        public var dhwPeriodMWh: Double = 0, dhwYearMWh: Double = 0
        public init(id: String, soldMWh: Double, subscribedKW: Double, connectsInYear: Int = 1) {
            self.id = id; self.soldMWh = soldMWh; self.subscribedKW = subscribedKW; self.connectsInYear = connectsInYear
        }
    }

    /// How the period is carried to a year.
    public enum Annualisation: Sendable, Equatable {
        /// The period is a year (or more): scaled by its length only.
        case wholeYear
        /// Scaled by the period's length (no degree days known, or too few in the period).
        case days
        /// Space heating by the normal year's degree days over the period's, DHW by days
        /// (the climate correction of heat sales, "correction climatique par les DJU").
        case degreeDays(period: Double, normal: Double)
    }
    /// Heating degree days (base 18 °C) of the period, from the recorded outdoor temperature, and
    /// of the site's normal year (nil: unknown; the period is then scaled by days).
    public var periodDegreeDays: Double? = nil
    public var normalDegreeDays: Double? = nil
    /// A period with fewer degree days than this share of the normal year's (a summer month)
    /// tells too little of the heating to carry it to a year: it is scaled by days.
    public static let leastDegreeDayShare = 0.02
    public var days: Double
    public var customers: [Customer]
    /// Heat sent into the network and boiler output, MWh.
    public var networkOutputMWh: Double
    public var boilerOutputMWh: Double
    /// Fuel burned from the silo's balance: level drop plus deliveries, m³; its LHV, kWh per m³.
    public var siloDropM3: Double
    public var deliveredM3: Double
    public var fuelKWhPerM3: Double
    public var fuelTPerM3: Double
    public var gasFuelMWhLHV: Double
    /// Heat the gas boilers passed to the plant, MWh (nil in historians recorded before it was
    /// counted: then estimated from the gas burned at 92 % on LHV).
    public var gasOutputMWh: Double? = nil
    public var electricityMWh: Double
    /// Heat the heat pumps passed to the plant and their electricity (compressors and source
    /// pumps), MWh (0 without heat pumps).
    public var heatPumpOutputMWh = 0.0, heatPumpElectricityMWh = 0.0
    /// Heat the solar fields gave the plant, MWh (0 without).
    public var solarOutputMWh = 0.0
    /// Recovered heat bought, MWh, its cost, €, and the part that counts as recovered energy
    /// (waste heat; not a fossil CHP's), MWh.
    public var recoveredMWh = 0.0, recoveredCostEUR = 0.0, recoveredQualifyingMWh = 0.0
    public var trucks: Int
    public var ashKg: Double
    public var trenchM: Double
    public var installedKW: Double
    public var largestBoilerKW: Double
    public init(days: Double, customers: [Customer], networkOutputMWh: Double, boilerOutputMWh: Double, siloDropM3: Double,
                deliveredM3: Double, fuelKWhPerM3: Double, fuelTPerM3: Double, gasFuelMWhLHV: Double, electricityMWh: Double,
                trucks: Int, ashKg: Double, trenchM: Double, installedKW: Double, largestBoilerKW: Double) {
        self.days = days; self.customers = customers; self.networkOutputMWh = networkOutputMWh; self.boilerOutputMWh = boilerOutputMWh
        self.siloDropM3 = siloDropM3; self.deliveredM3 = deliveredM3; self.fuelKWhPerM3 = fuelKWhPerM3; self.fuelTPerM3 = fuelTPerM3
        self.gasFuelMWhLHV = gasFuelMWhLHV; self.electricityMWh = electricityMWh; self.trucks = trucks; self.ashKg = ashKg
        self.trenchM = trenchM; self.installedKW = installedKW; self.largestBoilerKW = largestBoilerKW
    }

    public var soldMWh: Double { customers.reduce(0) { $0 + $1.soldMWh } }
    public var subscribedKW: Double { customers.reduce(0) { $0 + $1.subscribedKW } }
    public var woodBurnedM3: Double { siloDropM3 + deliveredM3 }
    public var woodMWhLHV: Double { woodBurnedM3 * fuelKWhPerM3 / 1000 }
    /// Scale from the period to a year by its length (1 for a 365-day period).
    public var annualFactor: Double { 365 / days }

    public var annualisation: Annualisation {
        if days >= 364.5 { return .wholeYear }
        guard let p = periodDegreeDays, let n = normalDegreeDays, n > 0, p >= Self.leastDegreeDayShare * n else { return .days }
        return .degreeDays(period: p, normal: n)
    }

    /// A customer's sales carried to a year. By degree days: the meter's heat less the period's
    /// DHW estimate is space heating, scaled by normal / period degree days; the DHW is the
    /// year's estimate, in the proportion the period's meter bore it out (a meter that sold less
    /// than the estimate sold no space heat, and its DHW is scaled down to what it sold).
    public func annualSoldMWh(_ c: Customer) -> Double {
        guard case let .degreeDays(p, n) = annualisation else { return c.soldMWh * annualFactor }
        let dhw = min(c.soldMWh, c.dhwPeriodMWh)
        let dhwYear = c.dhwPeriodMWh > 0 ? c.dhwYearMWh * dhw / c.dhwPeriodMWh : 0
        return (c.soldMWh - dhw) * n / p + dhwYear
    }

    /// Sales of all customers carried to a year, MWh.
    public var annualSoldMWh: Double { customers.reduce(0) { $0 + annualSoldMWh($1) } }
    /// Heat sent into the network in a year: the sales carried to a year plus the network's
    /// losses (sent − metered) scaled by days, since they follow the supply temperature and the
    /// hours, not the degree days, MWh.
    public var annualProducedMWh: Double {
        guard case .degreeDays = annualisation else { return networkOutputMWh * annualFactor }
        return annualSoldMWh + (networkOutputMWh - soldMWh) * annualFactor
    }
    /// Scale of what follows production (fuel, electricity, trucks, ash) from the period to a year.
    public var productionFactor: Double {
        guard case .degreeDays = annualisation, networkOutputMWh > 0 else { return annualFactor }
        return annualProducedMWh / networkOutputMWh
    }
}

/// Funders' bands of linear heat density (MWh sold per metre of trench per year).
public enum HeatDensityBand: String, Sendable {
    case tooSpread = "too spread (≤ 1.5)"
    case uncertain = "viable but uncertain (1.5–2)"
    case probablyViable = "probably viable (2–5)"
    case denseUrban = "dense urban (≥ 5)"
    public init(mwhPerM d: Double) {
        switch d {
        case ...1.5: self = .tooSpread
        case ..<2: self = .uncertain
        case ..<5: self = .probablyViable
        default: self = .denseUrban
        }
    }
}

/// The operator's account of a measured period, scaled to a year: sales and revenue, the cost
/// items P1–P4, the R2 split, environment and network indicators; and a business plan over the
/// horizon built on the measured year.
public struct OperatingAccount: Sendable {
    public let inputs: EconomicInputs
    public let measured: MeasuredOperation

    // yearly figures (the period carried to a year by `measured.annualisation`)
    public let soldMWh: Double, subscribedKW: Double, producedMWh: Double
    public let woodMWhLHV: Double, woodM3: Double, woodT: Double, electricityMWh: Double
    public let r1EUR: Double, r2EUR: Double, revenueExclVATEUR: Double, revenueInclVATEUR: Double
    public let p1FuelEUR: Double, p1ElectricityEUR: Double, p2EUR: Double, p3EUR: Double, p4EUR: Double
    /// The gas boilers' fuel (LHV and HHV, MWh) and its cost in P1, €.
    public let gasMWhLHV: Double, gasMWhHHV: Double, p1GasEUR: Double
    /// The share of production from renewable fuel, and the VAT rate it entitles the heat to.
    public let renewableShare: Double
    /// The share of production from wood, and the heat pumps' renewable part of it.
    public let woodShare: Double, heatPumpRenewableShare: Double, solarShare: Double, recoveredShare: Double
    /// Recovered heat bought in a year, € excl. VAT (P1).
    public let p1RecoveredEUR: Double
    public let vatRateEntitled: Double
    public let lossesMWh: Double, lossesPercent: Double
    public let fullLoadHours: Double
    public let heatDensityMWhPerM: Double
    public let trucksPerYear: Double, ashKgPerYear: Double
    /// The fossil fuel the buildings no longer burn, net of the gas the plant burns (MWh, toe);
    /// CO2 avoided net of the gas's emissions; SO2 of the fuel replaced (gas has almost none).
    public let fossilReplacedMWh: Double, fossilReplacedToe: Double, co2AvoidedT: Double, so2AvoidedKg: Double

    /// 1 toe = 11.63 MWh (IEA / Eurostat convention).
    public static let mwhPerToe = 11.63

    public init(inputs: EconomicInputs, measured m: MeasuredOperation) {
        self.inputs = inputs; measured = m
        let k = m.productionFactor
        soldMWh = m.annualSoldMWh
        subscribedKW = m.subscribedKW
        producedMWh = m.annualProducedMWh
        woodM3 = m.woodBurnedM3 * k
        woodT = woodM3 * m.fuelTPerM3
        woodMWhLHV = m.woodMWhLHV * k
        electricityMWh = (m.electricityMWh + m.heatPumpElectricityMWh) * k
        let tariff = inputs.tariff
        r1EUR = tariff.r1EURPerMWh * soldMWh
        r2EUR = tariff.r2EURPerKW * subscribedKW
        revenueExclVATEUR = r1EUR + r2EUR
        revenueInclVATEUR = revenueExclVATEUR * (1 + tariff.vatRate)
        p1FuelEUR = woodMWhLHV * inputs.woodEURPerMWhLHV
        gasMWhLHV = m.gasFuelMWhLHV * k
        gasMWhHHV = gasMWhLHV / EconomicInputs.gasLHVToHHV
        p1GasEUR = gasMWhHHV * inputs.gasEURPerMWhHHV
        p1ElectricityEUR = electricityMWh * inputs.electricityEURPerMWh
        // at full build: the phase in force once the last customer has connected
        let full = m.customers.map(\.connectsInYear).max() ?? 1
        p2EUR = EconomicInputs.phased(inputs.p2EURPerYear, inputs.p2FromYearEUR, year: full)
        p3EUR = EconomicInputs.phased(inputs.p3EURPerYear, inputs.p3FromYearEUR, year: full)
        // every loan running: the year at full build
        p4EUR = Investment.annuities(inputs.financedLines, subsidiesEUR: inputs.totalSubsidiesEUR).reduce(0, +)
        let gasOutput = m.gasOutputMWh ?? m.gasFuelMWhLHV * 0.92
        let woodShare = m.boilerOutputMWh > 0 ? 1 - min(1, (gasOutput + m.heatPumpOutputMWh + m.solarOutputMWh + m.recoveredMWh) / m.boilerOutputMWh) : 1
        self.woodShare = woodShare
        // renewable: the wood's heat and the heat pumps' renewable part (their source's)
        let pumps = Finance.heatPumpRenewableMWh(outputMWh: m.heatPumpOutputMWh, electricityMWh: m.heatPumpElectricityMWh)
        heatPumpRenewableShare = m.boilerOutputMWh > 0 ? pumps / m.boilerOutputMWh : 0
        solarShare = m.boilerOutputMWh > 0 ? m.solarOutputMWh / m.boilerOutputMWh : 0
        recoveredShare = m.boilerOutputMWh > 0 ? m.recoveredQualifyingMWh / m.boilerOutputMWh : 0
        renewableShare = m.heatPumpOutputMWh > 0 || m.solarOutputMWh > 0 || m.recoveredMWh > 0
            ? woodShare + heatPumpRenewableShare + solarShare + recoveredShare : woodShare
        p1RecoveredEUR = m.recoveredCostEUR * k
        vatRateEntitled = Finance.heatVATRate(renewableShare: renewableShare)
        lossesMWh = producedMWh - soldMWh
        lossesPercent = producedMWh > 0 ? lossesMWh / producedMWh * 100 : 0
        fullLoadHours = m.installedKW > 0 ? producedMWh * 1000 / m.installedKW : 0
        heatDensityMWhPerM = m.trenchM > 0 ? soldMWh / m.trenchM : 0
        trucksPerYear = Double(m.trucks) * k
        ashKgPerYear = m.ashKg * k
        let displaced = soldMWh / inputs.fossilEfficiency   // what the buildings' own boilers would burn
        fossilReplacedMWh = displaced - gasMWhLHV
        fossilReplacedToe = fossilReplacedMWh / Self.mwhPerToe
        co2AvoidedT = displaced * inputs.fossilCO2TPerMWh - gasMWhLHV * inputs.gasCO2TPerMWhLHV
        so2AvoidedKg = displaced * inputs.fossilSO2KgPerMWh
    }

    public var totalCostsEUR: Double { p1FuelEUR + p1GasEUR + p1RecoveredEUR + p1ElectricityEUR + p2EUR + p3EUR + p4EUR }
    public var grossResultEUR: Double { revenueExclVATEUR - totalCostsEUR }
    public var heatDensityBand: HeatDensityBand { HeatDensityBand(mwhPerM: heatDensityMWhPerM) }

    /// R2 split into the fixed costs it covers, in proportion to them: R21 electricity, R22
    /// routine maintenance (P2), R23 major maintenance and renewal (P3), R24 annuities (P4), €.
    public var r2Split: (electricity: Double, maintenance: Double, renewal: Double, annuities: Double) {
        BusinessPlan.splitR2(r2EUR, electricity: p1ElectricityEUR, p2: p2EUR, p3: p3EUR, p4: p4EUR)
    }

    /// The business plan over the horizon with the measured year as every year's operation
    /// (customers connect in their year), for an amount of subsidies.
    public func businessPlan(subsidiesEUR: Double, years: Int? = nil) -> BusinessPlan {
        let customers = measured.customers.map {
            BusinessPlan.Customer(id: $0.id, annualMWh: measured.annualSoldMWh($0), subscribedKW: $0.subscribedKW, connectsInYear: $0.connectsInYear,
                                  connectionFeeEUR: inputs.connectionFeeEUR + inputs.connectionFeeEURPerKW * $0.subscribedKW)
        }
        let loss = producedMWh > 0 ? 1 - soldMWh / producedMWh : 0
        let efficiency = woodMWhLHV > 0 ? producedMWh * woodShare / woodMWhLHV : 1
        var i = BusinessPlan.Inputs(years: years ?? inputs.horizonYears, customers: customers, lossShare: loss, seasonalEfficiency: efficiency,
                                    woodShare: woodShare, woodEURPerMWhLHV: inputs.woodEURPerMWhLHV,
                                    electricityEURPerMWhProduced: producedMWh > 0 ? p1ElectricityEUR / producedMWh : 0,
                                    p2EURPerYear: inputs.p2EURPerYear, p3EURPerYear: inputs.p3EURPerYear,
                                    investmentEUR: inputs.investmentEUR, subsidiesEUR: subsidiesEUR,
                                    loanRatePerYear: inputs.loanRatePerYear, loanYears: inputs.loanYears, tariff: inputs.tariff)
        i.gasEfficiency = 0.92
        i.gasEURPerMWhHHV = inputs.gasEURPerMWhHHV
        i.investments = inputs.financedLines
        i.p2FromYearEUR = inputs.p2FromYearEUR; i.p3FromYearEUR = inputs.p3FromYearEUR
        i.firstYear = inputs.firstYear
        return BusinessPlan(i)
    }

    /// Simple payback for an amount of subsidies, looked for over up to a century (the plan's
    /// horizon may be shorter than the payback); nil when the yearly result never covers it.
    public func simplePaybackYears(subsidiesEUR: Double) -> Double? {
        businessPlan(subsidiesEUR: subsidiesEUR, years: max(inputs.horizonYears, 100)).simplePaybackYears
    }

    /// Each customer's heat from the network beside the same heat from an individual boiler
    /// (the scenario's reference), € per MWh over the reference's horizon; empty without one.
    public var individualComparison: [IndividualBoilerReference.Comparison] {
        guard let ref = inputs.individual else { return [] }
        return measured.customers.map { ref.compare(id: $0.id, annualMWh: measured.annualSoldMWh($0), subscribedKW: $0.subscribedKW, tariff: inputs.tariff) }
    }

    /// Aid levels of the study's funding: none; minimum (state and region, "without
    /// energy-saving certificates"); maximum (all subsidies); average (halfway between).
    public var aidLevels: [(name: String, subsidiesEUR: Double)] {
        let all = inputs.totalSubsidiesEUR
        let minimum = inputs.subsidiesEUR.filter { !$0.key.lowercased().contains("cee") }.values.reduce(0, +)
        return [("none", 0), ("minimum", minimum), ("average", (minimum + all) / 2), ("maximum", all)]
    }
}
