import XCTest
import PlantRecording
import Reporting
import Serving
import SimulationCore
import Training
import RegisterMap
import Scenario
import PlantControl

final class TagTableTests: XCTestCase {
    /// Every profile bound by the reference scenario loads and checks against the tag table; the
    /// plant controller's summary block is one contiguous run of at least 125 holding registers.
    func testReferenceBindingsAndSummaryBlock() throws {
        let spec = try ScenarioLoader.load(path: packagePath("Scenarios/wangenbourg-trace1.yaml"))
        let devices = try ServedDevices.resolve(spec, profilesDirectory: packagePath("DeviceProfiles"))
        XCTAssertEqual(devices.count, 24)
        XCTAssertEqual(devices.first { $0.unit == 1 }?.kind, .plantController)
        XCTAssertEqual(devices.first { $0.unit == 4 }?.profile.wordOrder, .abcd)
        XCTAssertEqual(devices.first { $0.unit == 36 }?.profile.wordOrder, .cdab)
        let plant = devices.first { $0.unit == 1 }!.profile.entries(in: .holdingRegisters).sorted { $0.address < $1.address }
        var end = 0
        for e in plant where e.address == end { end += e.width }
        XCTAssertGreaterThanOrEqual(end, 125)
        let list = PointList(devices, spec: spec).csv
        XCTAssertEqual(list.split(separator: "\n").count, 1 + devices.reduce(0) { $0 + $1.profile.entries.count })
    }

    /// Every tag of every unit reads a value from a running plant (or nil where the device has no
    /// such quantity, served as the invalid sentinel).
    func testEveryTagReads() throws {
        let spec = try ScenarioLoader.load(path: packagePath("Scenarios/wangenbourg-trace1.yaml"))
        let devices = try ServedDevices.resolve(spec, profilesDirectory: packagePath("DeviceProfiles"))
        var sim = Simulation(try PlantBuilder.build(spec, days: 1))
        sim.run(durationS: 12 * 3600)
        XCTAssertGreaterThan(sim.plant.energy.woodFuelKWh, 0)
        var missing: [String] = []
        for d in devices {
            for e in d.profile.entries {
                let v = sim.readTag(d.kind!, d.index, e.tag)
                if v == nil { missing.append("\(d.device).\(e.tag)") }
                let regs = RegisterCodec.encode(v, type: e.type, scale: e.scale, order: d.profile.wordOrder)
                XCTAssertEqual(regs.count, e.table.isBitTable ? 1 : e.type.width)
            }
        }
        // only quantities the device really lacks: DHW (temperature, settings) on buildings without a tank, the
        // six-point curve of a slope-curve controller and vice versa
        for m in missing {
            XCTAssertTrue(m.contains("dhw_") || m.contains("curve_"), m)
        }
        XCTAssertEqual(sim.readTag(.heatMeter, 2, "serial"), Double(sim.plant.substations[2].meter.serial))
    }

    /// Writes go through the control core: a valid heating-curve change moves the secondary
    /// supply within minutes of simulated time; an invalid one is refused and changes nothing.
    func testWritesAreValidatedAndActOnThePlant() throws {
        let spec = try ScenarioLoader.load(path: packagePath("Scenarios/wangenbourg-trace1.yaml"))
        var sim = Simulation(try PlantBuilder.build(spec, days: 1))
        sim.run(durationS: 14 * 3600)   // 14:00 on a Wednesday: the school is in comfort, heated up
        let school = spec.buildings.firstIndex { $0.id == "ecole" }!
        let before = sim.readTag(.substationController, school, "secondary_supply_setpoint")!
        XCTAssertThrowsError(try sim.writeTag(.substationController, school, "curve_slope", 9)) { e in
            XCTAssertEqual(e as? TagWriteError, .invalidValue("curve_slope 9 is outside 0.2–4"))
        }
        XCTAssertThrowsError(try sim.writeTag(.substationController, school, "curve_point2", 60))
        XCTAssertThrowsError(try sim.writeTag(.heatMeter, school, "energy", 0))
        XCTAssertEqual(sim.readTag(.substationController, school, "curve_slope"), 0.55)
        try sim.writeTag(.substationController, school, "curve_displacement", 6)
        XCTAssertEqual(sim.readTag(.substationController, school, "curve_displacement"), 6)
        sim.run(durationS: 600)
        let after = sim.readTag(.substationController, school, "secondary_supply_setpoint")!
        XCTAssertEqual(after - before, 5, accuracy: 1.0)   // +6 K displacement, minus the outdoor drift
        XCTAssertEqual(sim.readTag(.substationController, school, "secondary_supply_temperature")!, after, accuracy: 2.0)
    }

