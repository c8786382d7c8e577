import SimulationCore
import Scenario

/// The alarms a correct supervision must have shown, beside those the plant raised: each
/// scenario event may declare alarm ids and a deadline; an expected alarm is missed when it was
/// not activated between the event and its deadline.
public struct AlarmExpectations: Sendable {
    public struct Row: Sendable {
        public let id: String
        public let eventAtS: Double
        public let deadlineS: Double
        /// First activation within the window, s; nil: missed.
        public let raisedAtS: Double?
    }
    public let rows: [Row]
    /// Ids, sorted and unique: expected by an event; activated during the run; expected and missed.
    public let expected: [String]
    public let raised: [String]
    public let missed: [String]

    public init(_ sim: Simulation, fromS: Double) {
        let acts = sim.alarmActivations.filter { $0.atS >= fromS }
        var rows: [Row] = []
        for e in sim.spec.events where !e.expectAlarms.isEmpty {
            for id in e.expectAlarms {
                let end = e.atS + e.expectWithinS
                rows.append(Row(id: id, eventAtS: e.atS, deadlineS: end, raisedAtS: acts.first { $0.id == id && $0.atS >= e.atS && $0.atS <= end }?.atS))
            }
        }
        self.rows = rows
        expected = Array(Set(rows.map(\.id))).sorted()
        raised = Array(Set(acts.map(\.id))).sorted()
        missed = Array(Set(rows.filter { $0.raisedAtS == nil }.map(\.id))).sorted()
    }

    /// The table of expected against raised alarms (empty when the scenario expects none and
    /// none rose).
    public var text: String {
        guard !rows.isEmpty || !raised.isEmpty else { return "" }
        func f(_ v: Double, _ d: Int) -> String { String(format: "%.\(d)f", v) }
        var out = "Alarms: expected \(expected.count), raised \(raised.count), missed \(missed.count)\n"
        for r in rows {
            out += "  " + r.id.padding(toLength: max(24, r.id.count), withPad: " ", startingAt: 0)
                + " expected within \(f((r.deadlineS - r.eventAtS) / 60, 0)) min of t = \(f(r.eventAtS / 3600, 2)) h: "
                + (r.raisedAtS.map { "raised after \(f(($0 - r.eventAtS) / 60, 1)) min" } ?? "MISSED") + "\n"
        }
        if !raised.isEmpty { out += "  raised: " + raised.joined(separator: ", ") + "\n" }
        return out
    }
}
