import XCTest
@testable import Economics

/// The operating account against figures computed by hand.
final class OperatingAccountTests: XCTestCase {
    let inputs = EconomicInputs(
        investmentEUR: 1_000_000, subsidiesEUR: ["State": 200_000, "Region": 300_000, "CEE": 100_000],
        woodEURPerMWhLHV: 40, electricityEURPerMWh: 200, p2EURPerYear: 5_000, p3EURPerYear: 10_000,
        loanRatePerYear: 0, loanYears: 10, r1EURPerMWhInclVAT: 52.75, r2EURPerKWInclVAT: 105.5, heatVATRate: 0.055,
        horizonYears: 20, fossilCO2TPerMWh: 0.3, fossilSO2KgPerMWh: 0.5, fossilEfficiency: 0.8)

    /// Half a year measured: 2 customers, 300 MWh sold, 360 sent into the network; 400 m³ of
    /// chips burned (100 m³ level drop + 300 delivered) at 1000 kWh/m³.
    let half = MeasuredOperation(
        days: 182.5,
        customers: [.init(id: "a", soldMWh: 100, subscribedKW: 100), .init(id: "b", soldMWh: 200, subscribedKW: 300, connectsInYear: 3)],
        networkOutputMWh: 360, boilerOutputMWh: 370, siloDropM3: 100, deliveredM3: 300, fuelKWhPerM3: 1000, fuelTPerM3: 0.25,
        gasFuelMWhLHV: 0, electricityMWh: 5, trucks: 10, ashKg: 400, trenchM: 400, installedKW: 500, largestBoilerKW: 250)

    func testYearlyAccount() {
        let a = OperatingAccount(inputs: inputs, measured: half)
        // scaled ×2 to a year
        XCTAssertEqual(a.soldMWh, 600, accuracy: 1e-9)
        XCTAssertEqual(a.producedMWh, 720, accuracy: 1e-9)
        XCTAssertEqual(a.woodMWhLHV, 800, accuracy: 1e-9)
        XCTAssertEqual(a.woodT, 200, accuracy: 1e-9)
        // R1 = 52.75 / 1.055 = 50 €/MWh × 600; R2 = 100 €/kW × 400 (not scaled: a subscription)
        XCTAssertEqual(a.r1EUR, 30_000, accuracy: 1e-6)
        XCTAssertEqual(a.r2EUR, 40_000, accuracy: 1e-6)
        XCTAssertEqual(a.revenueInclVATEUR, 70_000 * 1.055, accuracy: 1e-6)
        // P1 = 800 × 40 + 10 MWh × 200; P4 = (1,000,000 − 600,000) / 10 at 0 %
        XCTAssertEqual(a.p1FuelEUR, 32_000, accuracy: 1e-6)
        XCTAssertEqual(a.p1ElectricityEUR, 2_000, accuracy: 1e-6)
        XCTAssertEqual(a.p4EUR, 40_000, accuracy: 1e-6)
        XCTAssertEqual(a.totalCostsEUR, 32_000 + 2_000 + 5_000 + 10_000 + 40_000, accuracy: 1e-6)
        XCTAssertEqual(a.grossResultEUR, 70_000 - 89_000, accuracy: 1e-6)
        // R2 split in proportion to 2,000 / 5,000 / 10,000 / 40,000 (57,000)
        let s = a.r2Split
        XCTAssertEqual(s.electricity, 40_000 * 2 / 57, accuracy: 1e-6)
        XCTAssertEqual(s.annuities, 40_000 * 40 / 57, accuracy: 1e-6)
        // indicators: 600 / 400 m = 1.5 MWh/m ("≤ 1.5: too spread")
        XCTAssertEqual(a.heatDensityMWhPerM, 1.5, accuracy: 1e-12)
        XCTAssertEqual(a.heatDensityBand, .tooSpread)
        XCTAssertEqual(a.lossesPercent, 120.0 / 720 * 100, accuracy: 1e-9)
        XCTAssertEqual(a.fullLoadHours, 720_000.0 / 500, accuracy: 1e-9)
        XCTAssertEqual(a.trucksPerYear, 20, accuracy: 1e-9)
        // environment: 600 MWh of heat from old boilers at 80 % = 750 MWh of fuel oil
        XCTAssertEqual(a.fossilReplacedMWh, 750, accuracy: 1e-9)
        XCTAssertEqual(a.fossilReplacedToe, 750 / 11.63, accuracy: 1e-9)
        XCTAssertEqual(a.co2AvoidedT, 225, accuracy: 1e-9)
        XCTAssertEqual(a.so2AvoidedKg, 375, accuracy: 1e-9)
        XCTAssertEqual(a.renewableShare, 1)
        XCTAssertEqual(a.vatRateEntitled, 0.055)
    }