    /// Both curve forms' parameters are kept, as a controller offering both keeps them: switching
    /// the form selects, it converts nothing (the integrator's D4: unit 14's six points were
    /// 82/71/62/57/52/39 and came back 92.9/71/56.4/49.1/41.9/27.3); the form not in use takes
    /// writes in range and serves its values (D3: 48 registers refused every write and read
    /// invalid); the kept form survives a restart from the retentive memory.
    func testCurveFormsAreBothKept() throws {
        let spec = try ScenarioLoader.load(path: packagePath("Scenarios/wangenbourg-trace1.yaml"))
        var sim = Simulation(try PlantBuilder.build(spec, days: 1))
        sim.run(durationS: 600)
        let six = (0..<spec.buildings.count).first { sim.controller.substations[$0].settings.curveForm == 1 }!
        let slope = (0..<spec.buildings.count).first { sim.controller.substations[$0].settings.curveForm == 0 }!
        func read(_ i: Int, _ tag: String) -> Double? { sim.readTag(.substationController, i, tag) }
        let points = (1...6).map { read(six, "curve_point\($0)")! }
        // the six-point unit: its slope-form parameters read (derived until written), then set in advance
        XCTAssertNotNil(read(six, "curve_slope"))
        try sim.writeTag(.substationController, six, "curve_slope", 1.3)
        try sim.writeTag(.substationController, six, "curve_displacement", 2)
        XCTAssertEqual(read(six, "curve_form"), 1, "a write to the other form does not select it")
        XCTAssertEqual((1...6).map { read(six, "curve_point\($0)")! }, points)
        XCTAssertThrowsError(try sim.writeTag(.substationController, six, "curve_slope", 9), "out of range in the kept form too")
        for form in [0.0, 1, 0, 1] { try sim.writeTag(.substationController, six, "curve_form", form) }
        XCTAssertEqual((1...6).map { read(six, "curve_point\($0)")! }, points, "back and forth: the six points unchanged")
        try sim.writeTag(.substationController, six, "curve_form", 0)
        XCTAssertEqual(read(six, "curve_slope"), 1.3); XCTAssertEqual(read(six, "curve_displacement"), 2)
        XCTAssertEqual(sim.controller.substations[six].settings.curve, .slope(slope: 1.3, displacementK: 2), "the slope form drives the flow")
        // the slope unit: a six-point curve written in advance, the slope kept across the switches
        let (s0, d0) = sim.controller.substations[slope].settings.slopeForm
        let mine: [Double] = [80, 70, 60, 55, 50, 35]
        for (k, v) in mine.enumerated() { try sim.writeTag(.substationController, slope, "curve_point\(k + 1)", v) }
        XCTAssertEqual(read(slope, "curve_form"), 0)
        try sim.writeTag(.substationController, slope, "curve_form", 1)
        XCTAssertEqual(sim.controller.substations[slope].settings.curve, .sixPoint(flowC: mine))
        try sim.writeTag(.substationController, slope, "curve_form", 0)
        XCTAssertEqual(read(slope, "curve_slope"), s0); XCTAssertEqual(read(slope, "curve_displacement"), d0)
        // the retentive memory keeps the form not in use
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("kept-curve-\(getpid()).json").path
        defer { try? FileManager.default.removeItem(atPath: file) }
        try RetainedState(sim).write(to: file)
        var restarted = Simulation(try PlantBuilder.build(spec, days: 1))
        try restarted.restore(fromFile: file)
        XCTAssertEqual(restarted.controller.substations[six].settings, sim.controller.substations[six].settings)
        XCTAssertEqual(restarted.controller.substations[slope].settings, sim.controller.substations[slope].settings)
        XCTAssertEqual(restarted.controller.substations[slope].settings.sixPointForm, mine)
        // a steep slope: the six points it would give start within 10–110 °C, so they can be
        // edited one by one and the form switched
        try sim.writeTag(.substationController, slope, "curve_form", 0)
        try sim.writeTag(.substationController, slope, "curve_slope", 3.5)
        var steep = sim.controller.substations[slope].settings
        steep.keptCurve = nil
        XCTAssertEqual(steep.sixPointForm.first, 110)
        XCTAssertNil(HeatingCurve.sixPoint(flowC: steep.sixPointForm).problem)
    }

