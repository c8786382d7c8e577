import SimulationCore
import Foundation
import PlantControl
import PlantModel
import Scenario
import YAMLFile

/// A training exercise: a scenario and the goals a student operating the plant (over Modbus,
/// through a supervision) is scored on at the end. Each goal is checked from what the plant did,
/// every 10 simulated seconds:
/// - `alarmAcknowledged: ID, withinMinutes: N`: the alarm, once activated, is acknowledged
///   within N minutes;
/// - `boilerInService: ID, withinMinutes: N`: the boiler, once tripped, is reset and back in
///   service (out of its fault) within N minutes of the trip;
/// - `supplyWithinK: K, withinMinutes: N, holdMinutes: H`: the network supply is back within K
///   of its setpoint, and holds there for H minutes (default 10), starting within N minutes of `after`;
/// - `roomsAboveC: C, forHours: H`: no building's room falls under C during H hours from `after`
///   (buildings closed for the season by their time programme are left out).
/// `after` (YYYY-MM-DDTHH:MM, default the scenario's start) is when the goal's clock starts;
/// `points` weigh the goals.
public struct Exercise: Sendable {
    public enum Kind: Sendable, Equatable {
        case alarmAcknowledged(alarm: String)
        case boilerInService(boiler: Int)
        case supplyWithin(bandK: Double, holdS: Double)
        case roomsAbove(minC: Double, forS: Double)
    }
    public struct Goal: Sendable {
        public let id: String
        public let text: String
        public let kind: Kind
        public let afterS: Double
        public let withinS: Double
        public let points: Int
    }
    public let file: String
    public let title: String
    public let briefing: String
    public let scenarioPath: String
    public let scenario: ScenarioSpec
    public let goals: [Goal]

    /// Loads an exercise; errors name the file, line and field. The scenario's path is relative
    /// to the exercise's folder.
    public static func load(path: String) throws -> Exercise {
        let text = try TextFile.read(path)
        let root = try YNode.parse(text: text, file: path)
        let top = try root.map(allowed: ["exercise", "briefing", "scenario", "goals"])
        let title = try top.string("exercise")
        let briefing = try top.string("briefing", default: "").trimmingCharacters(in: .whitespacesAndNewlines)
        let scenarioNode = try top.required("scenario")
        let rel = try scenarioNode.asString()
        let dir = URL(fileURLWithPath: path).deletingLastPathComponent()
        let scenarioPath = rel.hasPrefix("/") ? rel : dir.appendingPathComponent(rel).standardizedFileURL.path
        guard FileManager.default.fileExists(atPath: scenarioPath) else { throw scenarioNode.fail("no scenario file \(scenarioPath)") }
        let spec = try ScenarioLoader.load(path: scenarioPath)
        var goals: [Goal] = []
        var ids: Set<String> = []
        var knownAlarms: Set<String>?   // the plant's alarm ids, built once when a goal names one
        for item in try top.required("goals").list() {
            let m = try item.map(allowed: ["id", "text", "after", "withinMinutes", "holdMinutes", "forHours", "points",
                                           "alarmAcknowledged", "boilerInService", "supplyWithinK", "roomsAboveC"])
            let idNode = try m.required("id")
            let id = try idNode.asString()
            guard ids.insert(id).inserted else { throw idNode.fail("goal '\(id)' is given twice") }
            var afterS = 0.0
            if let a = m.optional("after") {
                let s = try a.asString()
                guard let h = WeatherImport.parseTimestampHours(s, start: spec.start) else { throw a.fail("expected YYYY-MM-DDTHH:MM, found '\(s)'") }
                guard h >= 0 else { throw a.fail("before the scenario's start \(spec.start)") }
                afterS = Double(h) * 3600
            }
            var kinds: [Kind] = []
            var within = 0.0
            if let a = m.optional("alarmAcknowledged") {
                let alarm = try a.asString()
                if knownAlarms == nil { knownAlarms = Set(try PlantBuilder.build(spec, days: 1).controller.alarms.definitions.map(\.id)) }
                let known = knownAlarms!
                guard known.contains(alarm) else { throw a.fail("no alarm '\(alarm)'; alarms are \(known.sorted().joined(separator: ", "))") }
                kinds.append(.alarmAcknowledged(alarm: alarm))
                within = try m.double("withinMinutes", 1...100_000, unit: "min") * 60
            }
            if let b = m.optional("boilerInService") {
                let id = try b.asString()
                guard let i = spec.boilerRoom.boilers.firstIndex(where: { $0.id == id }) else {
                    throw b.fail("no boiler '\(id)'; boilers are \(spec.boilerRoom.boilers.map(\.id).joined(separator: ", "))")
                }
                kinds.append(.boilerInService(boiler: i))
                within = try m.double("withinMinutes", 1...100_000, unit: "min") * 60
            }
            if m.optional("supplyWithinK") != nil {
                kinds.append(.supplyWithin(bandK: try m.double("supplyWithinK", 0.1...30, unit: "K"),
                                           holdS: try m.double("holdMinutes", default: 10, 0...1440, unit: "min") * 60))
                within = try m.double("withinMinutes", 1...100_000, unit: "min") * 60
            }
            if m.optional("roomsAboveC") != nil {
                let h = try m.double("forHours", 0.1...8760, unit: "h")
                kinds.append(.roomsAbove(minC: try m.double("roomsAboveC", 0...30, unit: "°C"), forS: h * 3600))
                within = h * 3600
            }
            guard kinds.count == 1 else {
                throw item.fail("a goal checks exactly one thing: alarmAcknowledged, boilerInService, supplyWithinK or roomsAboveC")
            }
            goals.append(Goal(id: id, text: try m.string("text", default: id), kind: kinds[0], afterS: afterS, withinS: within,
                              points: try m.int("points", default: 1, 0...1000)))
        }
        guard !goals.isEmpty else { throw root.fail("an exercise has at least one goal (goals: [...])") }
        return Exercise(file: path, title: title, briefing: briefing, scenarioPath: scenarioPath, scenario: spec, goals: goals)
    }
}