    /// Issue 14: a short period carried to a year by degree days (heating) and days (DHW). A
    /// January month of 31 days and 600 K·d on a site of 3,000 K·d a year: customer a sold 50 MWh
    /// of which 2 MWh DHW (24 MWh a year estimated), b sold 1 MWh against 3 MWh of DHW estimated
    /// (36 a year): no space heat, and its DHW scaled to what it sold. The network lost 10 MWh.
    func testAShortPeriodIsCarriedToAYearByDegreeDays() {
        var a = MeasuredOperation.Customer(id: "a", soldMWh: 50, subscribedKW: 100)
        a.dhwPeriodMWh = 2; a.dhwYearMWh = 24
        var b = MeasuredOperation.Customer(id: "b", soldMWh: 1, subscribedKW: 10)
        b.dhwPeriodMWh = 3; b.dhwYearMWh = 36
        var m = MeasuredOperation(days: 31, customers: [a, b], networkOutputMWh: 61, boilerOutputMWh: 62, siloDropM3: 10, deliveredM3: 90,
                                  fuelKWhPerM3: 800, fuelTPerM3: 0.25, gasFuelMWhLHV: 0, electricityMWh: 1, trucks: 3, ashKg: 100,
                                  trenchM: 400, installedKW: 500, largestBoilerKW: 250)
        // without degree days: by days
        XCTAssertEqual(m.annualisation, .days)
        XCTAssertEqual(m.annualSoldMWh, 51 * 365 / 31, accuracy: 1e-9)
        m.periodDegreeDays = 600; m.normalDegreeDays = 3000
        XCTAssertEqual(m.annualisation, .degreeDays(period: 600, normal: 3000))
        XCTAssertEqual(m.annualSoldMWh(a), 48 * 5 + 24, accuracy: 1e-9)
        XCTAssertEqual(m.annualSoldMWh(b), 0 + 36.0 / 3, accuracy: 1e-9)
        // production: the sales a year plus the losses by days; fuel with production
        let produced = 264 + 12 + 10 * 365 / 31.0
        XCTAssertEqual(m.annualProducedMWh, produced, accuracy: 1e-9)
        let acc = OperatingAccount(inputs: inputs, measured: m)
        XCTAssertEqual(acc.soldMWh, 276, accuracy: 1e-9)
        XCTAssertEqual(acc.producedMWh, produced, accuracy: 1e-9)
        XCTAssertEqual(acc.woodMWhLHV, 80 * produced / 61, accuracy: 1e-9)
        XCTAssertEqual(acc.trucksPerYear, 3 * produced / 61, accuracy: 1e-9)
        XCTAssertEqual(acc.businessPlan(subsidiesEUR: 0).years[5].soldMWh, 276, accuracy: 1e-9, "the plan sells the sales carried to a year")
        // a summer month: too few degree days (under 2 % of the year's) to carry heating: by days
        m.periodDegreeDays = 59
        XCTAssertEqual(m.annualisation, .days)
        XCTAssertEqual(acc.measured.annualisation, .degreeDays(period: 600, normal: 3000))
        // a whole year is as measured
        m.days = 365; m.periodDegreeDays = 3100
        XCTAssertEqual(m.annualisation, .wholeYear)
        XCTAssertEqual(m.annualSoldMWh, 51, accuracy: 1e-12)
    }

    /// Wood with gas top-up (issue 12, item 5): gas priced in P1 on its HHV, counted in the
    /// installed power, netted out of the fossil energy and CO2 avoided. Half a year: 45 MWh LHV
    /// of gas from a 250 kW gas boiler beside 500 kW of wood, gas at 60 €/MWh HHV.
    func testGasTopUpIsPricedCountedAndNetted() {
        var i = inputs
        i.gasEURPerMWhHHV = 60
        var m = half
        m.gasFuelMWhLHV = 45
        m.installedKW = 750
        let a = OperatingAccount(inputs: i, measured: m)
        // a year: 90 MWh LHV = 100 MWh HHV (LHV/HHV 0.9) × 60 € = 6,000 €
        XCTAssertEqual(a.gasMWhLHV, 90, accuracy: 1e-9)
        XCTAssertEqual(a.gasMWhHHV, 100, accuracy: 1e-9)
        XCTAssertEqual(a.p1GasEUR, 6_000, accuracy: 1e-6)
        XCTAssertEqual(a.totalCostsEUR, 89_000 + 6_000, accuracy: 1e-6)
        // 720 MWh produced on 750 kW installed (wood and gas): 960 h, not 1,440 h on the wood alone
        XCTAssertEqual(a.fullLoadHours, 960, accuracy: 1e-9)
        // fossil: 750 MWh the buildings' boilers would burn, less 90 MWh of gas = 660 MWh;
        // CO2: 750 × 0.3 − 90 × 0.202 (IPCC natural gas) = 206.82 t
        XCTAssertEqual(a.fossilReplacedMWh, 660, accuracy: 1e-9)
        XCTAssertEqual(a.fossilReplacedToe, 660 / 11.63, accuracy: 1e-9)
        XCTAssertEqual(a.co2AvoidedT, 206.82, accuracy: 1e-9)
        // renewable share, without the gas boilers' heat counter (an older historian): estimated
        // at 92 % on LHV, 45 × 0.92 = 41.4 MWh of 370 from gas; with it, what they delivered
        XCTAssertEqual(a.renewableShare, 1 - 41.4 / 370, accuracy: 1e-12)
        var counted = m
        counted.gasOutputMWh = 43.5
        XCTAssertEqual(OperatingAccount(inputs: i, measured: counted).renewableShare, 1 - 43.5 / 370, accuracy: 1e-12)
        XCTAssertEqual(a.vatRateEntitled, 0.055, "more than half renewable")
        // the plan over the horizon prices the gas too
        XCTAssertGreaterThan(a.businessPlan(subsidiesEUR: 0).years[2].p1FuelEUR, a.p1FuelEUR)
    }

