import Foundation

/// Reads an input file (scenario, profile, exercise, weather) as text, refusing with
/// `file:line: (file): message` what would otherwise hang, exhaust memory or crash the parser:
/// something that is not a regular file (a directory, `/dev/zero`), a file over `maxBytes`,
/// bytes that are not UTF-8 (the line of the first), control characters (their line).
public enum TextFile {
    public static let maxBytes = 32 * 1024 * 1024

    public static func read(_ path: String, what: String = "file") throws -> String {
        var st = stat()
        guard stat(path, &st) == 0 else { throw FileError(file: path, line: 0, field: "(file)", message: "no such \(what)") }
        guard (st.st_mode & S_IFMT) == S_IFREG else { throw FileError(file: path, line: 0, field: "(file)", message: "not a regular file") }
        guard st.st_size <= maxBytes else {
            throw FileError(file: path, line: 0, field: "(file)", message: "\(st.st_size) bytes: larger than the \(maxBytes / 1024 / 1024) MiB an input file may be")
        }
        guard let data = FileManager.default.contents(atPath: path) else { throw FileError(file: path, line: 0, field: "(file)", message: "cannot read the file") }
        let bytes = [UInt8](data)
        if let bad = firstInvalidUTF8(bytes) {
            throw FileError(file: path, line: lineOf(bytes, bad), field: "(file)", message: "not UTF-8 text (byte 0x\(String(bytes[bad], radix: 16)) at offset \(bad))")
        }
        if let c = bytes.firstIndex(where: { ($0 < 0x20 && $0 != 0x09 && $0 != 0x0A && $0 != 0x0D) || $0 == 0x7F }) {
            throw FileError(file: path, line: lineOf(bytes, c), field: "(file)", message: "control character 0x\(String(bytes[c], radix: 16)) (only tab and line ends are allowed)")
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    static func lineOf(_ bytes: [UInt8], _ offset: Int) -> Int {
        1 + bytes[..<offset].reduce(0) { $0 + ($1 == 0x0A ? 1 : 0) }
    }

    /// The offset of the first byte that does not begin a valid UTF-8 sequence, or nil (the
    /// standard library's parser: overlong forms and surrogates are invalid too).
    static func firstInvalidUTF8(_ b: [UInt8]) -> Int? {
        var parser = Unicode.UTF8.ForwardParser()
        var input = b.makeIterator()
        var offset = 0
        while true {
            switch parser.parseScalar(from: &input) {
            case let .valid(scalar): offset += scalar.count
            case .emptyInput: return nil
            case .error: return offset
            }
        }
    }

    /// The deepest nesting a YAML input may have (block indentation levels, sequence dashes and
    /// flow brackets together): libyaml and the composer recurse once per level, and thousands
    /// of levels overflow the stack. Real scenarios and profiles use fewer than ten.
    public static let maxNesting = 64

    /// Throws naming the line where `text` nests deeper than `maxNesting` levels.
    public static func checkNesting(_ text: String, file: String) throws {
        var indents: [Int] = []   // open block levels, by column
        var flow = 0              // open flow collections ([ and {), across lines
        var lineNo = 0
        for raw in text.split(separator: "\n", omittingEmptySubsequences: false) {
            lineNo += 1
            let line = Array(raw.utf8)
            var k = 0
            if flow == 0 {
                while k < line.count && line[k] == 0x20 { k += 1 }
                if k == line.count || line[k] == 0x23 /* # */ || line[k] == 0x0D { continue }
                while let top = indents.last, top >= k { indents.removeLast() }
                indents.append(k)
                // "- - - x": each dash opens a level
                while k + 1 < line.count && line[k] == 0x2D && line[k + 1] == 0x20 {
                    k += 2; while k < line.count && line[k] == 0x20 { k += 1 }
                    indents.append(k)
                }
            }
            var peak = flow
            var quote: UInt8? = nil
            var previous: UInt8 = 0x20
            scan: for c in line[k...] {
                defer { previous = c }
                if let q = quote { if c == q { quote = nil }; continue }
                switch c {
                case 0x22, 0x27: quote = c
                case 0x23 where previous == 0x20 || previous == 0x09: break scan   // a comment
                case 0x5B, 0x7B: flow += 1; peak = max(peak, flow)
                case 0x5D, 0x7D: flow = max(0, flow - 1)
                default: break
                }
            }
            if indents.count + peak > maxNesting {
                throw FileError(file: file, line: lineNo, field: "(document)", message: "nested deeper than \(maxNesting) levels")
            }
        }
    }
}
