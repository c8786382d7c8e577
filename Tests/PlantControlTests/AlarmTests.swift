import XCTest
@testable import PlantControl

/// The ISA-18.2 alarm state machine.
final class AlarmTests: XCTestCase {
    func table() -> AlarmTable {
        AlarmTable([
            .init(id: "A", priority: .medium, message: "plain", latched: false, device: "plant", bit: 0),
            .init(id: "L", priority: .high, message: "latched", latched: true, device: "boiler:0", bit: 0),
        ])
    }

    func testPlainAlarm() {
        var t = table()
        t.update(0, condition: true, atS: 1)
        XCTAssertEqual(t.states[0], .unacknowledged)
        XCTAssertEqual(t.words(device: "plant").active, 1)
        XCTAssertEqual(t.words(device: "plant").unacknowledged, 1)
        t.update(0, condition: false, atS: 2)
        XCTAssertEqual(t.states[0], .clearedUnacknowledged, "returned to normal, not yet acknowledged")
        XCTAssertEqual(t.words(device: "plant").active, 0)
        t.update(0, condition: true, atS: 3)
        XCTAssertEqual(t.states[0], .unacknowledged)
        t.acknowledge(0, atS: 4)
        XCTAssertEqual(t.states[0], .acknowledged)
        t.update(0, condition: false, atS: 5)
        XCTAssertEqual(t.states[0], .normal)
        t.update(0, condition: true, atS: 6); t.update(0, condition: false, atS: 7); t.acknowledge(0, atS: 8)
        XCTAssertEqual(t.states[0], .normal, "acknowledging a cleared alarm ends it")
        XCTAssertEqual(t.takeTransitions().map(\.to), [.unacknowledged, .clearedUnacknowledged, .unacknowledged, .acknowledged, .normal,
                                                       .unacknowledged, .clearedUnacknowledged, .normal])
        XCTAssertTrue(t.takeTransitions().isEmpty)
    }

    func testLatchedAlarmNeedsAResetOnceTheCauseIsGone() {
        var t = table()
        t.update(1, condition: true, atS: 1)
        t.acknowledge(1, atS: 2)
        XCTAssertEqual(t.states[1], .acknowledged)
        XCTAssertFalse(t.reset(1, atS: 3), "the cause is still there")
        XCTAssertEqual(t.states[1], .acknowledged)
        t.update(1, condition: false, atS: 4)
        XCTAssertEqual(t.states[1], .acknowledged, "latched: stays active after its cause is gone")
        XCTAssertTrue(t.reset(1, atS: 5))
        XCTAssertEqual(t.states[1], .normal)
        // reset before acknowledgement: back to normal only once acknowledged
        t.update(1, condition: true, atS: 6); t.update(1, condition: false, atS: 7)
        XCTAssertEqual(t.states[1], .unacknowledged)
        t.reset(1, atS: 8)
        XCTAssertEqual(t.states[1], .clearedUnacknowledged)
        t.acknowledgeAll(device: "boiler:0", atS: 9)
        XCTAssertEqual(t.states[1], .normal)
        XCTAssertEqual(t.takeTransitions().last?.cause, "acknowledge")
    }
}
