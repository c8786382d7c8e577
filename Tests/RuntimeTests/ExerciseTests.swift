import Foundation
import PlantModel
import PlantRecording
import Reporting
import Serving
import SimulationCore
import Training
import Scenario
import XCTest
import YAMLFile

#if !DEBUG

/// Issue 5, exercises: the auger-jam exercise scored with nobody at the controls (the operator's
/// goals missed, the plant's met) and with an operator acting as a student would over Modbus
/// (every goal met); a bad exercise file is refused with its file, line and field.
final class ExerciseTests: XCTestCase {
    static let jamS = (2 * 24 + 6) * 3600.0

    func play(operator acts: Bool) throws -> ExerciseScore {
        let ex = try Exercise.load(path: packagePath("Exercises/auger-jam.yaml"))
        var sim = Simulation(try PlantBuilder.build(ex.scenario, days: 4))
        var score = ExerciseScore(ex)
        sim.run(durationS: Self.jamS + 5 * 60, watch: { score.observe($0) })
        if acts {
            // five minutes after the jam the operator acknowledges (alarms.ack, coil 2 of B2's unit) ...
            try sim.writeTag(.woodChipBoiler, 1, "alarms.ack", 1)
            sim.run(durationS: 20 * 60, watch: { score.observe($0) })
            // ... and, the auger cleared, resets the boiler (coil 1)
            try sim.writeTag(.woodChipBoiler, 1, "reset", 1)
        }
        sim.run(durationS: 14 * 3600, watch: { score.observe($0) })
        return score
    }

    func testUnattendedPlantMissesTheOperatorsGoals() throws {
        let s = try play(operator: false)
        let outcome = Dictionary(uniqueKeysWithValues: s.rows.map { ($0.goal.id, $0.outcome) })
        XCTAssertEqual(outcome["acknowledge"], .missed)
        XCTAssertEqual(outcome["reset"], .missed)
        XCTAssertEqual(outcome["supply"], .met, "the standby boiler holds the network by itself")
        XCTAssertEqual(outcome["rooms"], .met)
        XCTAssertEqual(s.points, 50)
        XCTAssertEqual(s.maxPoints, 100)
        XCTAssertTrue(s.text.contains("score 50 / 100"))
    }

    func testOperatorWhoActsInTimeMeetsEveryGoal() throws {
        let s = try play(operator: true)
        for r in s.rows { XCTAssertEqual(r.outcome, .met, "\(r.goal.id): \(r.detail)") }
        XCTAssertEqual(s.points, 100)
        let reset = try XCTUnwrap(s.rows.first { $0.goal.id == "reset" })
        XCTAssertTrue(reset.detail.contains("25 min"), reset.detail)
    }

    /// An operator quicker than the scoring's 10 s look: the alarm raised and acknowledged
    /// between two looks still counts (exact times from the alarm table's transitions).
    func testAcknowledgementBetweenTwoLooksCounts() throws {
        let ex = try Exercise.load(path: packagePath("Exercises/auger-jam.yaml"))
        var sim = Simulation(try PlantBuilder.build(ex.scenario, days: 4))
        var score = ExerciseScore(ex)
        sim.run(durationS: Self.jamS + 3, watch: { score.observe($0) })
        XCTAssertTrue(sim.alarmActivations.contains { $0.id == "B2.FAULT" })
        try sim.writeTag(.woodChipBoiler, 1, "alarms.ack", 1)
        sim.run(durationS: 600, watch: { score.observe($0) })
        let ack = try XCTUnwrap(score.rows.first { $0.goal.id == "acknowledge" })
        XCTAssertEqual(ack.outcome, .met, ack.detail)
        XCTAssertTrue(ack.detail.contains("0 min"), ack.detail)
    }

    func testBadExerciseNamesFileLineAndField() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("ex-\(getpid())")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("bad.yaml").path
        let text = """
        exercise: Bad
        scenario: \(packagePath("Scenarios/cold-snap-auger-jam.yaml"))
        goals:
          - { id: a, alarmAcknowledged: B2.FAULT, withinMinutes: 10 }
          - { id: b, boilerInService: B7, withinMinutes: 10 }
        """
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        XCTAssertThrowsError(try Exercise.load(path: path)) { e in
            let m = "\(e)"
            XCTAssertTrue(m.contains("bad.yaml") && m.contains(":5") && m.contains("boilerInService") && m.contains("no boiler 'B7'"), m)
        }
    }
}

#endif