    /// The secondary pump's discrete input is its running feedback: 0 while the pump has failed,
    /// though the controller still commands it (the integrator's F8).
    func testPumpInputIsRunningFeedback() throws {
        let spec = try ScenarioLoader.load(path: packagePath("Scenarios/wangenbourg-trace1.yaml"))
        var sim = Simulation(try PlantBuilder.build(spec, days: 1))
        sim.run(durationS: 8 * 3600)
        let school = spec.buildings.firstIndex { $0.id == "ecole" }!
        XCTAssertTrue(sim.controller.actuators.substations[school].secondaryPump)
        XCTAssertEqual(sim.readTag(.substationController, school, "pump"), 1)
        sim.setSecondaryPumpFailed(school, true)
        sim.run(durationS: 60)
        XCTAssertTrue(sim.controller.actuators.substations[school].secondaryPump, "still commanded")
        XCTAssertEqual(sim.readTag(.substationController, school, "pump"), 0, "not running")
    }

    /// The point list says how to read every point without the source (issue 12, item 6):
    /// function codes, count, wire type, both word-order notations, scaling as a multiplier, the
    /// invalid value in wire order, the rules between points, unit 1's mirrors named by building.
    func testPointListSaysHowToReadEachPoint() throws {
        let spec = try ScenarioLoader.load(path: packagePath("Scenarios/wangenbourg-trace1.yaml"))
        let devices = try ServedDevices.resolve(spec, profilesDirectory: packagePath("DeviceProfiles"))
        let list = PointList(devices, spec: spec)
        XCTAssertEqual(list.rows.count, devices.reduce(0) { $0 + $1.profile.entries.count })
        let json = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(list.json.utf8)) as? [String: Any])
        XCTAssertEqual((json["points"] as? [Any])?.count, list.rows.count)
        XCTAssertEqual((json["legend"] as? [String])?.count, PointList.legend.count)
        func row(_ device: String, _ tag: String) throws -> PointList.Row { try XCTUnwrap(list.rows.first { $0.device == device && $0.tag == tag }, "\(device) \(tag)") }
        let cdab = try row("parc_hotel.meter", "energy")
        XCTAssertEqual([cdab.wireType, cdab.wordOrder, cdab.byteOrder, cdab.invalidValue], ["float32", "CDAB", "1-0-3-2", "0000 7FC0"])
        XCTAssertEqual(cdab.count, 2)
        let supply = try row("ecole", "primary_supply_temperature")
        XCTAssertEqual([supply.readFunction, supply.writeFunction, supply.scaling, supply.invalidValue, supply.wireType], ["04", "", "raw × 0.1 = °C", "8000", "int16"])
        XCTAssertEqual(supply.multiplier, 0.1)
        let reduced = try row("ecole", "reduced_setpoint")
        XCTAssertEqual(reduced.writeFunction, "06/16"); XCTAssertTrue(reduced.rules.contains("comfort_setpoint"))
        XCTAssertTrue(try row("mairie", "dhw_setpoint").rules.contains("no DHW tank"))
        XCTAssertEqual(try row("parc_hotel", "dhw_setpoint").rules, "")
        XCTAssertTrue(try row("ecole", "alarms.ack").command)
        // a slope of 0.55 (the school's) is served to the hundredth: ×10 would show 0.6
        let slope = try row("ecole", "curve_slope")
        XCTAssertEqual(slope.multiplier, 0.01)
        XCTAssertEqual(RegisterCodec.decode(RegisterCodec.encode(0.55, type: .int16, scale: 1 / slope.multiplier, order: .abcd),
                                            type: .int16, scale: 1 / slope.multiplier, order: .abcd), 0.55)
        let b3 = try row("B3", "state")
        XCTAssertEqual([b3.scaling, b3.invalidValue, b3.byteOrder], ["raw = value", "8000 0000", "3-2-1-0"])
        XCTAssertTrue(try row("plant", "substation3.valve_position").description.hasSuffix("[substation3 = ecole, unit 12]"))
        XCTAssertTrue(list.markdown.hasPrefix("# Modbus point list\n\n- unit:"))
    }

    /// The device profiles are found beside the scenario's folder, whatever the working directory.
    func testProfilesAreFoundBesideTheScenario() {
        XCTAssertEqual(ServedDevices.profilesDirectory(for: packagePath("Scenarios/wangenbourg-trace1.yaml")), packagePath("DeviceProfiles"))
        XCTAssertEqual(ServedDevices.profilesDirectory(for: "/nonexistent/x.yaml"), "DeviceProfiles")
    }
}
