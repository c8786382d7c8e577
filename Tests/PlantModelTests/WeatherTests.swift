import XCTest
import PlantModel

final class WeatherTests: XCTestCase {
    let normals = [0.0, 1.0, 4.9, 8.9, 12.9, 16.4, 18.3, 17.9, 13.6, 9.0, 4.0, 0.7]
    func gen(seed: UInt64) -> WeatherSeries {
        SyntheticWeather(monthlyMeanC: normals, diurnalHalfSwingK: [Double](repeating: 4, count: 12), anomalySigmaK: 3,
                         heatingDegreeDays: 3300, designTemperatureC: -15)
            .generate(start: CivilDate(year: 2025, month: 1, day: 1), days: 365, seed: seed)
    }

    func testCalibratedToDegreeDaysAndDesignTemperature() {
        let w = gen(seed: 1)
        XCTAssertEqual(w.heatingDegreeDays(days: 365), 3300, accuracy: 1)
        XCTAssertEqual(w.hourlyC.min()!, -15, accuracy: 0.05)
        // monthly means stay near the normals (anomalies average out, δ is small)
        let july = w.hourlyC[(181 * 24)..<(212 * 24)].reduce(0, +) / Double(31 * 24)
        XCTAssertEqual(july, 18.3, accuracy: 1.5)
    }

    func testSameSeedSameWeatherOtherSeedOther() {
        XCTAssertEqual(gen(seed: 7).hourlyC, gen(seed: 7).hourlyC)
        XCTAssertNotEqual(gen(seed: 7).hourlyC, gen(seed: 8).hourlyC)
    }

    /// A day's weather does not depend on the run's length: a 29-day run's January is the year
    /// run's, and the year's is the two-year run's (the run command generates `days + 1`).
    func testADaysWeatherDoesNotDependOnTheRunsLength() {
        let w = SyntheticWeather(monthlyMeanC: normals, diurnalHalfSwingK: [Double](repeating: 4, count: 12), anomalySigmaK: 3,
                                 heatingDegreeDays: 3300, designTemperatureC: -15)
        let start = CivilDate(year: 2025, month: 1, day: 1)
        let short = w.generate(start: start, days: 30, seed: 1).hourlyC
        let year = w.generate(start: start, days: 366, seed: 1).hourlyC
        let two = w.generate(start: start, days: 731, seed: 1).hourlyC
        XCTAssertEqual(short, Array(year.prefix(short.count)))
        XCTAssertEqual(Array(year.prefix(365 * 24)), Array(two.prefix(365 * 24)))
    }

    func testCSVImport() throws {
        let text = "timestamp,outdoor_C\n2025-01-01T00:00,1.5\n2025-01-01T01:00,2.5\n2025-01-01T02:00,-1\n"
        let w = try WeatherImport.csv(text: text, file: "w.csv", start: CivilDate(year: 2025, month: 1, day: 1))
        XCTAssertEqual(w.hourlyC, [1.5, 2.5, -1])
        XCTAssertEqual(w.temperatureC(at: 1800), 2.0, accuracy: 1e-12)
    }

    func testCSVErrorsNameLineAndField() {
        let start = CivilDate(year: 2025, month: 1, day: 1)
        XCTAssertThrowsError(try WeatherImport.csv(text: "2025-01-01T00:00,1\n2025-01-01T02:00,2\n", file: "w.csv", start: start)) { e in
            let e = e as! WeatherFileError
            XCTAssertEqual(e.line, 2); XCTAssertEqual(e.field, "timestamp")
        }
        XCTAssertThrowsError(try WeatherImport.csv(text: "2025-01-01T00:00,1\n2025-01-01T01:00,warm\n", file: "w.csv", start: start)) { e in
            let e = e as! WeatherFileError
            XCTAssertEqual(e.line, 2); XCTAssertEqual(e.field, "temperature")
            XCTAssertTrue("\(e)".hasPrefix("w.csv:2: temperature:"))
        }
    }

    func testEPWImport() throws {
        var lines = (0..<8).map { "HEADER\($0)" }
        for d in 1...2 { for h in 1...24 { lines.append("1999,1,\(d),\(h),60,?,\(Double(d * 100 + h) / 100),5,80") } }
        let w = try WeatherImport.epw(text: lines.joined(separator: "\n"), file: "x.epw", start: CivilDate(year: 2025, month: 1, day: 1), days: 1)
        XCTAssertEqual(w.hourlyC.count, 25)
        XCTAssertEqual(w.hourlyC[0], 1.01)
        XCTAssertEqual(w.hourlyC[24], 2.01)
        XCTAssertThrowsError(try WeatherImport.epw(text: (lines[0..<8] + ["1999,13,1,1,60,?,1"]).joined(separator: "\n"), file: "x.epw",
                                                   start: CivilDate(year: 2025, month: 1, day: 1), days: 1)) { e in
            XCTAssertEqual((e as! WeatherFileError).line, 9)
            XCTAssertEqual((e as! WeatherFileError).field, "month")
        }
    }

    func testCalendar() {
        XCTAssertEqual(CivilDate(year: 2025, month: 1, day: 1).isoWeekday, 3)   // a Wednesday
        XCTAssertEqual(CivilDate(daysSinceEpoch: CivilDate(year: 2024, month: 2, day: 29).daysSinceEpoch), CivilDate(year: 2024, month: 2, day: 29))
        let cal = SimCalendar(start: CivilDate(year: 2025, month: 3, day: 17))
        XCTAssertEqual(cal.moment(5 * 86400 + 3600).isoWeekday, 6)   // Saturday 22 March, 01:00
        XCTAssertTrue(cal.moment(5 * 86400 + 3600).isWeekend)
    }
}
