import Yams

/// A node of a YAML document with where it came from (file, line) and its dotted field path,
/// so that every error can name the file, the line and the field.
public struct YNode {
    public let node: Node
    public let file: String
    public let path: String

    public var line: Int { (node.mark?.line ?? 0) }

    public func fail(_ message: String) -> FileError {
        FileError(file: file, line: line, field: path.isEmpty ? "(document)" : path, message: message)
    }

    public static func parse(text: String, file: String) throws -> YNode {
        try TextFile.checkNesting(text, file: file)
        do {
            // the basic resolver: every scalar stays text, typed here by the field that reads it
            // (the default one compiles Foundation regular expressions, ICU's, for tags this
            // reader never looks at: 6 MB of the daemon's resident memory)
            guard let n = try Yams.compose(yaml: text, .basic) else {
                throw FileError(file: file, line: 1, field: "(document)", message: "the file is empty")
            }
            return YNode(node: n, file: file, path: "")
        } catch let e as YamlError {
            var line = 0
            var msg = "\(e)"
            switch e {
            case let .scanner(context, problem, mark, _):
                line = mark.line; msg = "YAML syntax: \(problem)" + (context.map { " \($0.text)" } ?? "")
            case let .parser(context, problem, mark, _):
                line = mark.line; msg = "YAML syntax: \(problem)" + (context.map { " \($0.text)" } ?? "")
            case let .composer(context, problem, mark, _):
                line = mark.line; msg = "YAML syntax: \(problem)" + (context.map { " \($0.text)" } ?? "")
            case let .reader(problem, offset, value, _):
                line = offset.map { o in 1 + text.utf8.prefix(o).filter { $0 == 0x0A }.count } ?? 0
                msg = "YAML: \(problem) (character \(value))"
            default: break
            }
            throw FileError(file: file, line: line, field: "(document)", message: msg)
        }
    }

    public func child(_ n: Node, _ key: String) -> YNode {
        YNode(node: n, file: file, path: path.isEmpty ? key : "\(path).\(key)")
    }

    /// This node as a mapping whose keys must all be in `allowed`.
    public func map(allowed: [String]) throws -> YMap {
        guard case let .mapping(m) = node else { throw fail("expected a mapping (key: value lines)") }
        var entries: [(String, Node, Node)] = []
        for (k, v) in m {
            guard case let .scalar(s) = k else { throw fail("keys must be plain names") }
            if !allowed.contains(s.string) {
                throw YNode(node: k, file: file, path: path.isEmpty ? s.string : "\(path).\(s.string)")
                    .fail("unknown field; expected one of: \(allowed.joined(separator: ", "))")
            }
            if entries.contains(where: { $0.0 == s.string }) {
                throw YNode(node: k, file: file, path: path.isEmpty ? s.string : "\(path).\(s.string)").fail("field given twice")
            }
            entries.append((s.string, k, v))
        }
        return YMap(owner: self, entries: entries)
    }

    public func list() throws -> [YNode] {
        guard case let .sequence(s) = node else { throw fail("expected a list") }
        return s.enumerated().map { i, n in YNode(node: n, file: file, path: "\(path)[\(i)]") }
    }

    public var string: String? {
        if case let .scalar(s) = node { return s.string }
        return nil
    }

    public func asString() throws -> String {
        guard let s = string, !s.isEmpty else { throw fail("expected a text value") }
        return s
    }

    public func asDouble(_ range: ClosedRange<Double>? = nil, unit: String = "") throws -> Double {
        guard case let .scalar(s) = node, let v = Double(s.string.replacingOccurrences(of: "_", with: "")), v.isFinite else {
            throw fail("expected a number\(unit.isEmpty ? "" : " in \(unit)"), found '\(string ?? "a structure")'")
        }
        if let r = range, !r.contains(v) {
            throw fail("\(s.string)\(unit.isEmpty ? "" : " \(unit)") is outside the allowed range \(fmt(r.lowerBound))…\(fmt(r.upperBound))")
        }
        return v
    }

    public func asInt(_ range: ClosedRange<Int>? = nil) throws -> Int {
        guard case let .scalar(s) = node, let v = Int(s.string) else { throw fail("expected a whole number, found '\(string ?? "a structure")'") }
        if let r = range, !r.contains(v) { throw fail("\(v) is outside the allowed range \(r.lowerBound)…\(r.upperBound)") }
        return v
    }

    public func asBool() throws -> Bool {
        switch string?.lowercased() {
        case "true", "yes", "on": return true
        case "false", "no", "off": return false
        default: throw fail("expected true or false, found '\(string ?? "a structure")'")
        }
    }

    public func asDoubles(count: Int? = nil, _ range: ClosedRange<Double>? = nil) throws -> [Double] {
        let items = try list()
        if let c = count, items.count != c { throw fail("expected \(c) numbers, found \(items.count)") }
        return try items.map { try $0.asDouble(range) }
    }
}

private func fmt(_ v: Double) -> String { v == v.rounded() && abs(v) < 1e15 ? String(Int(v)) : String(v) }

/// A mapping being read: fields are fetched by name; missing required ones name the mapping.
public struct YMap {
    public let owner: YNode
    public let entries: [(String, Node, Node)]

    public func has(_ key: String) -> Bool { entries.contains { $0.0 == key } }

    public func optional(_ key: String) -> YNode? {
        entries.first { $0.0 == key }.map { owner.child($0.2, key) }
    }

    public func required(_ key: String) throws -> YNode {
        guard let n = optional(key) else {
            throw FileError(file: owner.file, line: owner.line, field: owner.path.isEmpty ? key : "\(owner.path).\(key)", message: "missing required field")
        }
        return n
    }

    public func double(_ key: String, _ range: ClosedRange<Double>? = nil, unit: String = "") throws -> Double {
        try required(key).asDouble(range, unit: unit)
    }
    public func double(_ key: String, default d: Double, _ range: ClosedRange<Double>? = nil, unit: String = "") throws -> Double {
        try optional(key)?.asDouble(range, unit: unit) ?? d
    }
    public func string(_ key: String) throws -> String { try required(key).asString() }
    public func string(_ key: String, default d: String) throws -> String { try optional(key)?.asString() ?? d }
    public func int(_ key: String, _ range: ClosedRange<Int>? = nil) throws -> Int { try required(key).asInt(range) }
    public func int(_ key: String, default d: Int, _ range: ClosedRange<Int>? = nil) throws -> Int { try optional(key)?.asInt(range) ?? d }
    public func bool(_ key: String, default d: Bool) throws -> Bool { try optional(key)?.asBool() ?? d }
}
