/// A fingerprint of a value's whole state, bit for bit: every stored property reached by
/// reflection (structs, enums with their payloads, arrays, optionals, class instances), each
/// floating-point number by its bit pattern, folded with 64-bit FNV-1a (Fowler, Noll, Vo) into
/// two independent lanes (128 bits). Dictionaries and sets are folded order-free (their iteration
/// order changes from one process to the next). Two states with the same fingerprint are taken as
/// the same; a difference anywhere — the last bit of a pipe segment's temperature — changes it.
public struct StateFingerprint: Sendable, Equatable, CustomStringConvertible {
    private var a: UInt64 = 0xcbf2_9ce4_8422_2325
    private var b: UInt64 = 0x84222325_cbf29ce4
    /// How many leaf values went in (a sanity figure for reports).
    public private(set) var leaves = 0

    public init() {}

    /// The fingerprint of `value`, leaving out the top-level stored properties named in `skipping`.
    public init(_ value: Any, skipping: Set<String> = []) {
        add(value, skipping: skipping)
    }

    public var description: String { hex(a) + hex(b) }

    private func hex(_ v: UInt64) -> String {
        let s = String(v, radix: 16)
        return String(repeating: "0", count: 16 - s.count) + s
    }

    private mutating func byte(_ x: UInt8) {
        a = (a ^ UInt64(x)) &* 0x0000_0100_0000_01b3
        b = (b ^ UInt64(x ^ 0x5a)) &* 0x0000_0100_0000_01b3
    }

    private mutating func word(_ v: UInt64) {
        var v = v
        for _ in 0..<8 { byte(UInt8(truncatingIfNeeded: v)); v >>= 8 }
    }

    private mutating func text(_ s: String) {
        for c in s.utf8 { byte(c) }
        word(UInt64(s.utf8.count))
    }

    private mutating func leaf(_ tag: UInt8, _ v: UInt64) { byte(tag); word(v); leaves += 1 }

    private mutating func add(_ x: Any, skipping: Set<String> = []) {
        switch x {
        case let v as Double: leaf(1, v.bitPattern)
        case let v as Float: leaf(2, UInt64(v.bitPattern))
        case let v as Int: leaf(3, UInt64(bitPattern: Int64(v)))
        case let v as Int64: leaf(3, UInt64(bitPattern: v))
        case let v as UInt64: leaf(4, v)
        case let v as Int32: leaf(3, UInt64(bitPattern: Int64(v)))
        case let v as UInt32: leaf(4, UInt64(v))
        case let v as UInt16: leaf(4, UInt64(v))
        case let v as UInt8: leaf(4, UInt64(v))
        case let v as Bool: leaf(5, v ? 1 : 0)
        case let v as String: byte(6); text(v); leaves += 1
        default:
            let m = Mirror(reflecting: x)
            switch m.displayStyle {
            case .optional:
                if let c = m.children.first { byte(7); add(c.value) } else { byte(8) }
            case .dictionary, .set:
                // order-free: each element's own fingerprint, sorted
                var parts: [String] = []
                for c in m.children { parts.append(StateFingerprint(c.value).description) }
                byte(9); word(UInt64(parts.count))
                for p in parts.sorted() { text(p) }
            case .enum:
                byte(10)
                if m.children.isEmpty { text(String(describing: x)) }
                for c in m.children { text(c.label ?? ""); add(c.value) }
            default:
                // structs, classes, tuples, collections; a closure has no children: its type stands for it
                byte(11)
                var mirror: Mirror? = m
                var n = 0
                while let mm = mirror {
                    for c in mm.children {
                        if let l = c.label, skipping.contains(l) { continue }
                        text(c.label ?? ""); add(c.value); n += 1
                    }
                    mirror = mm.superclassMirror
                }
                if n == 0 { text(String(describing: type(of: x))) }
                word(UInt64(n))
            }
        }
    }
}
