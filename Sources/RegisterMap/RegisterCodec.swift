/// Order of the four bytes A B C D (A most significant) of a 32-bit value in two registers.
public enum WordOrder: String, Sendable, CaseIterable {
    /// Big-endian, high word first (Modbus's own convention).
    case abcd = "ABCD"
    /// Low word first (many meters and PLCs).
    case cdab = "CDAB"
    /// Bytes swapped within each word, high word first.
    case badc = "BADC"
    /// Little-endian.
    case dcba = "DCBA"
}

/// Data type of a point as its registers carry it.
public enum PointType: String, Sendable, CaseIterable {
    case int16, uint16, int32, uint32, float32, bool, `enum`
    /// Registers (or bits, for `bool`) the point takes.
    public var width: Int {
        switch self { case .int32, .uint32, .float32: 2; default: 1 }
    }
}

/// Encoding of engineering values to registers and back. The raw integer is value × scale
/// (a scale of 10 serves 45.3 °C as 453), rounded to nearest; float32 carries the value itself.
/// A value the type cannot hold, or no value (a failed sensor), is served as the type's invalid
/// sentinel, as real devices do: 0x8000 (int16), 0xFFFF (uint16, enum), 0x8000 0000 (int32),
/// 0xFFFF FFFF (uint32), quiet NaN 0x7FC0 0000 (float32), the 32-bit ones in the device's word
/// order (a CDAB device serves NaN as 0000 7FC0, which its clients decode as NaN). Zero is served
/// as +0.0: a stopped boiler's output reads 0, not −0.0.
///
/// Floats are encoded here, bit for bit, and not with libmodbus: Debian's libmodbus 3.1.6
/// `modbus_set_float_*` write wrong bytes (fixed upstream in 3.1.11).
public enum RegisterCodec {
    public static func sentinel(_ type: PointType, order: WordOrder = .abcd) -> [UInt16] {
        encode(nil, type: type, scale: 1, order: order)
    }

    /// The 32-bit pattern of two registers in a word order.
    public static func bits(_ r: [UInt16], _ order: WordOrder) -> UInt32 {
        let (hi, lo): (UInt16, UInt16)
        switch order {
        case .abcd: (hi, lo) = (r[0], r[1])
        case .cdab: (hi, lo) = (r[1], r[0])
        case .badc: (hi, lo) = (r[0].byteSwapped, r[1].byteSwapped)
        case .dcba: (hi, lo) = (r[1].byteSwapped, r[0].byteSwapped)
        }
        return UInt32(hi) << 16 | UInt32(lo)
    }

    /// Registers for `value` (nil = invalid) of `type` with `scale` in `order`.
    public static func encode(_ value: Double?, type: PointType, scale: Double, order: WordOrder) -> [UInt16] {
        let w = encodeWords(value, type: type, scale: scale, order: order)
        return w.count == 1 ? [w.w0] : [w.w0, w.w1]
    }

    /// One or two registers, in order (`w1` unused when `count` is 1).
    public struct Words: Sendable, Equatable {
        public var count: Int, w0: UInt16, w1: UInt16
    }

    /// `encode` without an array: the form the register image is published with, many times a
    /// second for every entry of every unit.
    @inline(__always)
    public static func encodeWords(_ value: Double?, type: PointType, scale: Double, order: WordOrder) -> Words {
        func one(_ r: UInt16) -> Words { Words(count: 1, w0: r, w1: 0) }
        func two(_ bits: UInt32) -> Words {
            let hi = UInt16(bits >> 16), lo = UInt16(bits & 0xFFFF)
            switch order {
            case .abcd: return Words(count: 2, w0: hi, w1: lo)
            case .cdab: return Words(count: 2, w0: lo, w1: hi)
            case .badc: return Words(count: 2, w0: hi.byteSwapped, w1: lo.byteSwapped)
            case .dcba: return Words(count: 2, w0: lo.byteSwapped, w1: hi.byteSwapped)
            }
        }
        func invalid() -> Words {
            switch type {
            case .int16: one(0x8000)
            case .uint16, .enum, .bool: one(0xFFFF)
            case .int32: two(0x8000_0000)
            case .uint32: two(0xFFFF_FFFF)
            case .float32: two(0x7FC0_0000)
            }
        }
        guard let v = value, v.isFinite else { return invalid() }
        switch type {
        case .float32:
            let f = v == 0 ? 0 : Float(v)   // −0.0 served as 0
            guard f.isFinite else { return invalid() }
            return two(f.bitPattern)
        case .bool:
            return one(v != 0 ? 1 : 0)
        case .int16:
            let raw = (v * scale).rounded()
            guard raw >= -32767, raw <= 32767 else { return invalid() }
            return one(UInt16(bitPattern: Int16(raw)))
        case .uint16, .enum:
            let raw = (v * scale).rounded()
            guard raw >= 0, raw <= 65534 else { return invalid() }
            return one(UInt16(raw))
        case .int32:
            let raw = (v * scale).rounded()
            guard raw >= -2_147_483_647, raw <= 2_147_483_647 else { return invalid() }
            return two(UInt32(bitPattern: Int32(raw)))
        case .uint32:
            let raw = (v * scale).rounded()
            guard raw >= 0, raw <= 4_294_967_294 else { return invalid() }
            return two(UInt32(raw))
        }
    }

    /// The engineering value of registers, nil when they hold the invalid sentinel.
    public static func decode(_ r: [UInt16], type: PointType, scale: Double, order: WordOrder) -> Double? {
        if r == sentinel(type, order: order) && type != .bool { return nil }
        switch type {
        case .float32:
            let f = Float(bitPattern: bits(r, order))
            return f.isNaN ? nil : Double(f)
        case .bool: return r[0] != 0 ? 1 : 0
        case .int16: return Double(Int16(bitPattern: r[0])) / scale
        case .uint16, .enum: return Double(r[0]) / scale
        case .int32: return Double(Int32(bitPattern: bits(r, order))) / scale
        case .uint32: return Double(bits(r, order)) / scale
        }
    }
}
