import XCTest
import Foundation
import CModbus
import Historian
import Logging
import RegisterMap
import PlantRecording
import Reporting
import Serving
import SimulationCore
import Training
import Scenario
#if canImport(Glibc)
import Glibc
#endif

/// The point catalogue: a device type declared once is served, recorded, retained and listed.
final class CatalogueTests: XCTestCase {
    /// A device type the product does not have, declared here only: the network pump's variable
    /// speed drive, bound to the physics and control core that exist (the pump's speed, the
    /// differential-pressure set-point it holds, whether it runs).
    static let drive = DeviceType(
        name: "pumpDrive", description: "Network pump's variable-speed drive (a test catalogue's device type)",
        points: [
            Point("speed", unit: "%", .measurement, "Pump speed", recorded: .analog(deadband: 1)) { s, _ in s.controller.actuators.networkPumpSpeed * 100 },
            Point("running", .state, "Pump running", recorded: .state) { s, _ in s.controller.actuators.networkPumpSpeed > 0 ? 1 : 0 },
            Point("dp_setpoint", unit: "kPa", .setting, "Differential pressure held at the index substation", range: 10...250,
                  read: { s, _ in s.controller.settings.differentialSetpointKPa },
                  write: { s, _, v in s.updateController { $0.settings.differentialSetpointKPa = v } }),
        ],
        instances: { _ in [DeviceInstance(device: "P1", index: 0, recordPrefix: "pump.P1.", label: "Network pump P1")] })

