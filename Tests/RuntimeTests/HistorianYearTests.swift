import Foundation
import XCTest
import Economics
import Historian
import PlantRecording
import Reporting
import Serving
import SimulationCore
import Training

#if !DEBUG

/// Issue 4, must show 1: the reference year recorded into the historian, then reported from it.
final class HistorianYearTests: XCTestCase {
    func report() throws -> (OperatingReport, Simulation) {
        let sim = try referenceYearRun.get().1
        return (try OperatingReport(db: referenceYearDB, sessionID: nil), sim)
    }

    /// Heat sold per building is the meter's index difference, as the meter displays it.
    func testHeatSoldIsTheMetersIndexDifference() throws {
        let (r, sim) = try report()
        XCTAssertEqual(r.customers.count, sim.spec.buildings.count)
        XCTAssertEqual(r.measured.days, 365, accuracy: 1e-9)
        for (i, b) in sim.spec.buildings.enumerated() {
            let c = try XCTUnwrap(r.customers.first { $0.id == b.id })
            let end = sim.plant.substations[i].meter.energyKWhDisplayed
            let start = sim.statistics.startMeterKWh[i].rounded(.down)
            XCTAssertEqual(c.soldMWh * 1000, end - start, accuracy: 1e-6, b.id)
            XCTAssertEqual(c.monthlyMWh.reduce(0, +), c.soldMWh, accuracy: 1e-6, "\(b.id): the months add up")
        }
    }

    /// Issue 14: the year's January reported alone is carried to a year by degree days (space
    /// heating) and days (DHW), and gives the year's sales within 10 % (by days alone it would
    /// give twice them); the whole year is as measured.
    func testAJanuaryMonthGivesTheYearsSales() throws {
        let (year, _) = try report()
        XCTAssertEqual(year.measured.annualisation, .wholeYear)
        XCTAssertEqual(year.account.soldMWh, year.meteredMWh, accuracy: 1e-9)
        let jan = try OperatingReport(db: referenceYearDB, sessionID: nil, days: 31)
        XCTAssertEqual(jan.measured.days, 31, accuracy: 1e-9)
        guard case let .degreeDays(p, n) = jan.measured.annualisation else { return XCTFail("\(jan.measured.annualisation)") }
        XCTAssertEqual(n, 3300)
        XCTAssertEqual(p, jan.degreeDays)
        XCTAssertGreaterThan(p, 400, "a January at 3,300 K·d a year")
        XCTAssertTrue(jan.dhwEstimated)
        XCTAssertGreaterThan(jan.measured.customers.reduce(0) { $0 + $1.dhwPeriodMWh }, 0)
        let ratio = jan.account.soldMWh / year.account.soldMWh
        XCTAssertEqual(ratio, 1, accuracy: 0.10, "January carried to a year: \(jan.account.soldMWh) MWh against the year's \(year.account.soldMWh)")
        XCTAssertGreaterThan(jan.meteredMWh * 365 / 31 / year.meteredMWh, 1.5, "by days alone January overstates the year")
        XCTAssertEqual(jan.account.producedMWh / year.account.producedMWh, 1, accuracy: 0.10)
        XCTAssertTrue(jan.text.contains("by degree days"), jan.text)
        XCTAssertThrowsError(try OperatingReport(db: referenceYearDB, sessionID: nil, days: 400))
    }

    /// Revenue = (R1 × MWh + R2 × kW) / (1 + VAT) with the study's tariffs incl. VAT; with the
    /// study's own 683 MWh and 701 kW this is its 78,600 € excl. VAT.
    func testRevenue() throws {
        let (r, _) = try report()
        let a = r.account
        XCTAssertEqual(a.subscribedKW, 701, accuracy: 1e-9)
        XCTAssertEqual(a.revenueExclVATEUR, (45.63 * a.soldMWh + 73.85 * 701) / 1.055, accuracy: 1e-6)
        XCTAssertEqual(a.inputs.tariff.revenueExclVATEUR(soldMWh: 683, subscribedKW: 701), 78_600, accuracy: 15)
        XCTAssertEqual(a.soldMWh, r.customers.reduce(0) { $0 + $1.soldMWh }, accuracy: 1e-9)
        let r2 = a.r2Split
        XCTAssertEqual(r2.electricity + r2.maintenance + r2.renewal + r2.annuities, a.r2EUR, accuracy: 1e-6)
    }

    /// Fuel from the silo's balance (level drop + deliveries) agrees with the boilers' own
    /// counters, and the energy balance read from the historian closes.
    func testFuelAndBalanceFromTheHistorian() throws {
        let (r, sim) = try report()
        XCTAssertEqual(r.measured.woodMWhLHV, r.woodFuelCounterMWh, accuracy: 0.002 * r.woodFuelCounterMWh)
        XCTAssertEqual(r.measured.trucks, sim.plant.silo.trucksDelivered - sim.statistics.startTrucks)
        // 9 counters stored to the kWh: the residual is their rounding
        XCTAssertEqual(r.balanceResidualMWh, 0, accuracy: 0.01)
        XCTAssertEqual(r.meteredMWh, RunReport(sim).heatDeliveredMWh, accuracy: 0.011)
    }

    /// Every figure of the scenario's `reference:` has a measured figure beside it, computed
    /// from the recording (none is missing; none but the subscribed power, which is the sum of
    /// the buildings' design loads in both, equals the study's).
    func testStudyVsMeasuredIsComputed() throws {
        let (r, sim) = try report()
        XCTAssertEqual(r.comparisons.count, sim.spec.reference.values.count + 8, "every reference figure, slots one by one")
        for c in r.comparisons {
            let m = try XCTUnwrap(c.measured, c.key)
            if c.key == "connectedKW" {
                XCTAssertEqual(m, sim.spec.buildings.reduce(0) { $0 + $1.designLoadKW }, accuracy: 1e-9)
                continue
            }
            XCTAssertNotEqual(m, c.study, c.key)
            XCTAssertEqual(c.flagged, abs((m - c.study) / c.study) > 0.10, c.key)
        }
        let peak = try XCTUnwrap(r.comparisons.first { $0.key == "peakHourlyProductionKW" }?.measured)
        XCTAssertEqual(peak, RunReport(sim).peakHourlyProductionKW, accuracy: 1.0)
    }

    /// The report's JSON and HTML are produced from the same file; the HTML is self-contained.
    func testRenderings() throws {
        let (r, _) = try report()
        let json = try JSONSerialization.jsonObject(with: Data(try r.jsonText().utf8)) as? [String: Any]
        XCTAssertNotNil(json?["studyVsMeasured"])
        let html = r.html
        XCTAssertEqual(html.components(separatedBy: "<svg ").count - 1, 5)
        XCTAssertFalse(html.contains("http://") && html.contains("<script"), "no scripts, no external resources")
        XCTAssertFalse(html.contains("src=\"http"))
    }

    /// Size of a year of recording at the default period (issue 4: under 20 MB).
    func testHistorianSizeForAYear() throws {
        _ = try referenceYearRun.get()
        let h = try HistorianReader(path: referenceYearDB)
        XCTAssertEqual(try h.integrityCheck(), "ok")
        let size = (try FileManager.default.attributesOfItem(atPath: referenceYearDB)[.size] as? NSNumber)?.intValue ?? 0
        let wal = (try? FileManager.default.attributesOfItem(atPath: referenceYearDB + "-wal")[.size] as? NSNumber)?.intValue ?? 0
        print("historian: \(size + wal) bytes for a year, \(try h.sampleCount()) samples")
        XCTAssertLessThan(size + wal, 20_000_000)
    }
}
#endif
