/// A PI controller in velocity-free positional form with conditional-integration anti-windup
/// and bumpless transfer, stepped with an explicit `dt` (no clock inside).
///
/// u = Kp·e + I, I += Kp·dt/Ti·e; the integral is frozen when the output is saturated and the
/// error would drive it further (Åström & Hägglund, Advanced PID Control, §3.5).
public struct PIController: Sendable {
    /// Proportional gain (output per unit of error), integral time, s.
    public var gain: Double
    public var integralTimeS: Double
    public var outputMin: Double, outputMax: Double
    public private(set) var integral: Double = 0
    public private(set) var output: Double = 0

    public init(gain: Double, integralTimeS: Double, outputMin: Double = 0, outputMax: Double = 1) {
        self.gain = gain; self.integralTimeS = integralTimeS; self.outputMin = outputMin; self.outputMax = outputMax
    }

    /// One scan: error = setpoint − measurement; returns the new output.
    @inline(__always) public mutating func update(setpoint: Double, measurement: Double, dtS: Double) -> Double {
        let e = setpoint - measurement
        let p = gain * e
        let raw = p + integral
        let saturatedHigh = raw >= outputMax && e > 0
        let saturatedLow = raw <= outputMin && e < 0
        if !saturatedHigh && !saturatedLow {
            integral += gain * dtS / integralTimeS * e
            integral = min(outputMax - min(0, p), max(outputMin - max(0, p), integral))
        }
        output = min(outputMax, max(outputMin, p + integral))
        return output
    }

    /// Bumpless transfer: sets the integral so the next output continues from `value`.
    public mutating func track(_ value: Double) {
        integral = min(outputMax, max(outputMin, value))
        output = integral
    }
}
