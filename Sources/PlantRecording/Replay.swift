import SimulationCore
import Foundation
import Historian
import Scenario

/// What a session keeps so that `chaufferie replay` can run it again: how it started (the
/// scenario's fingerprint, its seed, the retentive memory it was restored from, the step it
/// began at), every input that changed the plant (a client's accepted write, an instructor's
/// command) with the step it was carried out before, and how it ended (the step and the
/// fingerprint of the whole simulated state). One JSON object per event, in `replay_log`.
///
/// The simulation is a function of its start and of these inputs at these steps: it never
/// reads the wall clock, and the daemon hands over writes and commands only between batches of
/// steps. The speed, the batches, communication faults and the historian change nothing in it.
public struct ReplayRecord: Codable, Sendable, Equatable {
    public struct Start: Codable, Sendable, Equatable {
        /// Fingerprint of the scenario as loaded (its file path aside), seed included.
        public var scenario: String
        public var seed: UInt64
        /// Days of weather prepared (`serve --days`, or the run's length).
        public var days: Int
        /// The retentive memory restored at the start (the state file's text), if any.
        public var retained: String?
        /// The statistics were started afresh here (after a run's warm-up).
        public var statisticsReset: Bool
        public init(scenario: String, seed: UInt64, days: Int, retained: String?, statisticsReset: Bool) {
            self.scenario = scenario; self.seed = seed; self.days = days; self.retained = retained; self.statisticsReset = statisticsReset
        }
    }
    public struct Write: Codable, Sendable, Equatable {
        public var kind: String
        public var index: Int
        public var tag: String
        /// The value's bit pattern (exact, whatever JSON does with decimals).
        public var bits: UInt64
        public init(kind: String, index: Int, tag: String, bits: UInt64) { self.kind = kind; self.index = index; self.tag = tag; self.bits = bits }
    }
    /// An older session's control API request.
    public struct APIRequest: Codable, Sendable, Equatable {
        public var path: String
        public var body: [String: String]
        public init(path: String, body: [String: String]) { self.path = path; self.body = body }
    }
    public struct End: Codable, Sendable, Equatable {
        public var state: String
        public var timeS: Double
        public init(state: String, timeS: Double) { self.state = state; self.timeS = timeS }
    }
    /// The simulation's step index when it happened (before that step ran).
    public var step: Int
    public var start: Start?
    public var write: Write?
    public var api: APIRequest?
    /// What changed the plant (a client's write, an instructor's instruction); sessions recorded
    /// before it keep `write` and `api`.
    public var instruction: Scenario.Instruction?
    public var end: End?

    public init(step: Int, start: Start? = nil, instruction: Scenario.Instruction? = nil, end: End? = nil) {
        self.step = step; self.start = start; self.instruction = instruction; self.end = end
    }

    public var json: String {
        let e = JSONEncoder()
        e.outputFormatting = [.sortedKeys]
        return (try? e.encode(self)).map { String(decoding: $0, as: UTF8.self) } ?? "{}"
    }
}

extension ScenarioSpec {
    /// Fingerprint of the scenario as loaded, its file's path aside (a copied file replays).
    public var fingerprint: String { StateFingerprint(self, skipping: ["file"]).description }
}

extension Simulation {
    /// Fingerprint of everything that evolves: the plant's physics, the control core (its
    /// loops, sequencer, alarms), the statistics, the runtime's counters. The inputs that never
    /// change (scenario, weather series, calendar, calibrations) are left out: the scenario's
    /// fingerprint stands for them.
    public var stateFingerprint: StateFingerprint {
        StateFingerprint(self, skipping: ["weather", "spec", "calendar", "calibrations"])
    }
}

public struct ReplayError: Error, CustomStringConvertible {
    public let message: String
    public var description: String { message }
}

/// Runs a recorded session again from its start and its inputs.
public enum Replay {
    public struct Outcome: Sendable {
        public var session: Int64
        public var inputs: Int
        public var steps: Int
        public var endTimeS: Double
        /// The recorded final state's fingerprint (nil: the session did not end cleanly).
        public var recorded: String?
        public var replayed: String
        public var identical: Bool { recorded == replayed }
    }

    /// Replays session `session` (default: the last) of the historian at `db`, loading the
    /// scenario from `scenarioPath` (default: the file the session recorded).
    public static func run(db: String, session: Int64?, scenarioPath: String? = nil) throws -> Outcome {
        let h = try HistorianReader(path: db)
        let s = try h.session(session)
        let log = try h.replayLog(session: s.id)
        let decoder = JSONDecoder()
        var records: [ReplayRecord] = []
        for (i, row) in log.enumerated() {
            do { records.append(try decoder.decode(ReplayRecord.self, from: Data(row.payload.utf8))) } catch {
                throw ReplayError(message: "\(db): session \(s.id): replay record \(i + 1) (\(row.kind)) is not readable: \(error)")
            }
        }
        guard let first = records.first, let start = first.start else {
            throw ReplayError(message: "\(db): session \(s.id) kept no replay record (recorded by an older chaufferie, or with --no-record)")
        }
        let path = scenarioPath ?? s.scenarioFile
        var spec = try ScenarioLoader.load(path: path)
        spec.seed = start.seed
        guard spec.fingerprint == start.scenario else {
            throw ReplayError(message: "\(path): the scenario differs from the one session \(s.id) ran (fingerprint \(spec.fingerprint), recorded \(start.scenario)): replay needs the same file")
        }
        var sim = Simulation(try PlantBuilder.build(spec, days: start.days))
        if let text = start.retained {
            try sim.restore(try RetainedState.decode(Data(text.utf8), file: "\(db) session \(s.id) retained state"), file: "\(db) session \(s.id)")
        }
        func advance(to step: Int) throws {
            guard step >= sim.stepIndex else {
                throw ReplayError(message: "\(db): session \(s.id): a record at step \(step) comes after step \(sim.stepIndex): the log is out of order")
            }
            while sim.stepIndex < step { sim.step() }
        }
        try advance(to: first.step)
        if start.statisticsReset { sim.resetStatistics() }
        var inputs = 0
        var end: ReplayRecord.End?
        for (i, r) in records.enumerated().dropFirst() {
            try advance(to: r.step)
            if let ins = r.instruction {
                try sim.apply(ins)
                inputs += 1
            } else if let w = r.write {
                guard let type = Catalogue.standard.type(w.kind) else { throw ReplayError(message: "\(db): record \(i + 1): no device type '\(w.kind)'") }
                try sim.write(type, w.index, w.tag, Double(bitPattern: w.bits))
                inputs += 1
            } else if let a = r.api {
                try sim.apply(try Instruction.parse(path: a.path, body: a.body))
                inputs += 1
            } else if let e = r.end {
                end = e
                break
            }
        }
        return Outcome(session: s.id, inputs: inputs, steps: sim.stepIndex - first.step, endTimeS: sim.timeS,
                       recorded: end?.state, replayed: sim.stateFingerprint.description)
    }
}