    func testAidLevels() {
        let a = OperatingAccount(inputs: inputs, measured: half)
        let levels = Dictionary(uniqueKeysWithValues: a.aidLevels.map { ($0.name, $0.subsidiesEUR) })
        XCTAssertEqual(levels["none"], 0)
        XCTAssertEqual(levels["minimum"], 500_000, "state and region, without energy-saving certificates")
        XCTAssertEqual(levels["maximum"], 600_000)
        XCTAssertEqual(levels["average"], 550_000)
    }

    /// The plan built on the measured year: customer b connects in year 3.
    func testBusinessPlanFromTheMeasuredYear() {
        let a = OperatingAccount(inputs: inputs, measured: half)
        let p = a.businessPlan(subsidiesEUR: 600_000)
        XCTAssertEqual(p.years.count, 20)
        XCTAssertEqual(p.years[0].soldMWh, 200, accuracy: 1e-9)
        XCTAssertEqual(p.years[0].subscribedKW, 100, accuracy: 1e-9)
        XCTAssertEqual(p.years[2].soldMWh, 600, accuracy: 1e-9)
        XCTAssertEqual(p.years[2].r2EUR, 40_000, accuracy: 1e-6)
        // production follows sales at the measured loss share (120 / 720)
        XCTAssertEqual(p.years[2].producedMWh, 720, accuracy: 1e-9)
        XCTAssertEqual(p.years[0].p4EUR, 40_000, accuracy: 1e-6)
        XCTAssertEqual(p.years[10].p4EUR, 0)
        let r2 = p.years[0].r2Split
        XCTAssertEqual(r2.electricity + r2.maintenance + r2.renewal + r2.annuities, p.years[0].r2EUR, accuracy: 1e-6)
    }

    /// Payback looked for beyond the horizon: yearly result before financing from year 3 is
    /// 70,000 − 32,000 − 2,000 − 5,000 − 10,000 = 21,000 €; years 1–2 sell 200 MWh.
    func testPaybackBeyondTheHorizon() {
        let a = OperatingAccount(inputs: inputs, measured: half)
        // years 1–2: revenue 50 × 200 + 100 × 100 = 20,000 less fuel 266.7 MWh × 40, electricity
        // 666.7 €, P2 and P3: −6,333 € a year
        let plan = a.businessPlan(subsidiesEUR: 0, years: 100)
        let results = plan.years.map { $0.grossResultEUR + $0.p4EUR }
        XCTAssertEqual(results[5], 21_000, accuracy: 1e-6)
        XCTAssertEqual(results[0], 20_000 - 32_000.0 / 3 - 2_000.0 / 3 - 15_000, accuracy: 1e-6)
        let expected = Finance.simplePaybackYears(investmentEUR: 1_000_000, yearlyResultsEUR: results)!
        XCTAssertEqual(a.simplePaybackYears(subsidiesEUR: 0)!, expected, accuracy: 1e-9)
        XCTAssertGreaterThan(expected, 20, "beyond the 20-year horizon, still found")
        // with 600,000 € of subsidies: 400,000 / 21,000 ≈ 19 years after the first two
        let y = a.simplePaybackYears(subsidiesEUR: 600_000)!
        XCTAssertEqual(y, 2 + (400_000 - results[0] - results[1]) / 21_000, accuracy: 1e-6)
    }

    func testHeatDensityBands() {
        XCTAssertEqual(HeatDensityBand(mwhPerM: 1.31), .tooSpread)
        XCTAssertEqual(HeatDensityBand(mwhPerM: 1.51), .uncertain)
        XCTAssertEqual(HeatDensityBand(mwhPerM: 1.99), .uncertain)
        XCTAssertEqual(HeatDensityBand(mwhPerM: 2), .probablyViable)
        XCTAssertEqual(HeatDensityBand(mwhPerM: 5), .denseUrban)
    }
}
