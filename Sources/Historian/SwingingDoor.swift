/// Swinging-door trending, the compression process historians apply to analog tags (E. H.
/// Bristol, "Swinging door trending: adaptive trend recording?", ISA National Conference 1990):
/// a point is archived only when no straight line from the last archived point passes within
/// `deviation` of every value offered since; the value kept back is then archived as it was
/// measured. Readers interpolate linearly between archived points. Bound: a line L from the
/// archived point passed within the deviation of every value up to the one archived, so the
/// segment read back differs from L by at most the deviation too: every offered value lies
/// within twice the deviation of the trend read back (a property test checks it), and every
/// archived value is a measured one (a closed valve is archived at 0 %, never below).
public struct SwingingDoor: Sendable {
    public let deviation: Double
    private var archived: (t: Int64, v: Double)?
    private var snapshot: (t: Int64, v: Double)?
    private var low = -Double.infinity, high = Double.infinity

    public init(deviation: Double) { self.deviation = deviation }

    /// Offers the value `v` at `t` (strictly after the previous one); returns the point to
    /// archive, if the door closed (or the first point).
    public mutating func offer(t: Int64, v: Double) -> (t: Int64, v: Double)? {
        guard let a = archived else { archived = (t, v); return (t, v) }
        let dt = Double(t - a.t)
        let l = max(low, (v - deviation - a.v) / dt), h = min(high, (v + deviation - a.v) / dt)
        guard let s = snapshot, l > h else {
            low = l; high = h
            snapshot = (t, v)
            return nil
        }
        // no line from the archived point passes within the deviation of every value: archive
        // the previous value as it was measured and start the door from it
        archived = s
        let d2 = Double(t - s.t)
        low = (v - deviation - s.v) / d2; high = (v + deviation - s.v) / d2
        snapshot = (t, v)
        return s
    }

    /// The value kept back, to archive when recording ends (nil when there is none).
    public mutating func flush() -> (t: Int64, v: Double)? {
        guard let s = snapshot else { return nil }
        archived = s; snapshot = nil
        low = -.infinity; high = .infinity
        return s
    }
}
