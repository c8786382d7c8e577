import Foundation
import PlantRecording
import SimulationCore
import Training
import RegisterMap
import Scenario

/// The point list for integrators, complete enough to map a supervision without the source: per
/// register the function codes, register count, wire type, word and byte order in both usual
/// notations, scale as "raw × 0.1 = °C", the invalid value as served on the wire, access, range,
/// the rules between points, commands, and unit 1's mirrors named by building and unit.
public struct PointList: Sendable {
    /// One row: one point of one unit.
    public struct Row: Codable, Sendable, Equatable {
        /// The daemon's port (gateway) serving the unit: the `--listen` port plus this offset.
        public var port: Int
        public var unit: Int
        /// The device bound to the unit: `plant`, a boiler id, a building id, `<building>.meter`.
        public var device: String
        public var table: String
        /// Function codes to read it, and to write it (empty when read-only).
        public var readFunction: String, writeFunction: String
        /// 0-based protocol address, and the 1-based reference (3xxxx, 4xxxx, 0xxxx, 1xxxx).
        public var address: Int, reference: Int
        /// Registers (or bits) the point spans.
        public var count: Int
        public var tag: String
        /// int16, uint16, int32, uint32, float32 or bit; `enum` points are uint16 codes.
        public var wireType: String
        /// ABCD / CDAB... and the byte-index notation (3-2-1-0 = most significant byte first) for
        /// 32-bit points; empty for single registers.
        public var wordOrder: String, byteOrder: String
        /// How to read the raw value: "raw × 0.1 = °C", "IEEE 754 float = kWh", "raw = code".
        public var scaling: String
        public var multiplier: Double
        public var unitOfMeasure: String
        /// The registers served when the value is invalid (failed sensor, quantity absent), hex.
        public var invalidValue: String
        public var access: String
        public var min: Double?, max: Double?
        /// The rules between this point and others, when it is inactive and what a write does then.
        public var rules: String
        public var command: Bool
        public var description: String
    }

    public var rows: [Row]

    /// What every column means, on top of the Markdown list and in the JSON.
    public static let legend = [
        "unit: Modbus unit id (slave address) on the daemon's port (with a port column, +K: on the --listen port plus K, the gateway that carries it: a scenario of more than 247 units has several); device: what the unit is (unit 1 the plant controller, boilers by id, substations by building id, meters as <building>.meter).",
        "readFunction/writeFunction: function codes (01 coils, 02 discrete inputs, 03 holding, 04 input registers; writes 05/15 coils, 06/16 holding registers).",
        "address: 0-based address in the request (PDU); reference: the 1-based 0xxxx/1xxxx/3xxxx/4xxxx number many tools use (reference = prefix·10000 + address + 1).",
        "count: registers to read for the point (2 for 32-bit types); 16-bit registers are big-endian (byte order A-B within a word, as the Modbus specification says).",
        "wordOrder: for 32-bit points, ABCD = high word first, CDAB = low word first; byteOrder gives the same as byte indices, most significant = 3 (ABCD = 3-2-1-0, CDAB = 1-0-3-2), the notation of PyScada and several PLC tools.",
        "scaling: engineering value = raw × multiplier (e.g. raw 453 × 0.1 = 45.3 °C); float32 carries the value itself.",
        "invalidValue: what is served when the value is not available (failed sensor, quantity the building lacks), in wire order: int16 8000, uint16 FFFF, int32 8000 0000, uint32 FFFF FFFF, float32 quiet NaN 7FC0 0000 (CDAB devices: 0000 7FC0).",
        "access: r or rw; a write outside min–max, or breaking a rule, is refused with exception 03 and changes nothing; a write to a read-only register gets 02, to a missing one 02.",
        "command: write 1 to act; the point reads 0 again once the controller has carried it out (within a second).",
    ]

