import XCTest
import Economics

/// Issue 14, item 5 in part: several investments, each with its year and loan; P2 and P3 phased
/// by year; connection fees per subscribed kW. Against figures computed by hand.
final class FinancingTests: XCTestCase {
    /// Two lines: 600 k€ in year 1 over 10 years at 0 %, 400 k€ in year 3 over 4 years at 0 %;
    /// 250 k€ of subsidies shared in proportion (25 % of each line): annuities 45 k€ (years
    /// 1–10) and 75 k€ (years 3–6). P2 10 k€, 20 k€ from year 3; P3 5 k€, 7 k€ from year 5.
    /// Two customers: 100 MWh / 50 kW from year 1 and 200 MWh / 150 kW from year 3, 100 €/kW of
    /// connection fee beside a flat 1,000 €.
    func testLinesPhasesAndFees() throws {
        let terms = try EconomicTerms(values: [
            "fuelPriceEURPerMWh": 30, "electricityEURPerMWh": 100, "p2MaintenanceEURPerYear": 10_000, "p3RenewalEURPerYear": 5_000,
            "loanRatePercent": 0, "loanYears": 10, "r1EURPerMWhInclVAT": 52.75, "r2EURPerKWInclVAT": 105.5, "heatVATPercent": 5.5,
            "fossilEfficiencyPercent": 80, "fossilCO2TPerMWh": 0.3, "fossilSO2KgPerMWh": 0.5, "horizonYears": 12,
            "investmentPlantEUR": 600_000, "investmentExtensionEUR": 400_000, "investmentExtensionYear": 3, "investmentExtensionLoanYears": 4,
            "fundingStateEUR": 250_000, "p2MaintenanceFromYear3EUR": 20_000, "p3RenewalFromYear5EUR": 7_000,
            "connectionFeeEUR": 1_000, "connectionFeeEURPerKW": 100, "firstYear": 2019,
        ])
        XCTAssertEqual(try EconomicTerms(values: terms.values), terms, "what the historian keeps reads back the same")
        let inputs = terms.inputs
        XCTAssertEqual(inputs.investmentEUR, 1_000_000)
        XCTAssertEqual(inputs.financedLines.map(\.name), ["Extension", "Plant"])
        XCTAssertEqual(Investment.annuities(inputs.financedLines, subsidiesEUR: 250_000), [75_000, 45_000])
        let m = MeasuredOperation(days: 365, customers: [.init(id: "a", soldMWh: 100, subscribedKW: 50),
                                                         .init(id: "b", soldMWh: 200, subscribedKW: 150, connectsInYear: 3)],
                                  networkOutputMWh: 330, boilerOutputMWh: 340, siloDropM3: 0, deliveredM3: 425, fuelKWhPerM3: 800,
                                  fuelTPerM3: 0.25, gasFuelMWhLHV: 0, electricityMWh: 3, trucks: 5, ashKg: 300, trenchM: 500,
                                  installedKW: 400, largestBoilerKW: 200)
        let account = OperatingAccount(inputs: inputs, measured: m)
        XCTAssertEqual(account.p4EUR, 120_000, accuracy: 1e-6, "the year at full build: both loans running")
        XCTAssertEqual(account.p2EUR, 20_000, "P2 of year 3, when the last customer has connected")
        XCTAssertEqual(account.p3EUR, 5_000, "P3 changes only from year 5")
        let plan = account.businessPlan(subsidiesEUR: 250_000)
        XCTAssertEqual(plan.years.count, 12)
        XCTAssertEqual(plan.years.map(\.calendarYear), (2019...2030).map { $0 })
        let p4: [Double] = [45_000, 45_000, 120_000, 120_000, 120_000, 120_000, 45_000, 45_000, 45_000, 45_000, 0, 0]
        XCTAssertEqual(plan.years.map(\.p4EUR), p4)
        let p2: [Double] = [10_000, 10_000] + Array(repeating: 20_000, count: 10)
        XCTAssertEqual(plan.years.map(\.p2EUR), p2)
        let p3: [Double] = Array(repeating: 5_000, count: 4) + Array(repeating: 7_000, count: 8)
        XCTAssertEqual(plan.years.map(\.p3EUR), p3)
        let fees: [Double] = [6_000, 0, 16_000] + Array(repeating: 0, count: 9)
        XCTAssertEqual(plan.years.map(\.connectionFeesEUR), fees)
        XCTAssertEqual(plan.years[1].soldMWh, 100)
        XCTAssertEqual(plan.years[2].soldMWh, 300)
        // the price at cost: Σ costs / Σ sales
        let costs = plan.years.reduce(0) { $0 + $1.totalCostsEUR }, sold = plan.years.reduce(0) { $0 + $1.soldMWh }
        XCTAssertEqual(plan.costPriceEURPerMWh, costs / sold, accuracy: 1e-9)
        XCTAssertEqual(sold, 2 * 100 + 10 * 300)
    }

