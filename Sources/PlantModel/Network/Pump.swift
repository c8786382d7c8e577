/// A variable-speed circulation pump: head H = H₀·n² − c·Q² (affinity laws on a parabolic
/// curve), electric power = Q·H / η.
public struct VariableSpeedPump: Sendable {
    /// Shut-off head at full speed, kPa; curve coefficient, kPa/(m³/h)²; overall efficiency.
    public let shutOffHeadKPa: Double
    public let curveCoefficient: Double
    public let efficiency: Double
    /// Lowest speed the drive runs at, share of full speed.
    public let minSpeed: Double

    /// A pump whose full-speed curve passes through the design point with a shut-off head
    /// 25 % above the design head.
    public init(designFlowM3PerH: Double, designHeadKPa: Double, efficiency: Double = 0.45, minSpeed: Double = 0.3) {
        shutOffHeadKPa = designHeadKPa * 1.25
        curveCoefficient = (shutOffHeadKPa - designHeadKPa) / (designFlowM3PerH * designFlowM3PerH)
        self.efficiency = efficiency
        self.minSpeed = minSpeed
    }

    @inline(__always) public func headKPa(flowM3PerH q: Double, speed n: Double) -> Double {
        max(0, shutOffHeadKPa * n * n - curveCoefficient * q * q)
    }
    @inline(__always) public func electricKW(flowM3PerH q: Double, headKPa h: Double) -> Double {
        q / 3600 * h / efficiency
    }
}
