import XCTest
import Runtime
import RegisterMap
import Scenario

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
        let list = ServedDevices.pointList(devices, format: "csv")
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
                let v = sim.readTag(d.kind, d.index, e.tag)
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
            XCTAssertEqual(e as? TagWriteError, .invalidValue("slope 9.0 is outside 0.2–4.0"))
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
}
