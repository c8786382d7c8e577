import XCTest
import PlantControl

final class HeatingCurveTests: XCTestCase {
    /// Slope form against a table computed by hand from T = T_room + d + s·(T_room − T_out),
    /// the Siemens/Danfoss form pivoting at 20 °C / 20 °C.
    func testSlopeCurveTable() {
        let c = HeatingCurve.slope(slope: 1.5, displacementK: 0)
        let table: [(Double, Double)] = [(20, 20), (10, 35), (0, 50), (-10, 65), (-15, 72.5)]
        for (out, flow) in table { XCTAssertEqual(c.flowC(outdoorC: out, roomC: 20), flow, accuracy: 1e-12, "at \(out) °C") }
        // parallel displacement +5 K moves every point up by 5 K
        XCTAssertEqual(HeatingCurve.slope(slope: 1.5, displacementK: 5).flowC(outdoorC: -10, roomC: 20), 70, accuracy: 1e-12)
        // a room setpoint of 22 °C moves the flow by 2·(1 + slope) = 5 K at every outdoor temperature
        XCTAssertEqual(c.flowC(outdoorC: -10, roomC: 22), 70, accuracy: 1e-12)
    }

    /// Six-point form: exact at its points, linear between them, flat outside.
    func testSixPointCurveTable() {
        let pts = [80.0, 70, 60, 55, 50, 35]
        let c = HeatingCurve.sixPoint(flowC: pts)
        for (i, out) in HeatingCurve.sixPointOutdoorC.enumerated() { XCTAssertEqual(c.flowC(outdoorC: out, roomC: 20), pts[i], accuracy: 1e-12) }
        XCTAssertEqual(c.flowC(outdoorC: -10, roomC: 20), 65, accuracy: 1e-12)
        XCTAssertEqual(c.flowC(outdoorC: 10, roomC: 20), 42.5, accuracy: 1e-12)
        XCTAssertEqual(c.flowC(outdoorC: 25, roomC: 20), 35, accuracy: 1e-12)
        XCTAssertEqual(c.flowC(outdoorC: -35, roomC: 20), 80, accuracy: 1e-12)
        // room shift of +1 K between −5 and 0 °C (local slope 1.0) adds 2 K
        XCTAssertEqual(c.flowC(outdoorC: -2, roomC: 21), 57 + 2, accuracy: 1e-12)
    }

    func testLimitsAndValidation() {
        var s = HeatingCircuitSettings(curve: .slope(slope: 1.5, displacementK: 0), comfortRoomC: 20, reducedRoomC: 16, minFlowC: 25, maxFlowC: 70)
        XCTAssertEqual(s.flowSetpointC(outdoorC: -20, roomSetpointC: 20), 70)
        XCTAssertEqual(s.flowSetpointC(outdoorC: 18, roomSetpointC: 20), 25)
        s.roomShiftK = 1
        XCTAssertEqual(s.flowSetpointC(outdoorC: 0, roomSetpointC: 20), 52.5, accuracy: 1e-12)
        XCTAssertNotNil(HeatingCurve.slope(slope: 9, displacementK: 0).problem)
        XCTAssertNotNil(HeatingCurve.sixPoint(flowC: [50, 60, 55, 50, 45, 40]).problem)
        XCTAssertNil(HeatingCurve.sixPoint(flowC: [80, 70, 60, 55, 50, 35]).problem)
    }
}
