/// Swinging-door trending, the compression process historians apply to analog tags (E. H.
/// Bristol, "Swinging door trending: adaptive trend recording?", ISA National Conference 1990):
/// a point is archived only when no straight line from the last archived point passes within
/// `deviation` of every value offered since; the point archived then lies on such a line (so
/// it may differ from the value measured at that moment by up to the deviation). Readers
/// interpolate linearly between archived points, and every offered value lies within
/// `deviation` of the trend read back (a property test checks it).
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
        guard snapshot != nil, l > h else {
            low = l; high = h
            snapshot = (t, v)
            return nil
        }
        // no line from the archived point passes within the deviation of every value: archive
        // the previous moment on the line that did (the slope nearest its own value), start anew
        let p = closing()
        archived = p
        let d2 = Double(t - p.t)
        low = (v - deviation - p.v) / d2; high = (v + deviation - p.v) / d2
        snapshot = (t, v)
        return p
    }

    /// The point to archive for the snapshot: on a line from the archived point within the
    /// deviation of every value since (so within the deviation of the snapshot's own value).
    private func closing() -> (t: Int64, v: Double) {
        let a = archived!, s = snapshot!
        let dt = Double(s.t - a.t)
        let slope = min(high, max(low, (s.v - a.v) / dt))
        return (s.t, a.v + slope * dt)
    }

    /// The point kept back, to archive when recording ends (nil when there is none).
    public mutating func flush() -> (t: Int64, v: Double)? {
        guard snapshot != nil else { return nil }
        let p = closing()
        archived = p; snapshot = nil
        low = -.infinity; high = .infinity
        return p
    }
}
