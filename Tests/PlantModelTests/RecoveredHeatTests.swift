import XCTest
@testable import PlantModel

/// Recovered heat: offered on its programme, limited by its exchanger's temperature difference,
/// a CHP's electricity in proportion to its heat.
final class RecoveredHeatTests: XCTestCase {
    func testProgrammeExchangerAndCHP() {
        let shifts = WeeklySchedule(periods: [.init(weekdays: Set(1...5), fromHour: 6, toHour: 22)])
        var r = RecoveredHeat(kind: .chp, maxKW: 400, supplyC: 90, designDeltaK: 15, electricPerHeat: 0.8, schedule: shifts)
        let cal = SimCalendar(start: CivilDate(year: 2025, month: 1, day: 6))   // a Monday
        // Monday 10:00, the buffer's bottom at 50 °C: the whole 400 kW; at 80 °C: 400 × 10 / 15
        r.step(dtS: 1, moment: cal.moment(10 * 3600), storeC: 50)
        XCTAssertTrue(r.running); XCTAssertEqual(r.toLoopKW, 400); XCTAssertEqual(r.electricKW, 320, accuracy: 1e-9)
        r.step(dtS: 1, moment: cal.moment(10 * 3600), storeC: 80)
        XCTAssertEqual(r.toLoopKW, 400 * 10 / 15, accuracy: 1e-9)
        r.step(dtS: 1, moment: cal.moment(10 * 3600), storeC: 91)
        XCTAssertEqual(r.toLoopKW, 0, "nothing once the buffer is as hot as the source")
        // Monday 23:00 and Saturday noon: the source does not run
        r.step(dtS: 1, moment: cal.moment(23 * 3600), storeC: 50)
        XCTAssertFalse(r.running); XCTAssertEqual(r.toLoopKW, 0)
        r.step(dtS: 1, moment: cal.moment(5 * 86400 + 12 * 3600), storeC: 50)
        XCTAssertFalse(r.running)
        // a trip, and the plant refusing the heat
        r.tripped = true
        r.step(dtS: 1, moment: cal.moment(10 * 3600), storeC: 50)
        XCTAssertEqual(r.toLoopKW, 0)
        r.tripped = false; r.enabled = false
        r.step(dtS: 1, moment: cal.moment(10 * 3600), storeC: 50)
        XCTAssertTrue(r.running); XCTAssertEqual(r.toLoopKW, 0)
        XCTAssertEqual(r.toLoopKWh, (400 + 400 * 10 / 15) / 3600, accuracy: 1e-9)
    }
}
