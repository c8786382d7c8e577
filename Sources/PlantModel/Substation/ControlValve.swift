import Foundation

/// A motorised two-way control valve: an actuator with a stroke time moving the plug toward the
/// commanded position, and a modified equal-percentage characteristic.
public struct ControlValve: Sendable {
    /// Flow coefficient fully open, m³/h at 1 bar.
    public let kvs: Double
    /// Rangeability Kvs/Kv_min (50 for a typical equal-percentage valve).
    public let rangeability: Double
    /// Time to travel from closed to open, s.
    public let strokeTimeS: Double
    /// Plug position 0 (closed) … 1 (open).
    public private(set) var position: Double = 0 { didSet { kv = kvs * Self.relativeKv(position, logRangeability: logRangeability, rangeability: rangeability) } }
    /// Stuck at a position (a fault), or free.
    public var stuck: Bool = false
    /// ln R, once: the characteristic is evaluated whenever the plug moves.
    private let logRangeability: Double
    /// Kv at the current position, m³/h at 1 bar: kept with the position, read by the
    /// hydraulics and the branch split every step.
    public private(set) var kv: Double

    public init(kvs: Double, rangeability: Double = 50, strokeTimeS: Double = 120, position: Double = 0) {
        self.kvs = kvs; self.rangeability = rangeability; self.strokeTimeS = strokeTimeS; self.position = position
        logRangeability = log(rangeability)
        kv = kvs * Self.relativeKv(position, logRangeability: logRangeability, rangeability: rangeability)
    }

    /// Relative Kv at a position: equal percentage R^(h−1), less the linear term (1−h)/R that
    /// closes it tight at h = 0.
    @inline(__always) public static func relativeKv(_ h: Double, rangeability r: Double) -> Double {
        relativeKv(h, logRangeability: log(r), rangeability: r)
    }

    @inline(__always) static func relativeKv(_ h: Double, logRangeability lr: Double, rangeability r: Double) -> Double {
        if h <= 0 { return 0 }
        if h >= 1 { return 1 }
        return max(0, exp((h - 1) * lr) - (1 - h) / r)
    }

    /// Moves toward `command` (0–1) at the actuator's speed.
    @inline(__always) public mutating func move(toward command: Double, dtS: Double) {
        if stuck { return }
        let target = min(1, max(0, command))
        let maxMove = dtS / strokeTimeS
        let d = target - position
        if d == 0 { return }   // at rest: the Kv stands
        position += abs(d) <= maxMove ? d : (d > 0 ? maxMove : -maxMove)
    }
}