/// The score of an exercise as the plant runs: `observe` every 10 simulated seconds (the
/// daemon and `run` call it), `result` at the end.
public struct ExerciseScore: Sendable {
    public enum Outcome: String, Sendable { case met, missed, pending }
    public struct Row: Sendable {
        public let goal: Exercise.Goal
        public var outcome: Outcome
        /// When it was met or missed, simulated seconds, and what was seen.
        public var atS: Double?
        public var detail: String
    }
    public let exercise: Exercise
    public private(set) var rows: [Row]
    // per goal: when its clock started (the alarm's activation, the boiler's trip), and the
    // start of the current in-band stretch of the supply
    private var started: [Double?]
    private var stretch: [Double?]
    private var lowestRoom: [Double]
    // how far each goal has read the simulation's lists of alarm activations and acknowledgements
    private var activationsRead: [Int]
    private var acknowledgementsRead: [Int]

    public init(_ exercise: Exercise) {
        self.exercise = exercise
        rows = exercise.goals.map { Row(goal: $0, outcome: .pending, atS: nil, detail: "") }
        started = Array(repeating: nil, count: exercise.goals.count)
        stretch = Array(repeating: nil, count: exercise.goals.count)
        lowestRoom = Array(repeating: .infinity, count: exercise.goals.count)
        activationsRead = Array(repeating: 0, count: exercise.goals.count)
        acknowledgementsRead = Array(repeating: 0, count: exercise.goals.count)
    }

