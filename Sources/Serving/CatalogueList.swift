import Foundation
import PlantRecording
import SimulationCore
import Training
import Scenario

/// The point catalogue as a document (`chaufferie points --catalogue`): every point of every
/// device type of a scenario, whether or not a profile serves it, with what a profile author and
/// an integrator need (unit, nature, range, rules, how it is recorded and kept).
public struct CatalogueList: Sendable {
    public struct Row: Codable, Sendable, Equatable {
        public var deviceType: String, point: String, unit: String, nature: String, access: String
        public var min: Double?, max: Double?
        public var recorded: String, shown: String, retentive: Bool
        public var rules: String, description: String
    }
    public var rows: [Row]

    public init(_ spec: ScenarioSpec, catalogue: Catalogue = .standard) {
        var rows: [Row] = []
        for t in catalogue.types {
            for p in t.points(for: spec, in: catalogue) {
                let recorded: String
                switch p.recorded {
                case .no: recorded = ""
                case let .analog(deadband): recorded = "analog" + (deadband.map { ", deadband \(Point.fmt($0))" } ?? "")
                case .state: recorded = "state"
                case let .counter(resolution, hourly): recorded = "counter at \(Point.fmt(resolution)), " + (hourly ? "hourly" : "daily")
                }
                let shown: String
                switch p.shown {
                case .exact: shown = ""
                case let .down(step): shown = "rounded down to \(Point.fmt(step))"
                case let .nearest(step): shown = "rounded to \(Point.fmt(step))"
                }
                rows.append(Row(deviceType: t.name, point: p.name, unit: p.unit, nature: p.nature.rawValue, access: p.writable ? "rw" : "r",
                                min: p.range?.lowerBound, max: p.range?.upperBound, recorded: recorded, shown: shown, retentive: p.retentive,
                                rules: ([p.rules] + (p.lacking.map { [$0.rule] } ?? [])).filter { !$0.isEmpty }.joined(separator: "; "),
                                description: p.description))
            }
        }
        self.rows = rows
    }

    static let columns = ["device type", "point", "unit", "nature", "access", "range", "recorded", "shown", "retentive", "rules", "description"]

    func cells(_ r: Row) -> [String] {
        [r.deviceType, r.point, r.unit, r.nature, r.access, r.min.map { "\(Point.fmt($0)) to \(Point.fmt(r.max ?? 0))" } ?? "",
         r.recorded, r.shown, r.retentive ? "yes" : "", r.rules, r.description]
    }

    public var csv: String {
        func q(_ s: String) -> String { s.contains(",") || s.contains("\"") || s.contains("\n") ? "\"\(s.replacingOccurrences(of: "\"", with: "\"\""))\"" : s }
        return ([Self.columns] + rows.map(cells)).map { $0.map(q).joined(separator: ",") }.joined(separator: "\n") + "\n"
    }

    public var markdown: String {
        var out = "# Point catalogue\n\nEvery point of every device type, declared once; a device profile lays some of them out on registers (`chaufferie points` lists those).\n\n"
        out += "| " + Self.columns.joined(separator: " | ") + " |\n|" + Self.columns.map { _ in "---" }.joined(separator: "|") + "|\n"
        for r in rows { out += "| " + cells(r).map { $0.replacingOccurrences(of: "|", with: "\\|") }.joined(separator: " | ") + " |\n" }
        return out
    }

    public var json: String {
        let enc = JSONEncoder()
        enc.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return String(decoding: (try? enc.encode(["points": rows])) ?? Data(), as: UTF8.self) + "\n"
    }
}
