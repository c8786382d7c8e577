import XCTest
import Economics
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
        XCTAssertEqual(s.economics?.r1EURPerMWhInclVAT, 45.63)
        let hotel = s.buildings.first { $0.id == "parc_hotel" }!
        XCTAssertEqual(hotel.schedule.season, WeeklySchedule.Season(openMonth: 3, openDay: 15, closeMonth: 10, closeDay: 31))
    }

    func testDerivedScenarioKeepsThePlantAndSetsEvents() throws {
        let s = try ScenarioLoader.load(path: packagePath("Scenarios/wangenbourg-design-two-boilers-out.yaml"))
        XCTAssertEqual(s.start, CivilDate(year: 2025, month: 3, day: 17))
        XCTAssertEqual(s.buildings.count, 10)
        XCTAssertEqual(s.events.count, 3)
        XCTAssertEqual(s.events[0].instruction, .holdOutdoor(C: -15))
        XCTAssertEqual(s.events[1].instruction, .fault(.boilerOut(id: "B1")))
        XCTAssertEqual(s.events[2].instruction, .fault(.boilerOut(id: "B2")))
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
        // a network too cold for the emitters it feeds: its substations' exchangers cannot be sized
        expectError("coldSupplyC: 85,", "coldSupplyC: 65,", field: "boilerRoom.supplyLaw.coldSupplyC", line: lineOf("coldSupplyC: 85,"),
                    contains: "cannot feed building 'mairie', whose emitters are designed for 65.0 °C")
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
            XCTAssertGreaterThan(c.heatLossKWPerK, 0)
        }
    }
}

/// Files that once crashed `check` or were taken silently (issue 10): refused naming file:line: field.
final class BadInputTests: XCTestCase {
    var reference: String { try! String(contentsOfFile: packagePath("Scenarios/wangenbourg-trace1.yaml"), encoding: .utf8) }
    func line(_ text: String, _ needle: String) -> Int { text.components(separatedBy: "\n").firstIndex { $0.contains(needle) }! + 1 }

    func refusal(_ text: String) -> String {
        do { _ = try ScenarioLoader.parse(text: text, file: "s.yaml"); return "accepted" } catch { return "\(error)" }
    }

    func testExtendsCyclesAreRefused() throws {
        let dir = NSTemporaryDirectory() + "/extends-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        try "extends: self.yaml\nname: loop\n".write(toFile: dir + "/self.yaml", atomically: true, encoding: .utf8)
        try "extends: b.yaml\nname: a\n".write(toFile: dir + "/a.yaml", atomically: true, encoding: .utf8)
        try "extends: a.yaml\nname: b\n".write(toFile: dir + "/b.yaml", atomically: true, encoding: .utf8)
        XCTAssertThrowsError(try ScenarioLoader.load(path: dir + "/self.yaml")) { XCTAssertTrue("\($0)".contains("self.yaml:1: extends: 'self.yaml' extends back"), "\($0)") }
        XCTAssertThrowsError(try ScenarioLoader.load(path: dir + "/a.yaml")) { XCTAssertTrue("\($0)".contains("a.yaml → b.yaml → a.yaml): a cycle"), "\($0)") }
    }