    public mutating func observe(_ sim: Simulation) {
        let t = sim.timeS
        for (i, g) in exercise.goals.enumerated() where rows[i].outcome == .pending && t >= g.afterS {
            switch g.kind {
            case let .alarmAcknowledged(id):
                // from the exact times of the alarm's first activation after `after` and of the
                // first acknowledgement after it (not only from what is seen every 10 s)
                let acts = sim.alarmActivations, acks = sim.alarmAcknowledgements
                if started[i] == nil {
                    for a in acts[activationsRead[i]...] where a.id == id && a.atS >= g.afterS { started[i] = a.atS; break }
                    activationsRead[i] = acts.count
                }
                guard let from = started[i] else { continue }
                var ackAt: Double?
                for a in acks[acknowledgementsRead[i]...] where a.id == id && a.atS >= from { ackAt = a.atS; break }
                acknowledgementsRead[i] = acks.count
                if let at = ackAt {
                    rows[i].outcome = at - from <= g.withinS ? .met : .missed
                    rows[i].atS = at
                    rows[i].detail = "acknowledged \(Self.minutes(at - from)) after it rose"
                } else if t - from > g.withinS {
                    rows[i].outcome = .missed; rows[i].atS = t
                    rows[i].detail = "not acknowledged \(Self.minutes(g.withinS)) after it rose"
                }
            case let .boilerInService(b):
                let tripped = sim.plant.boilers[b].state == .fault
                if started[i] == nil {
                    if tripped { started[i] = t }
                } else if !tripped {
                    rows[i].outcome = t - started[i]! <= g.withinS ? .met : .missed
                    rows[i].atS = t
                    rows[i].detail = "back in service \(Self.minutes(t - started[i]!)) after its trip"
                } else if t - started[i]! > g.withinS {
                    rows[i].outcome = .missed; rows[i].atS = t
                    rows[i].detail = "still tripped \(Self.minutes(g.withinS)) after its trip"
                }
            case let .supplyWithin(bandK, holdS):
                let inBand = abs(sim.plant.networkSupplyC - sim.controller.networkSetpointC) <= bandK
                if inBand {
                    if stretch[i] == nil { stretch[i] = t }
                    if t - stretch[i]! >= holdS {
                        let from = stretch[i]!
                        rows[i].outcome = from - g.afterS <= g.withinS ? .met : .missed
                        rows[i].atS = from
                        rows[i].detail = "within \(Self.fmt(bandK)) K from \(Self.minutes(from - g.afterS)) on, held \(Self.minutes(holdS))"
                    }
                } else {
                    stretch[i] = nil
                    if t - g.afterS > g.withinS {
                        rows[i].outcome = .missed; rows[i].atS = t
                        rows[i].detail = "not within \(Self.fmt(bandK)) K \(Self.minutes(g.withinS)) after the start"
                    }
                }
            case let .roomsAbove(minC, forS):
                // buildings closed (out of their season, per their time programme) are left out; a
                // circuit the student switched off is not
                let moment = sim.calendar.moment(t)
                var low = Double.infinity, which = ""
                for k in sim.plant.substations.indices where sim.controller.substations[k].schedule.occupancy(at: moment) != .closed {
                    let r = sim.plant.substations[k].building.airTemperatureC
                    if r < low { low = r; which = sim.spec.buildings[k].id }
                }
                lowestRoom[i] = min(lowestRoom[i], low)
                if low < minC {
                    rows[i].outcome = .missed; rows[i].atS = t
                    rows[i].detail = "\(which) fell to \(Self.fmt(low)) °C"
                } else if t - g.afterS >= forS {
                    rows[i].outcome = .met; rows[i].atS = t
                    rows[i].detail = "lowest room \(Self.fmt(lowestRoom[i])) °C"
                }
            }
        }
    }

    public var points: Int { rows.filter { $0.outcome == .met }.reduce(0) { $0 + $1.goal.points } }
    public var maxPoints: Int { rows.reduce(0) { $0 + $1.goal.points } }

    /// The score table, one line per goal.
    public var text: String {
        var out = "Exercise: \(exercise.title) — score \(points) / \(maxPoints)\n"
        for r in rows {
            out += "  \(r.outcome.rawValue.uppercased().padding(toLength: 8, withPad: " ", startingAt: 0))\(r.goal.id) (\(r.goal.points) pt): \(r.goal.text)"
            out += r.detail.isEmpty ? (r.outcome == .pending ? " — not decided when the session ended" : "") : " — \(r.detail)"
            out += "\n"
        }
        return out
    }

    public var json: [String: Any] {
        ["title": exercise.title, "points": points, "maxPoints": maxPoints,
         "goals": rows.map { ["id": $0.goal.id, "outcome": $0.outcome.rawValue, "points": $0.goal.points, "atS": $0.atS ?? NSNull(), "detail": $0.detail] as [String: Any] }]
    }

    static func fmt(_ v: Double) -> String { String(format: "%.1f", v) }
    static func minutes(_ s: Double) -> String { s < 3600 ? "\(Int((s / 60).rounded())) min" : String(format: "%.1f h", s / 3600) }
}