    func testADeviceTypeDeclaredOnceIsServedRecordedRetainedAndListed() throws {
        let catalogue = Catalogue(Catalogue.standard.types + [Self.drive])
        // its profile only lays the points out on registers
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("catalogue-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        for f in try FileManager.default.contentsOfDirectory(atPath: packagePath("DeviceProfiles")) {
            try FileManager.default.copyItem(atPath: packagePath("DeviceProfiles/\(f)"), toPath: "\(dir)/\(f)")
        }
        try """
        name: Test pump drive
        kind: pumpDrive
        identification: { vendor: Test, productCode: VSD-1, revision: "1" }
        inputRegisters:
          - { address: 0, tag: speed, type: int16, scale: 10 }
        holdingRegisters:
          - { address: 0, tag: dp_setpoint, type: uint16 }
        discreteInputs:
          - { address: 0, tag: running }
        """.write(toFile: "\(dir)/pump-drive.yaml", atomically: true, encoding: .utf8)
        var spec = try ScenarioLoader.load(path: packagePath("Scenarios/wangenbourg-trace1.yaml"))
        spec.modbus.append(ModbusBinding(unit: 90, profile: "pump-drive", device: "P1"))
        // the standard catalogue does not know it
        XCTAssertThrowsError(try ServedDevices.resolve(spec, profilesDirectory: dir))
        let devices = try ServedDevices.resolve(spec, profilesDirectory: dir, catalogue: catalogue)

        var sim = Simulation(try PlantBuilder.build(spec, days: 1))
        sim.run(durationS: 3600)

        // listed, with the catalogue's unit, range and description
        let rows = PointList(devices, spec: spec).rows.filter { $0.device == "P1" }
        XCTAssertEqual(rows.map { $0.tag }, ["running", "speed", "dp_setpoint"])
        let dp = try XCTUnwrap(rows.first { $0.tag == "dp_setpoint" })
        XCTAssertEqual(dp.access, "rw"); XCTAssertEqual(dp.min, 10); XCTAssertEqual(dp.max, 250); XCTAssertEqual(dp.unitOfMeasure, "kPa")
        XCTAssertEqual(dp.writeFunction, "06/16")

        // recorded: its tags in the historian, with values
        let db = "\(dir)/h.sqlite"
        let recording = try Recording(path: db, sim: sim, periodS: 60, command: "test", catalogue: catalogue,
                                      logger: Logger(label: "test") { _ in SwiftLogNoOpLogHandler() })
        sim.run(durationS: 1800, recording: recording)
        _ = recording.finish(sim)
        let h = try HistorianReader(path: db)
        let session = try h.session(nil)
        XCTAssertEqual(try h.tags().filter { $0.definition.name.hasPrefix("pump.P1.") }.map(\.definition.name).sorted(), ["pump.P1.running", "pump.P1.speed"])
        let speeds = try h.series(session: session.id, tag: "pump.P1.speed")
        XCTAssertFalse(speeds.isEmpty)
        XCTAssertEqual(try XCTUnwrap(speeds.last?.v), sim.controller.actuators.networkPumpSpeed * 100, accuracy: 0.1)

        // served: read and written with a libmodbus client; a write out of the catalogue's range gets 03
        let running = try RunningDaemon(simulation: sim, speed: 0, devices: devices, catalogue: catalogue)
        let ctx = modbus_new_tcp("127.0.0.1", Int32(running.port))!
        defer { modbus_close(ctx); modbus_free(ctx) }
        XCTAssertEqual(modbus_connect(ctx), 0)
        modbus_set_slave(ctx, 90)
        var reg: [UInt16] = [0]
        XCTAssertEqual(modbus_read_input_registers(ctx, 0, 1, &reg), 1)
        XCTAssertEqual(Double(Int16(bitPattern: reg[0])) / 10, (sim.controller.actuators.networkPumpSpeed * 1000).rounded() / 10, accuracy: 0.051)
        XCTAssertEqual(modbus_write_register(ctx, 0, 120), 1)
        XCTAssertEqual(modbus_write_register(ctx, 0, 400), -1, "outside 10–250: refused")
        XCTAssertEqual(errno, 112345678 + 3, "exception 03")
        usleep(200_000)
        XCTAssertEqual(modbus_read_registers(ctx, 0, 1, &reg), 1)
        XCTAssertEqual(reg[0], 120)
        running.stop()
        let served = running.daemon.simulation
        XCTAssertEqual(served.controller.settings.differentialSetpointKPa, 120)

        // retained: kept in the retentive memory under its device, restored after a restart
        let saved = RetainedState(served, catalogue: catalogue)
        XCTAssertEqual(saved.parameters?["P1.dp_setpoint"], 120)
        XCTAssertNil(RetainedState(served).parameters?["P1.dp_setpoint"], "the standard catalogue keeps only its own points")
        var restarted = Simulation(try PlantBuilder.build(spec, days: 1))
        var edited = saved
        edited.parameters?["P1.dp_setpoint"] = 140
        edited.parameters?["plant.network.differential_setpoint"] = nil   // the same quantity, kept under the standard plant too
        try restarted.restore(edited, file: "memory", catalogue: catalogue)
        XCTAssertEqual(restarted.controller.settings.differentialSetpointKPa, 140)
        var bad = saved
        bad.parameters?["P1.dp_setpoint"] = 400
        var other = Simulation(try PlantBuilder.build(spec, days: 1))
        XCTAssertThrowsError(try other.restore(bad, file: "memory", catalogue: catalogue)) {
            XCTAssertTrue("\($0)".contains("parameters.P1.dp_setpoint: 400.0 is outside 10.0…250.0"), "\($0)")
        }
    }
}