    /// The list for `devices` (resolved from `spec`).
    public init(_ devices: [ServedDevice], spec: ScenarioSpec) {
        var subUnits: [Int: (String, Int)] = [:], boilerUnits: [Int: (String, Int)] = [:]
        for d in devices {
            if d.kind == .substationController { subUnits[d.index] = (d.device, d.unit) }
            if d.kind == .woodChipBoiler { boilerUnits[d.index] = (d.device, d.unit) }
        }
        var rows: [Row] = []
        for d in devices.sorted(by: { ($0.port, $0.unit) < ($1.port, $1.unit) }) {
            let ordered = zip(d.profile.entries, d.points).sorted { ($0.0.table.referencePrefix, $0.0.address) < ($1.0.table.referencePrefix, $1.0.address) }
            for (e, point) in ordered {
                let order = d.profile.wordOrder
                let wide = !e.table.isBitTable && e.type.width == 2
                let (read, write): (String, String)
                switch e.table {
                case .coils: (read, write) = ("01", e.writable ? "05/15" : "")
                case .discreteInputs: (read, write) = ("02", "")
                case .inputRegisters: (read, write) = ("04", "")
                case .holdingRegisters: (read, write) = ("03", e.writable ? "06/16" : "")
                }
                let wire = e.table.isBitTable ? "bit" : (e.type == .enum ? "uint16" : e.type.rawValue)
                let unit = e.unit.isEmpty ? "" : " " + e.unit
                let scaling: String, multiplier: Double
                if e.table.isBitTable { (scaling, multiplier) = ("0 or 1", 1) }
                else if e.type == .float32 { (scaling, multiplier) = ("IEEE 754 float =" + (unit.isEmpty ? " value" : unit), 1) }
                else if e.scale == 1 { (scaling, multiplier) = ("raw =" + (unit.isEmpty ? (e.type == .enum ? " code" : " value") : unit), 1) }
                else { (scaling, multiplier) = ("raw × \(Self.fmt(1 / e.scale)) =" + (unit.isEmpty ? " value" : unit), 1 / e.scale) }
                let invalid = e.table.isBitTable ? "" : RegisterCodec.sentinel(e.type, order: order).map { String(format: "%04X", $0) }.joined(separator: " ")
                var description = e.description
                if d.kind == .plantController, let dot = e.tag.firstIndex(of: ".") {
                    // unit 1's mirrors: substationK / boilerK named by building (or boiler) and unit
                    let head = String(e.tag[..<dot])
                    for (prefix, map) in [("substation", subUnits), ("boiler", boilerUnits)] where head.hasPrefix(prefix) {
                        if let k = Int(head.dropFirst(prefix.count)), let (name, u) = map[k - 1] {
                            description += " [\(head) = \(name), unit \(u)]"
                        }
                    }
                }
                rows.append(Row(port: d.port, unit: d.unit, device: d.device, table: e.table.rawValue, readFunction: read, writeFunction: write,
                                address: e.address, reference: e.reference, count: e.width, tag: e.tag, wireType: wire,
                                wordOrder: wide ? order.rawValue : "", byteOrder: wide ? Self.byteIndices(order) : "",
                                scaling: scaling, multiplier: multiplier, unitOfMeasure: e.unit, invalidValue: invalid,
                                access: e.writable ? "rw" : "r", min: e.writable ? (e.min ?? 0) : nil, max: e.writable ? (e.max ?? 1) : nil,
                                rules: point.rules(spec, d.index), command: point.nature == .command, description: description))
            }
        }
        self.rows = rows
        severalPorts = rows.contains { $0.port != 0 }
    }

    /// Word order as byte indices, most significant byte = 3, in the order the bytes arrive.
    static func byteIndices(_ order: WordOrder) -> String {
        switch order {
        case .abcd: "3-2-1-0"
        case .cdab: "1-0-3-2"
        case .badc: "2-3-0-1"
        case .dcba: "0-1-2-3"
        }
    }

    static func fmt(_ v: Double) -> String { Point.fmt(v) }

    /// Whether the units are on several ports (the port column shown then).
    public let severalPorts: Bool
    var columns: [String] { (severalPorts ? ["port"] : []) + Self.unitColumns }

    static let unitColumns = ["unit", "device", "table", "read fc", "write fc", "address", "reference", "count", "tag", "wire type",
                          "word order", "byte order", "scaling", "unit of measure", "invalid value", "access", "range", "rules", "description"]

    func cells(_ r: Row) -> [String] {
        (severalPorts ? ["+\(r.port)"] : []) + [String(r.unit), r.device, r.table, r.readFunction, r.writeFunction, String(r.address), String(format: "%05d", r.reference),
         String(r.count), r.tag, r.wireType, r.wordOrder, r.byteOrder, r.scaling, r.unitOfMeasure, r.invalidValue, r.access,
         r.min.map { "\(Self.fmt($0)) to \(Self.fmt(r.max ?? 0))" } ?? "", r.rules, r.description]
    }

    /// CSV (RFC 4180, UTF-8, a header row, no legend: the Markdown and JSON carry it).
    public var csv: String {
        func q(_ s: String) -> String { s.contains(",") || s.contains("\"") || s.contains("\n") ? "\"\(s.replacingOccurrences(of: "\"", with: "\"\""))\"" : s }
        return ([columns] + rows.map(cells)).map { $0.map(q).joined(separator: ",") }.joined(separator: "\n") + "\n"
    }

    /// Markdown: the legend, then one table.
    public var markdown: String {
        var out = "# Modbus point list\n\n" + Self.legend.map { "- \($0)\n" }.joined() + "\n"
        out += "| " + columns.joined(separator: " | ") + " |\n|" + columns.map { _ in "---" }.joined(separator: "|") + "|\n"
        for r in rows { out += "| " + cells(r).map { $0.replacingOccurrences(of: "|", with: "\\|") }.joined(separator: " | ") + " |\n" }
        return out
    }

    /// JSON: `{"legend": [...], "points": [...]}`, keys sorted, for tools.
    public var json: String {
        struct Doc: Encodable { let legend: [String]; let points: [Row] }
        let enc = JSONEncoder()
        enc.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return String(decoding: (try? enc.encode(Doc(legend: Self.legend, points: rows))) ?? Data(), as: UTF8.self) + "\n"
    }
}