    /// Without lines of their own, the investment is one loan from year 1 (the study's form),
    /// the same annuity as before lines had years.
    func testOneLoanByDefault() {
        let a = Finance.annuityEUR(principalEUR: 286_540, ratePerYear: 0.04, years: 5)
        let lines = [Investment(name: "a", amountEUR: 1_000_000, year: 1, loanRatePerYear: 0.04, loanYears: 5),
                     Investment(name: "b", amountEUR: 550_800, year: 1, loanRatePerYear: 0.04, loanYears: 5)]
        XCTAssertEqual(Investment.annuities(lines, subsidiesEUR: 1_264_260).reduce(0, +), a, accuracy: 1e-6)
        XCTAssertEqual(Investment.annuities(lines, subsidiesEUR: 2_000_000), [0, 0], "subsidies beyond the investment finance nothing")
    }

    /// The individual-boiler reference beside the network's price: 100 MWh a year and 50 kW;
    /// fuel 80 €/MWh at 80 % → P1 10,000 €; boiler 200 €/kW = 10,000 € over 10 years at 0 %
    /// within a 20-year horizon → 500 € a year spread; P2 10 and P3 5 €/(kW·year) → 750 €.
    /// 112.50 €/MWh excl. VAT, 135.00 incl. (20 % on all). The network: R1 50 €/MWh + R2
    /// 100 €/kW = 100 €/MWh excl., 105.50 incl.: 21.9 % cheaper.
    func testIndividualBoilerReference() throws {
        var values: [String: Double] = [
            "fuelPriceEURPerMWh": 30, "electricityEURPerMWh": 100, "p2MaintenanceEURPerYear": 10_000, "p3RenewalEURPerYear": 5_000,
            "loanRatePercent": 0, "loanYears": 10, "r1EURPerMWhInclVAT": 52.75, "r2EURPerKWInclVAT": 105.5, "heatVATPercent": 5.5,
            "fossilEfficiencyPercent": 80, "fossilCO2TPerMWh": 0.3, "fossilSO2KgPerMWh": 0.5, "horizonYears": 20,
            "individualFuelEURPerMWh": 80, "individualBoilerEURPerKW": 200, "individualP2EURPerKWYear": 10, "individualP3EURPerKWYear": 5,
            "individualLoanYears": 10,
        ]
        let terms = try EconomicTerms(values: values)
        XCTAssertEqual(try EconomicTerms(values: terms.values), terms)
        let ref = try XCTUnwrap(terms.individual)
        XCTAssertEqual(ref.efficiency, 0.8, "the buildings' old boilers' efficiency by default")
        XCTAssertEqual(ref.horizonYears, 20)
        let m = MeasuredOperation(days: 365, customers: [.init(id: "a", soldMWh: 100, subscribedKW: 50)], networkOutputMWh: 110,
                                  boilerOutputMWh: 115, siloDropM3: 0, deliveredM3: 150, fuelKWhPerM3: 800, fuelTPerM3: 0.25,
                                  gasFuelMWhLHV: 0, electricityMWh: 1, trucks: 1, ashKg: 50, trenchM: 100, installedKW: 100, largestBoilerKW: 100)
        let c = try XCTUnwrap(OperatingAccount(inputs: terms.inputs, measured: m).individualComparison.first)
        XCTAssertEqual(c.p1EUR, 10_000, accuracy: 1e-9)
        XCTAssertEqual(c.p4EUR, 1_000, accuracy: 1e-9)
        XCTAssertEqual(c.individualEURPerMWh, 112.5, accuracy: 1e-9)
        XCTAssertEqual(c.individualInclVATEURPerMWh, 135, accuracy: 1e-9)
        XCTAssertEqual(c.networkEURPerMWh, 100, accuracy: 1e-9)
        XCTAssertEqual(c.networkInclVATEURPerMWh, 105.5, accuracy: 1e-9)
        XCTAssertEqual(c.networkVsIndividualPercent, (105.5 / 135 - 1) * 100, accuracy: 1e-9)
        // a loan longer than the horizon: only the annuities within it
        values["individualLoanYears"] = 40
        let long = try XCTUnwrap(OperatingAccount(inputs: try EconomicTerms(values: values).inputs, measured: m).individualComparison.first)
        XCTAssertEqual(long.individualEURPerMWh, (10_000 + 750 + 250) / 100.0, accuracy: 1e-9)
        // without the reference: no comparison; half of it: refused
        values = values.filter { !$0.key.hasPrefix("individual") }
        XCTAssertTrue(OperatingAccount(inputs: try EconomicTerms(values: values).inputs, measured: m).individualComparison.isEmpty)
        values["individualP2EURPerKWYear"] = 10
        XCTAssertThrowsError(try EconomicTerms(values: values)) {
            XCTAssertEqual("\($0)", "individualP2EURPerKWYear needs individualFuelEURPerMWh and individualBoilerEURPerKW (the individual-boiler reference)")
        }
    }