    func testDeepNestingIsRefusedBeforeTheParser() {
        let t = reference
        let deep = t.replacingOccurrences(of: "seed: 1\n", with: "seed: " + String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000) + "\n")
        XCTAssertEqual(refusal(deep), "s.yaml:\(line(t, "seed: 1")): (document): nested deeper than 64 levels")
    }

    func testEconomicsAndReferenceKeysAndRanges() {
        let t = reference
        XCTAssertTrue(refusal(t.replacingOccurrences(of: "  loanYears: 5", with: "  loanYear: 5")).hasPrefix("s.yaml:\(line(t, "  loanYears: 5")): economics.loanYear: unknown field"))
        XCTAssertTrue(refusal(t.replacingOccurrences(of: "  loanYears: 5", with: "  loanYears: 1e300")).hasPrefix("s.yaml:\(line(t, "  loanYears: 5")): economics.loanYears: 1e300 years is outside"))
        // issue 14: lines with their year and loan, phased P2/P3
        let phase = refusal(t.replacingOccurrences(of: "  loanYears: 5", with: "  loanYears: 5\n  p2MaintenanceFromYear1EUR: 5000"))
        XCTAssertTrue(phase.hasPrefix("s.yaml:\(line(t, "  loanYears: 5") + 1): economics.p2MaintenanceFromYear1EUR: names plan year 1, outside 2…60"), phase)
        let orphan = refusal(t.replacingOccurrences(of: "  loanYears: 5", with: "  loanYears: 5\n  investmentExtensionYear: 3"))
        XCTAssertTrue(orphan.contains("economics: investmentExtensionYear is given without its line investmentExtensionEUR"), orphan)
        let late = refusal(t.replacingOccurrences(of: "  loanYears: 5", with: "  loanYears: 5\n  investmentCivilWorksYear: 2.5"))
        XCTAssertTrue(late.hasPrefix("s.yaml:\(line(t, "  loanYears: 5") + 1): economics.investmentCivilWorksYear: 2.5 is not a whole number of plan year"), late)
        XCTAssertTrue(refusal(t.replacingOccurrences(of: "  horizonYears: 24", with: "  horizonYears: 2.5")).contains("economics.horizonYears: 2.5 is not a whole number"))
        XCTAssertTrue(refusal(t.replacingOccurrences(of: "  heatDeliveredMWh: 683", with: "  heatDeliverdMWh: 683")).contains("reference.heatDeliverdMWh: unknown field"))
        // an input the economic model needs, left out: refused when the scenario loads, not when the report is asked for
        let missing = refusal(t.replacingOccurrences(of: "  r1EURPerMWhInclVAT: 45.63\n", with: ""))
        // (the line of the section's first input: where the mapping starts)
        XCTAssertTrue(missing.hasPrefix("s.yaml:\(line(t, "economics:") + 1): economics: r1EURPerMWhInclVAT is required (€/MWh); the economic model needs fuelPriceEURPerMWh,"), missing)
    }

    /// Issue 14: the zone of the second study, variant 1, holds the study's figures: 36
    /// buildings connected in 7 yearly steps of the study's kW and MWh, 2,200 m of trench, a
    /// 70 °C network, wood 800 + 700 kW and gas 2 × 6 MW, its investment and financing.
    func testTheZoneScenarioHoldsTheStudysFigures() throws {
        let s = try ScenarioLoader.load(path: packagePath("Scenarios/zone-variant1-wood-gas.yaml"))
        XCTAssertEqual(s.buildings.count, 36)
        XCTAssertEqual(s.buildings.reduce(0) { $0 + $1.designLoadKW }, 8710, accuracy: 18, "rounded to the kW per building")
        XCTAssertEqual(s.buildings.reduce(0) { $0 + $1.annualHeatMWh }, 16180, accuracy: 18)
        let steps: [(kW: Double, mwh: Double)] = [(2508, 4581), (2175, 3875), (2877, 5596), (288, 532), (287, 532), (287, 532), (288, 532)]
        for (k, step) in steps.enumerated() {
            let b = s.buildings.filter { $0.connectYear == k + 1 }
            XCTAssertEqual(b.reduce(0) { $0 + $1.designLoadKW }, step.kW, accuracy: Double(b.count), "year \(2019 + k)")
            XCTAssertEqual(b.reduce(0) { $0 + $1.annualHeatMWh }, step.mwh, accuracy: Double(b.count), "year \(2019 + k)")
        }
        XCTAssertEqual(s.network.pipes.reduce(0) { $0 + $1.lengthM }, 2200, accuracy: 20)
        XCTAssertEqual(s.boilerRoom.boilers.map(\.nominalKW), [800, 700])
        XCTAssertEqual(s.boilerRoom.gasBoilers.map(\.nominalKW), [6000, 6000])
        let e = try XCTUnwrap(s.economics)
        XCTAssertEqual(e.inputs.investmentEUR, 5_467_000, accuracy: 1)
        XCTAssertEqual(e.investments.filter { $0.year == 3 }.map(\.loanYears), [22, 22])
        XCTAssertEqual(e.firstYear, 2019)
        XCTAssertEqual(e.connectionFeeEURPerKW, 120)
        XCTAssertEqual(Set(s.buildings.compactMap { $0.dhw?.disinfectionHour }).count, s.buildings.filter { $0.dhw != nil }.count,
                       "the tanks' disinfections are staggered")
    }

    /// Variant 2: the same network on an aquifer heat pump (2 doublets × 100 m³/h, 13.5 °C,
    /// 6.5 K) with gas top-up; a heat pump's design must hold together, or the file is refused
    /// naming the field.
    func testTheHeatPumpVariantAndItsRefusals() throws {
        let path = packagePath("Scenarios/zone-variant2-heat-pump-gas.yaml")
        let s = try ScenarioLoader.load(path: path)
        XCTAssertEqual(s.buildings.count, 36)
        XCTAssertEqual(s.boilerRoom.boilers.count, 0)
        XCTAssertEqual(s.boilerRoom.gasBoilers.map(\.nominalKW), [6000, 6000])
        let hp = try XCTUnwrap(s.boilerRoom.heatPumps.first)
        XCTAssertEqual(hp.designCOP, 3.5)
        XCTAssertEqual(hp.source.kind, .aquifer)
        XCTAssertEqual(Water.flowM3PerH(massFlowKgPerS: hp.source.designKgPerS), 200, accuracy: 1e-9)
        XCTAssertEqual(hp.source.maxCoolingK, 6.5)
        let text = try String(contentsOfFile: path, encoding: .utf8)
        func lineOf(_ needle: String) -> Int { text.components(separatedBy: "\n").firstIndex { $0.contains(needle) }! + 1 }
        let referenceLine = text.components(separatedBy: "\n").firstIndex { $0 == "reference:" }! + 1
        func expectError(_ from: String, _ to: String, field: String, line: Int, contains: String, l: UInt = #line) {
            let bad = text.replacingOccurrences(of: from, with: to)
            XCTAssertNotEqual(bad, text, line: l)
            XCTAssertThrowsError(try ScenarioLoader.parse(text: bad, file: "bad.yaml"), line: l) { e in
                guard let e = e as? ScenarioError else { return XCTFail("\(e)", line: l) }
                XCTAssertEqual(e.field, field, line: l); XCTAssertEqual(e.line, line, line: l)
                XCTAssertTrue(e.message.contains(contains), "\(e)", line: l)
            }
        }
        // more heat than the doublets give within their 6.5 K
        expectError("nominalKW: 2075", "nominalKW: 2500", field: "boilerRoom.heatPumps[0].nominalKW", line: lineOf("nominalKW: 2075"),
                    contains: "the source gives 1485 kW within its 6.5 K")
        // a COP no machine reaches at these temperatures
        expectError("designCOP: 3.5", "designCOP: 5", field: "boilerRoom.heatPumps[0].designCOP", line: lineOf("designCOP: 3.5"), contains: "of the Carnot COP")
        // a source too cold for its cooling: the evaporator would freeze
        expectError("temperatureC: 13.5", "temperatureC: 9", field: "boilerRoom.heatPumps[0].source", line: lineOf("source: { aquifer"), contains: "would freeze")
        // wood-chip fuel in a boiler room without wood-chip boilers
        expectError("  supplyLaw:", "  fuel: { name: chips, bulkDensityTPerM3: 0.25, lhvMWhPerT: 3, moisture: 0.3, ash: 0.01 }\n  supplyLaw:",
                    field: "boilerRoom.fuel", line: lineOf("  supplyLaw:"), contains: "this boiler room has none")
        // a source fault on a heat pump the plant does not have
        expectError("\nreference:", "\nevents:\n  - { at: 2025-01-02T00:00, heatPumpFault: HP9, sourceFault: wellPumpTrip }\n\nreference:",
                    field: "events[0].heatPumpFault", line: referenceLine + 1, contains: "no heat pump 'HP9'; heat pumps are HP1")
        expectError("\nreference:", "\nevents:\n  - { at: 2025-01-02T00:00, heatPumpFault: HP1, sourceFault: melted }\n\nreference:",
                    field: "events[0].sourceFault", line: referenceLine + 1, contains: "wellPumpTrip, lowSourceFlow, fouledExchanger")
    }

    /// The connection steps in the simulation: plan year 1 of the zone serves the 10 buildings
    /// of 2019 on the first trench of the spine; later buildings, their pipes and units are absent.
    func testAPlanYearServesOnlyTheBuildingsConnectedByThen() throws {
        let s = try ScenarioLoader.load(path: packagePath("Scenarios/zone-variant1-wood-gas.yaml"))
        let y1 = try s.atPlanYear(1)
        XCTAssertEqual(y1.buildings.count, 10)
        XCTAssertTrue(y1.buildings.allSatisfy { $0.connectYear == 1 })
        XCTAssertEqual(Set(y1.network.pipes.map(\.id)), Set(["S1"] + y1.buildings.map { "P\($0.id)" }))
        XCTAssertEqual(y1.modbus.count, 5 + 2 * 10, "plant, 2 wood and 2 gas boilers, a controller and a meter per building")
        XCTAssertTrue(y1.name.hasSuffix("plan year 1 (10 of 36 buildings)"))
        XCTAssertTrue(y1.reference.values.isEmpty, "the study's figures are at full build")
        XCTAssertEqual(try s.atPlanYear(3).buildings.count, 32)
        XCTAssertEqual(try s.atPlanYear(7).network.pipes.count, s.network.pipes.count)
        XCTAssertThrowsError(try s.atPlanYear(0)) { XCTAssertEqual("\($0)", "plan year 0: this scenario's buildings connect in years 1–7") }
        XCTAssertThrowsError(try s.atPlanYear(8))
        // an event on a building connected later is refused, naming it
        var late = s
        late.events = [ScenarioEvent(instruction: .fault(.meter(building: "b36")), atS: 3600, durationS: 0, line: 9)]
        XCTAssertThrowsError(try late.atPlanYear(2)) { XCTAssertTrue("\($0)".hasSuffix(":9: events: concerns building 'b36', which connects after plan year 2"), "\($0)") }
    }

    func testEconomicTermsAreTypedAndKeptWhole() throws {
        let s = try ScenarioLoader.load(path: packagePath("Scenarios/wangenbourg-trace1.yaml"))
        let e = try XCTUnwrap(s.economics)
        XCTAssertEqual(e.loanYears, 5)
        XCTAssertEqual(e.investmentsEUR["CivilWorks"], 367300)
        XCTAssertEqual(e.fundingEUR["FCTVA"], 305272)
        XCTAssertEqual(e.gasCO2TPerMWhLHV, 0.202, "defaulted")
        // what the historian keeps reads back the same
        XCTAssertEqual(try EconomicTerms(values: e.values), e)
        // the account's inputs: the lines summed, the VAT refund not a subsidy
        XCTAssertEqual(e.inputs.investmentEUR, 1_550_800)
        XCTAssertEqual(e.inputs.totalSubsidiesEUR, 534000 + 232620 + 497640)
        XCTAssertThrowsError(try EconomicTerms(values: e.values.merging(["loanYears": 2.5]) { $1 })) { XCTAssertEqual("\($0)", "loanYears is 2.5, outside 1.0…50.0 years or not whole") }
    }

    func testNetworkAndIdsAreChecked() {
        let t = reference
        XCTAssertTrue(refusal(t.replacingOccurrences(of: "id: T3,", with: "id: T2,")).contains("pipe id 'T2' used twice"))
        XCTAssertTrue(refusal(t.replacingOccurrences(of: "  gasBoilers: []\n", with: "  gasBoilers:\n    - { id: B1, nominalKW: 300 }\n")).contains("boiler id 'B1' used twice"))
        XCTAssertTrue(refusal(t.replacingOccurrences(of: "  pipes:\n", with: "  pipes:\n    - { id: TX, from: plant, to: nowhere, lengthM: 10, innerDiameterMM: 26, lossWPerMK: 0.17 }\n"))
            .contains("pipe 'TX' ends at node 'nowhere', where no building is"))
        let dp = t.replacingOccurrences(of: #"differentialSetpointKPa: [0-9.]+"#, with: "differentialSetpointKPa: 299", options: .regularExpression)
        XCTAssertTrue(refusal(dp).contains("boilerRoom.differentialSetpointKPa: 299.0 kPa is above the pump's design head"), refusal(dp))
    }

    func testControlCharactersAndBadUTF8NameTheirLine() throws {
        let dir = NSTemporaryDirectory() + "/bytes-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        var bytes = Array(reference.utf8)
        let seedLine = line(reference, "seed: 1")
        let at = Array(reference.utf8).indices.first { bytes[$0...].starts(with: Array("seed: 1".utf8)) }!
        bytes.insert(0x01, at: at)
        _ = FileManager.default.createFile(atPath: dir + "/c.yaml", contents: Data(bytes))
        XCTAssertThrowsError(try ScenarioLoader.load(path: dir + "/c.yaml")) { XCTAssertTrue("\($0)".hasSuffix("c.yaml:\(seedLine): (file): control character 0x1 (only tab and line ends are allowed)"), "\($0)") }
        bytes[at] = 0xFF
        _ = FileManager.default.createFile(atPath: dir + "/u.yaml", contents: Data(bytes))
        XCTAssertThrowsError(try ScenarioLoader.load(path: dir + "/u.yaml")) { XCTAssertTrue("\($0)".contains("u.yaml:\(seedLine): (file): not UTF-8 text"), "\($0)") }
        XCTAssertThrowsError(try ScenarioLoader.load(path: "/dev/zero")) { XCTAssertTrue("\($0)".contains("not a regular file"), "\($0)") }
    }
}