/// Each point's name is written once, in its device type's declaration (`Sources/SimulationCore/Points/`):
/// serving, recording, retaining, listing and reporting take it from there. The few literals
/// that match a point's name elsewhere in the I/O modules are other things with the same word,
/// each named here with what it is.
final class PointNamesTests: XCTestCase {
    func testNoPointNameIsWrittenOutsideTheCatalogue() throws {
        let spec = try ScenarioLoader.load(path: packagePath("Scenarios/wangenbourg-trace1.yaml"))
        var names: Set<String> = []
        for t in Catalogue.standard.types { for p in t.points(for: spec, in: .standard) { names.insert(p.name) } }
        XCTAssertGreaterThan(names.count, 100)
        let notPoints: [String: Set<String>] = [
            "Alarms.swift": ["reset"],                      // the cause of an alarm transition (condition, acknowledge, reset)
            "ControlAPI.swift": ["mode"],                   // the fault injection's body field ("failed", "late"...)
            "Simulation+Instructions.swift": ["mode"],      // the same field, read
            "DaemonCommands.swift": ["mode"],               // the communication fault's body field, read
            "CatalogueList.swift": ["state"],               // the recording kind's name in the catalogue list
            "InstructorCommands.swift": ["mode"],           // the same field, sent by the CLI
            "Recording.swift": ["mode"],                    // the historian event kind "mode"
            "RetainedState+Validate.swift": ["mode", "starts"],   // version 1 state files' JSON fields
            "OperatingReport.swift": ["ash"],               // a row label of the report
            "OperatingReportRender.swift": ["starts"],      // the report's JSON key
            "RunReport.swift": ["starts"],                  // the run report's JSON key
            "RunReport+Text.swift": ["starts"],             // a column heading
        ]
        var found: [String] = []
        for dir in ["Sources/PlantControl", "Sources/SimulationCore", "Sources/PlantRecording", "Sources/Reporting", "Sources/Training", "Sources/Serving", "Sources/chaufferie"] {
            for file in try FileManager.default.contentsOfDirectory(atPath: packagePath(dir)) where file.hasSuffix(".swift") && !file.hasSuffix("Points.swift") && file != "Point.swift" {
                let text = try String(contentsOfFile: packagePath("\(dir)/\(file)"), encoding: .utf8)
                for n in names where text.contains("\"\(n)\"") || text.contains(".\(n)\"") {
                    if notPoints[file]?.contains(n) != true { found.append("\(dir)/\(file): \(n)") }
                }
            }
        }
        XCTAssertEqual(found, [], "point names written outside the catalogue")
        // and within it, once per device type
        for file in try FileManager.default.contentsOfDirectory(atPath: packagePath("Sources/SimulationCore/Points")) {
            let text = try String(contentsOfFile: packagePath("Sources/SimulationCore/Points/\(file)"), encoding: .utf8)
            for n in names {
                let count = text.components(separatedBy: "\"\(n)\"").count - 1
                XCTAssertLessThanOrEqual(count, 1, "\(file): \"\(n)\" written \(count) times")
            }
        }
    }
}

/// Home Assistant's Modbus configuration, generated from the point list.
final class HomeAssistantConfigTests: XCTestCase {
    func testEveryPointIsConfiguredAsTheIntegrationReadsIt() throws {
        let spec = try ScenarioLoader.load(path: packagePath("Scenarios/wangenbourg-trace1.yaml"))
        let list = PointList(try ServedDevices.resolve(spec, profilesDirectory: packagePath("DeviceProfiles")), spec: spec)
        let text = HomeAssistantConfig(list, host: "127.0.0.1", port: 1502, scanIntervalS: 600).text
        XCTAssertEqual(text.components(separatedBy: "      - name: ").count - 1, list.rows.count, "one entity per point")
        XCTAssertEqual(text.components(separatedBy: "scan_interval: 600").count - 1, list.rows.count)
        func entry(_ name: String) throws -> String {
            let start = try XCTUnwrap(text.range(of: "      - name: \"\(name)\"\n"), name)
            let rest = text[start.upperBound...]
            return String(rest[..<(rest.range(of: "      - name: ")?.lowerBound ?? rest.endIndex)])
        }
        // the hotel's meter: float32 low word first
        let cdab = try entry("parc_hotel.meter energy")
        XCTAssertTrue(cdab.contains("data_type: float32") && cdab.contains("swap: word") && cdab.contains("input_type: holding"), cdab)
        // a substation's temperature: int16 × 0.1, its invalid value as the integration unpacks it
        let supply = try entry("ecole primary_supply_temperature")
        XCTAssertTrue(supply.contains("scale: 0.1") && supply.contains("nan_value: -32768") && supply.contains("slave: 12") && supply.contains("precision: 1"), supply)
        // B3's 32-bit ×10 personality
        let b3 = try entry("B3 supply_temperature")
        XCTAssertTrue(b3.contains("data_type: int32") && b3.contains("address: 1004") && b3.contains("nan_value: -2147483648"), b3)
        XCTAssertTrue(try entry("ecole pump").contains("input_type: discrete_input"))
        XCTAssertTrue(try entry("B1 enable").contains("input_type: coil"))
    }
}