    /// Bad keys are refused with the key named.
    func testBadKeysAreRefused() throws {
        let base: [String: Double] = [
            "fuelPriceEURPerMWh": 30, "electricityEURPerMWh": 100, "p2MaintenanceEURPerYear": 10_000, "p3RenewalEURPerYear": 5_000,
            "loanRatePercent": 0, "loanYears": 10, "r1EURPerMWhInclVAT": 52.75, "r2EURPerKWInclVAT": 105.5, "heatVATPercent": 5.5,
            "fossilEfficiencyPercent": 80, "fossilCO2TPerMWh": 0.3, "fossilSO2KgPerMWh": 0.5, "investmentPlantEUR": 1,
        ]
        func refusal(_ extra: [String: Double]) -> String {
            do { _ = try EconomicTerms(values: base.merging(extra) { $1 }); return "" } catch { return "\(error)" }
        }
        XCTAssertEqual(refusal(["investmentNetworkYear": 2]), "investmentNetworkYear is given without its line investmentNetworkEUR")
        XCTAssertEqual(refusal(["investmentPlantYear": 2.5]), "investmentPlantYear is 2.5, outside 1.0…60.0 plan year or not whole")
        XCTAssertEqual(refusal(["investmentPlantLoanYears": 0]), "investmentPlantLoanYears is 0.0, outside 1.0…50.0 years or not whole")
        XCTAssertEqual(refusal(["p2MaintenanceFromYear1EUR": 5]), "p2MaintenanceFromYear1EUR names plan year 1, outside 2…60 (year 1 is the base amount)")
        XCTAssertEqual(refusal(["p3RenewalFromYearXEUR": 5]), "p3RenewalFromYearXEUR is not an economic input")
        XCTAssertEqual(refusal(["connectionFeeEURPerKW": -1]), "connectionFeeEURPerKW is -1.0, outside 0.0…10000.0 €/kW")
        XCTAssertEqual(refusal([:]), "")
    }
}
