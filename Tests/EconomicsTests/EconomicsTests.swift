import XCTest
import Economics

/// Against vectors computed by hand (shown in the comments).
final class EconomicsTests: XCTestCase {
    func testAnnuity() {
        // 1,000,000 € at 4 % over 5 years: 10⁶ × 0.04 / (1 − 1.04⁻⁵) = 224,627.11 €
        XCTAssertEqual(Finance.annuityEUR(principalEUR: 1_000_000, ratePerYear: 0.04, years: 5), 224_627.11, accuracy: 0.01)
        XCTAssertEqual(Finance.annuityEUR(principalEUR: 120_000, ratePerYear: 0, years: 12), 10_000)
    }

    /// The study's revenue: (45.63 × 683 + 73.85 × 701) / 1.055 = (31,165.29 + 51,768.85) / 1.055
    /// = 82,934.14 / 1.055 = 78,610.56 € (the study rounds it to 78,600 €).
    func testStudyRevenueExclVAT() {
        let t = Tariff.inclVAT(r1EURPerMWh: 45.63, r2EURPerKW: 73.85, vatRate: Finance.heatVATRate(renewableShare: 1))
        XCTAssertEqual(t.revenueExclVATEUR(soldMWh: 683, subscribedKW: 701), 78_610.56, accuracy: 0.01)
        XCTAssertEqual(Finance.heatVATRate(renewableShare: 0.4), 0.20)
    }

    func plan(subsidies: Double) -> BusinessPlan {
        // two customers: A 100 MWh / 80 kW from year 1 (fee 1,000 €), B 50 MWh / 40 kW from year 3
        BusinessPlan(.init(years: 4,
                           customers: [.init(id: "A", annualMWh: 100, subscribedKW: 80, connectsInYear: 1, connectionFeeEUR: 1000),
                                       .init(id: "B", annualMWh: 50, subscribedKW: 40, connectsInYear: 3)],
                           lossShare: 0.2, seasonalEfficiency: 0.8, woodShare: 1, woodEURPerMWhLHV: 40,
                           electricityEURPerMWhProduced: 2, p2EURPerYear: 1000, p3EURPerYear: 500,
                           investmentEUR: 20_000, subsidiesEUR: subsidies, loanRatePerYear: 0, loanYears: 2,
                           tariff: Tariff(r1EURPerMWh: 60, r2EURPerKW: 50, vatRate: 0.055)))
    }

    func testPhasedSalesAndYearColumns() {
        let p = plan(subsidies: 0)
        XCTAssertEqual(p.years.map(\.soldMWh), [100, 100, 150, 150])
        XCTAssertEqual(p.years.map(\.subscribedKW), [80, 80, 120, 120])
        // year 1: produced 100 / 0.8 = 125 MWh; wood 125 / 0.8 = 156.25 MWh LHV → P1 fuel 6,250 €;
        // electricity 250 €; P2 1,000; P3 500; P4 20,000 / 2 = 10,000 → costs 18,000 €
        // revenue 60 × 100 + 50 × 80 + fee 1,000 = 11,000 € → result −7,000 €
        let y1 = p.years[0]
        XCTAssertEqual(y1.producedMWh, 125, accuracy: 1e-9)
        XCTAssertEqual(y1.woodMWhLHV, 156.25, accuracy: 1e-9)
        XCTAssertEqual(y1.totalCostsEUR, 18_000, accuracy: 1e-6)
        XCTAssertEqual(y1.totalRevenueEUR, 11_000, accuracy: 1e-6)
        XCTAssertEqual(y1.grossResultEUR, -7_000, accuracy: 1e-6)
        // year 3: 150 MWh sold, 187.5 produced, fuel 9,375, electricity 375, no P4 → costs 11,250;
        // revenue 9,000 + 6,000 = 15,000 → result 3,750
        XCTAssertEqual(p.years[2].totalCostsEUR, 11_250, accuracy: 1e-6)
        XCTAssertEqual(p.years[2].grossResultEUR, 3_750, accuracy: 1e-6)
    }

    func testAveragePriceOfHeatWithAndWithoutSubsidies() {
        // revenue over 4 years: 11,000 + 10,000 + 15,000 + 15,000 = 51,000 € for 500 MWh
        // → 102.00 € / MWh excl. VAT, 107.61 incl. 5.5 % VAT
        let p = plan(subsidies: 0)
        XCTAssertEqual(p.averagePriceEURPerMWh, 102, accuracy: 1e-9)
        XCTAssertEqual(p.averagePriceInclVATEURPerMWh, 107.61, accuracy: 1e-9)
        // at cost: 18,000 + 18,000 + 11,250 + 11,250 = 58,500 € / 500 MWh = 117.00 € / MWh;
        // with 10,000 € of subsidies the loan halves (P4 5,000 € for 2 years): 48,500 / 500 = 97.00
        XCTAssertEqual(p.costPriceEURPerMWh, 117, accuracy: 1e-9)
        XCTAssertEqual(plan(subsidies: 10_000).costPriceEURPerMWh, 97, accuracy: 1e-9)
    }

    func testSimplePayback() {
        // results before financing: 3,000; 2,000; 3,750; 3,750 (cumulated 12,500 after 4 years)
        // → 10,000 € net investment paid back during year 4: 3 + (10,000 − 8,750) / 3,750 = 3.333 years
        XCTAssertEqual(plan(subsidies: 10_000).simplePaybackYears!, 3 + 1_250.0 / 3_750, accuracy: 1e-9)
        XCTAssertNil(plan(subsidies: 0).simplePaybackYears)   // 20,000 € not reached in 4 years
        XCTAssertEqual(Finance.simplePaybackYears(investmentEUR: 100, yearlyResultsEUR: [50, 50, 50]), 2)
    }
}