/// PyScada's fixture, generated from the point list.
final class PyScadaFixtureTests: XCTestCase {
    func testEveryPointIsAVariableOfItsUnitsDevice() throws {
        let spec = try ScenarioLoader.load(path: packagePath("Scenarios/wangenbourg-trace1.yaml"))
        let list = PointList(try ServedDevices.resolve(spec, profilesDirectory: packagePath("DeviceProfiles")), spec: spec)
        let data = Data(PyScadaFixture(list, host: "127.0.0.1", port: 1502, pollingS: 5).json.utf8)
        let objects = try XCTUnwrap(try JSONSerialization.jsonObject(with: data) as? [[String: Any]])
        func of(_ model: String) -> [[String: Any]] { objects.filter { $0["model"] as? String == model }.compactMap { $0["fields"] as? [String: Any] } }
        XCTAssertEqual(of("pyscada.variable").count, list.rows.count)
        XCTAssertEqual(of("modbus.modbusvariable").count, list.rows.count)
        XCTAssertEqual(Set(of("modbus.modbusdevice").compactMap { $0["unit_id"] as? Int }), Set(list.rows.map(\.unit)))
        XCTAssertTrue(of("pyscada.device").allSatisfy { $0["polling_interval"] as? Double == 5 && $0["protocol"] as? Int == 3 })
        func variable(_ name: String) throws -> [String: Any] { try XCTUnwrap(of("pyscada.variable").first { $0["name"] as? String == name }, name) }
        // the hotel's meter: float32 low word first, PyScada's 1-0-3-2
        let energy = try variable("chaufferie-u36-parc_hotel-meter-energy")
        XCTAssertEqual(energy["value_class"] as? String, "FLOAT32")
        XCTAssertEqual(energy["byte_order"] as? String, "1-0-3-2")
        // a substation's temperature: int16 scaled raw 0…1 → 0…0.1
        let supply = try variable("chaufferie-u12-ecole-primary_supply_temperature")
        XCTAssertEqual(supply["value_class"] as? String, "INT16")
        let scaling = try XCTUnwrap(objects.first { $0["model"] as? String == "pyscada.scaling" && $0["pk"] as? Int == supply["scaling"] as? Int }?["fields"] as? [String: Any])
        XCTAssertEqual(scaling["output_high"] as? Double, 0.1)
        XCTAssertTrue((supply["description"] as? String ?? "").contains("invalid: 8000"))
        // B3's 32-bit ×10 registers, ABCD
        let b3 = try variable("chaufferie-u4-B3-supply_temperature")
        XCTAssertEqual(b3["value_class"] as? String, "INT32")
        XCTAssertEqual(b3["byte_order"] as? String, "3-2-1-0")
        // a coil: read with 01, written
        let enable = try variable("chaufferie-u2-B1-enable")
        XCTAssertEqual(enable["value_class"] as? String, "BOOLEAN")
        XCTAssertEqual(enable["writeable"] as? Bool, true)
        let pk = try XCTUnwrap(objects.first { ($0["fields"] as? [String: Any])?["name"] as? String == "chaufferie-u2-B1-enable" }?["pk"] as? Int)
        let mv = try XCTUnwrap(objects.first { $0["model"] as? String == "modbus.modbusvariable" && $0["pk"] as? Int == pk }?["fields"] as? [String: Any])
        XCTAssertEqual(mv["function_code_read"] as? Int, 1)
    }
}
