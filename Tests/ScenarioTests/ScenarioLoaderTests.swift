import XCTest
import Foundation
import Scenario
import PlantModel

/// Path of a file of the package, from this test file's location.
func packagePath(_ relative: String) -> String {
    URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent(relative).path
}

final class ScenarioLoaderTests: XCTestCase {
    func testReferenceScenarioHoldsTheStudysPlant() throws {
        let s = try ScenarioLoader.load(path: packagePath("Scenarios/wangenbourg-trace1.yaml"))
        XCTAssertEqual(s.buildings.count, 10)
        XCTAssertEqual(s.buildings.reduce(0) { $0 + $1.designLoadKW }, 701, accuracy: 1e-9)
        XCTAssertEqual(s.buildings.reduce(0) { $0 + $1.annualHeatMWh }, 683, accuracy: 1e-9)
        // the study's table says 5924 m² in total; its rows add up to 5923
        XCTAssertEqual(s.buildings.reduce(0) { $0 + $1.floorAreaM2 }, 5923, accuracy: 1e-9)
        XCTAssertEqual(s.network.pipes.reduce(0) { $0 + $1.lengthM }, 593, accuracy: 1e-9)
        XCTAssertEqual(s.boilerRoom.boilers.map(\.nominalKW), [250, 250, 250])
        XCTAssertEqual(s.boilerRoom.bufferVolumeM3, 15)
        XCTAssertEqual(s.boilerRoom.siloGrossM3, 236)
        XCTAssertEqual(s.boilerRoom.fuel.lhvMWhPerT, 3.52)
        XCTAssertEqual(s.reference.values["heatProducedMWh"], 777)
        XCTAssertEqual(s.reference.weekdaySlotsKW, [322, 550, 567, 540])
        XCTAssertEqual(s.economics["r1EURPerMWhInclVAT"], 45.63)
        let hotel = s.buildings.first { $0.id == "parc_hotel" }!
        XCTAssertEqual(hotel.schedule.season, WeeklySchedule.Season(openMonth: 3, openDay: 15, closeMonth: 10, closeDay: 31))
    }

    func testDerivedScenarioKeepsThePlantAndSetsEvents() throws {
        let s = try ScenarioLoader.load(path: packagePath("Scenarios/wangenbourg-design-two-boilers-out.yaml"))
        XCTAssertEqual(s.start, CivilDate(year: 2025, month: 3, day: 17))
        XCTAssertEqual(s.buildings.count, 10)
        XCTAssertEqual(s.events.count, 3)
        XCTAssertEqual(s.events[0].kind, .holdOutdoor(C: -15))
        XCTAssertEqual(s.events[1].kind, .boilerOut(index: 0))
        XCTAssertEqual(s.events[2].kind, .boilerOut(index: 1))
    }

    /// Errors name the file, the line and the field; the text of the reference scenario is
    /// altered in one place each time.
    func testErrorsNameFileLineAndField() throws {
        let text = try String(contentsOfFile: packagePath("Scenarios/wangenbourg-trace1.yaml"), encoding: .utf8)
        func lineOf(_ needle: String) -> Int {
            text.components(separatedBy: "\n").firstIndex { $0.contains(needle) }! + 1
        }
        func expectError(_ from: String, _ to: String, field: String, line: Int, contains: String, file: StaticString = #filePath, l: UInt = #line) {
            let bad = text.replacingOccurrences(of: from, with: to)
            XCTAssertNotEqual(bad, text, file: file, line: l)
            XCTAssertThrowsError(try ScenarioLoader.parse(text: bad, file: "bad.yaml"), file: file, line: l) { e in
                guard let e = e as? ScenarioError else { return XCTFail("\(e)", file: file, line: l) }
                XCTAssertEqual(e.file, "bad.yaml", file: file, line: l)
                XCTAssertEqual(e.field, field, file: file, line: l)
                XCTAssertEqual(e.line, line, file: file, line: l)
                XCTAssertTrue(e.message.contains(contains), "\(e)", file: file, line: l)
            }
        }
        expectError("designLoadKW: 107", "designLoadKW: lots", field: "buildings[2].designLoadKW", line: lineOf("designLoadKW: 107"), contains: "expected a number")
        expectError("designLoadKW: 107", "designLoadKW: -3", field: "buildings[2].designLoadKW", line: lineOf("designLoadKW: 107"), contains: "outside")
        expectError("    annualHeatMWh: 111\n", "    annualHeatMWh: 111\n    colour: red\n", field: "buildings[2].colour", line: lineOf("annualHeatMWh: 111") + 1, contains: "unknown field")
        expectError("  groundC: 10\n", "", field: "site.groundC", line: lineOf("site:") + 1, contains: "missing required field")
        expectError("from: J3, to: parc_hotel", "from: J9, to: parc_hotel", field: "network.pipes[10].from", line: lineOf("from: J3, to: parc_hotel"), contains: "not the plant")
        expectError("days: Mon-Fri, from: \"07:00\", to: \"17:30\"", "days: Mon-Fry, from: \"07:00\", to: \"17:30\"",
                    field: "buildings[2].schedule[0].days", line: lineOf("days: Mon-Fri, from: \"07:00\", to: \"17:30\""), contains: "expected days")
        // a syntax error is reported where the YAML parser finds it, a line or two on
        let bad = text.replacingOccurrences(of: "stepSeconds: 1\n", with: "stepSeconds: [\n")
        XCTAssertThrowsError(try ScenarioLoader.parse(text: bad, file: "bad.yaml")) { e in
            let e = e as! ScenarioError
            XCTAssertTrue((lineOf("stepSeconds: 1")...(lineOf("stepSeconds: 1") + 3)).contains(e.line), "\(e)")
            XCTAssertTrue(e.message.contains("YAML syntax"))
        }
    }

    func testCalibrationReproducesTheAnnualFigureOnTheNormalYear() throws {
        let s = try ScenarioLoader.load(path: packagePath("Scenarios/wangenbourg-trace1.yaml"))
        let built = try PlantBuilder.build(s, days: 1)
        for (c, b) in zip(built.calibrations, s.buildings) {
            XCTAssertEqual(c.calibratedSpaceHeatMWh + c.dhwEstimateMWh, b.annualHeatMWh, accuracy: 0.01 * b.annualHeatMWh, b.id)
            XCTAssertGreaterThan(c.heatLossKWPerK, 0)
            XCTAssertGreaterThanOrEqual(c.freeHeatKW, 0)
        }
    }
}
