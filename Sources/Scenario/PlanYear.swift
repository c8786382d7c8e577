import Foundation

extension ScenarioSpec {
    /// Why a plan year is refused.
    public struct PlanYearError: Error, CustomStringConvertible {
        public let message: String
        public var description: String { message }
    }

    /// The scenario as built in plan year `year` of its connection steps: the buildings that
    /// connect later are not served (their substations, meters and Modbus units absent), and the
    /// pipes that lead only to them are not laid. The study's figures, which are at full build,
    /// are dropped from the comparison. Throws when the year has no building, or when an event
    /// concerns a building not yet connected.
    public func atPlanYear(_ year: Int) throws -> ScenarioSpec {
        let last = buildings.map(\.connectYear).max() ?? 1
        guard (1...last).contains(year) else {
            throw PlanYearError(message: "plan year \(year): this scenario's buildings connect in years 1–\(last)")
        }
        var s = self
        let kept = buildings.filter { $0.connectYear <= year }
        let gone = Set(buildings.filter { $0.connectYear > year }.map(\.id))
        // the nodes water must reach: the kept buildings' and every node on the way from the plant
        var needed = Set(kept.map(\.node))
        var grew = true
        while grew {
            grew = false
            for p in network.pipes where needed.contains(p.to) && !needed.contains(p.from) { needed.insert(p.from); grew = true }
        }
        s.network.pipes = network.pipes.filter { needed.contains($0.to) }
        s.buildings = kept
        s.modbus = modbus.filter { b in !gone.contains(b.device) && !gone.contains(b.device.hasSuffix(".meter") ? String(b.device.dropLast(6)) : "") }
        for e in events {
            let concerned: String?
            switch e.instruction {
            case let .fault(.meter(b)), let .fault(.secondaryPump(b)), let .fault(.valveStuck(b)): concerned = b
            case let .write(device, _, _): concerned = device.hasSuffix(".meter") ? String(device.dropLast(6)) : device
            default: concerned = nil
            }
            if let b = concerned, gone.contains(b) {
                throw PlanYearError(message: "\(file):\(e.line): events: concerns building '\(b)', which connects after plan year \(year)")
            }
        }
        s.reference = ReferenceFigures(values: [:], weekdaySlotsKW: nil, weekendSlotsKW: nil)
        s.name = "\(name) — plan year \(year) (\(kept.count) of \(buildings.count) buildings)"
        return s
    }
}
