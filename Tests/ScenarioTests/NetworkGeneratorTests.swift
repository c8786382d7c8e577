import XCTest
import Scenario

/// `chaufferie generate network`: a valid scenario of any size, the same for the same seed, and
/// buildings alike calibrated once with the same result.
final class NetworkGeneratorTests: XCTestCase {
    func testGeneratedScenarioLoadsAndIsDeterministic() throws {
        let text = NetworkGenerator.scenario(.init(substations: 40, seed: 7))
        XCTAssertEqual(text, NetworkGenerator.scenario(.init(substations: 40, seed: 7)))
        XCTAssertNotEqual(text, NetworkGenerator.scenario(.init(substations: 40, seed: 8)))
        let spec = try ScenarioLoader.parse(text: text, file: "gen.yaml")
        XCTAssertEqual(spec.buildings.count, 40)
        XCTAssertEqual(Set(spec.buildings.map(\.node)).count, 40)
        let ends = Set(spec.network.pipes.map(\.to))
        XCTAssertTrue(spec.buildings.allSatisfy { ends.contains($0.node) })
        // sizes within the reference buildings' range; plant sized above the connected load
        XCTAssertTrue(spec.buildings.allSatisfy { (16...287).contains($0.designLoadKW) })
        let connected = spec.buildings.reduce(0) { $0 + $1.designLoadKW }
        XCTAssertGreaterThan(spec.boilerRoom.boilers.reduce(0) { $0 + $1.nominalKW }, connected)
        // 40 substations: every controller and meter bound, units unique and within 1…247
        XCTAssertEqual(spec.modbus.count, 1 + spec.boilerRoom.boilers.count + 2 * 40)
    }

    func testUnitsBeyond247GoOnFurtherPorts() throws {
        let spec = try ScenarioLoader.parse(text: NetworkGenerator.scenario(.init(substations: 300)), file: "gen.yaml")
        XCTAssertEqual(spec.buildings.count, 300)
        XCTAssertEqual(spec.modbus.count, 1 + spec.boilerRoom.boilers.count + 600)
        XCTAssertEqual(Set(spec.modbus.map(\.port)), [0, 1, 2])
        XCTAssertLessThanOrEqual(spec.modbus.map(\.unit).max() ?? 0, 247)
        XCTAssertEqual(Set(spec.modbus.map { "\($0.port):\($0.unit)" }).count, spec.modbus.count)
        // a port with a gap before it is refused
        let text = "modbus:\n  units:\n    - { port: 2, unit: 1, profile: plant-controller, device: plant }\n"
        let base = try String(contentsOfFile: packagePath("Scenarios/wangenbourg-trace1.yaml"), encoding: .utf8)
        let head = base.components(separatedBy: "\nmodbus:")[0]
        XCTAssertThrowsError(try ScenarioLoader.parse(text: head + "\n" + text, file: "s.yaml")) { e in
            XCTAssertTrue("\(e)".contains("port +2 before any unit on port +1"), "\(e)")
        }
    }

    func testBuildingsAlikeShareTheirCalibration() throws {
        var spec = try ScenarioLoader.load(path: packagePath("Scenarios/wangenbourg-trace1.yaml"))
        let alone = try PlantBuilder.build(spec, days: 1).calibrations[1]
        // a second presbytery under another name, elsewhere: the same calibration as the first
        var twin = spec.buildings[1]
        twin.id = "twin"; twin.name = "Twin"
        spec.buildings.append(twin)
        let built = try PlantBuilder.build(spec, days: 1)
        XCTAssertEqual(built.calibrations.count, 11)
        XCTAssertEqual(built.calibrations[10].id, "twin")
        XCTAssertEqual(built.calibrations[10].heatLossKWPerK, alone.heatLossKWPerK)
        XCTAssertEqual(built.calibrations[1].heatLossKWPerK, alone.heatLossKWPerK)
    }
}
