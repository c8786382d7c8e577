/// Swinging-door trending, the compression process historians apply to analog tags (E. H.
/// Bristol, "Swinging door trending: adaptive trend recording?", ISA National Conference 1990):
/// a point is archived only when no straight line from the last archived point passes within
/// `deviation` of every value offered since; readers interpolate linearly between archived
/// points, so every offered value lies within `deviation` of the trend read back.
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
        guard let s = snapshot else {
            let dt = Double(t - a.t)
            low = (v - deviation - a.v) / dt; high = (v + deviation - a.v) / dt
            snapshot = (t, v)
            return nil
        }
        let dt = Double(t - a.t)
        let l = max(low, (v - deviation - a.v) / dt), h = min(high, (v + deviation - a.v) / dt)
        if l > h {
            // no line through every point: archive the last one kept back and start from it
            archived = s
            let d2 = Double(t - s.t)
            low = (v - deviation - s.v) / d2; high = (v + deviation - s.v) / d2
            snapshot = (t, v)
            return s
        }
        low = l; high = h
        snapshot = (t, v)
        return nil
    }

    /// The point kept back, to archive when recording ends (nil when there is none).
    public mutating func flush() -> (t: Int64, v: Double)? {
        guard let s = snapshot else { return nil }
        archived = s; snapshot = nil
        low = -.infinity; high = .infinity
        return s
    }
}
