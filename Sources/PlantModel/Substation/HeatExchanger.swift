import Foundation

/// Counterflow plate heat exchanger by the ε-NTU method (Incropera, Fundamentals of Heat and
/// Mass Transfer, table 11.3): ε = (1 − e^(−NTU(1−Cr))) / (1 − Cr·e^(−NTU(1−Cr))), and
/// ε = NTU/(1+NTU) when Cr = 1.
///
/// The conductance varies with the flows: each side's film coefficient scales with its flow to
/// the power 0.8 (Dittus–Boelter), the plate's own resistance is neglected, and the two sides
/// share the nominal resistance equally: 1/UA = ½/(UA₀·r_p^0.8) + ½/(UA₀·r_s^0.8).
public struct PlateHeatExchanger: Sendable {
    /// Conductance at the nominal flows, kW/K.
    public let nominalUAKWPerK: Double
    /// Nominal primary and secondary mass flows, kg/s.
    public let nominalPrimaryKgPerS: Double
    public let nominalSecondaryKgPerS: Double

    public init(nominalUAKWPerK: Double, nominalPrimaryKgPerS: Double, nominalSecondaryKgPerS: Double) {
        self.nominalUAKWPerK = nominalUAKWPerK
        self.nominalPrimaryKgPerS = nominalPrimaryKgPerS
        self.nominalSecondaryKgPerS = nominalSecondaryKgPerS
    }

    /// Sizes an exchanger for a duty: heat `powerKW` from primary `primaryInC`→`primaryOutC`
    /// to secondary `secondaryInC`→`secondaryOutC` (LMTD method gives UA).
    public static func sized(powerKW: Double, primaryInC: Double, primaryOutC: Double,
                             secondaryInC: Double, secondaryOutC: Double) -> PlateHeatExchanger {
        let d1 = primaryInC - secondaryOutC, d2 = primaryOutC - secondaryInC
        let lmtd = abs(d1 - d2) < 1e-9 ? d1 : (d1 - d2) / log(d1 / d2)
        return PlateHeatExchanger(nominalUAKWPerK: powerKW / lmtd,
                                  nominalPrimaryKgPerS: powerKW / (Water.cpKJPerKgK * (primaryInC - primaryOutC)),
                                  nominalSecondaryKgPerS: powerKW / (Water.cpKJPerKgK * (secondaryOutC - secondaryInC)))
    }

    /// Conductance at the given flows, kW/K.
    @inline(__always) public func conductanceKWPerK(primaryKgPerS: Double, secondaryKgPerS: Double) -> Double {
        let rp = max(primaryKgPerS / nominalPrimaryKgPerS, 1e-6)
        let rs = max(secondaryKgPerS / nominalSecondaryKgPerS, 1e-6)
        return nominalUAKWPerK / (0.5 * pow(rp, -0.8) + 0.5 * pow(rs, -0.8))
    }

    /// Counterflow effectiveness for `ntu` and capacity ratio `cr` (0 ≤ cr ≤ 1).
    @inline(__always) public static func counterflowEffectiveness(ntu: Double, cr: Double) -> Double {
        if abs(1 - cr) < 1e-9 { return ntu / (1 + ntu) }
        let e = exp(-ntu * (1 - cr))
        return (1 - e) / (1 - cr * e)
    }

    /// The last flow ratios and their powers r^−0.8: one side's flow often stands from step to
    /// step (the secondary pump at a fixed flow, a valve at rest), and the same ratio gives the
    /// same power without its `pow`.
    public struct FlowPowers: Sendable {
        var primaryRatio = Double.nan, primaryPower = 0.0, secondaryRatio = Double.nan, secondaryPower = 0.0
        public init() {}
    }

    /// `conductanceKWPerK` through the powers last taken (the same result, bit for bit).
    @inline(__always) public func conductanceKWPerK(primaryKgPerS: Double, secondaryKgPerS: Double, powers m: inout FlowPowers) -> Double {
        let rp = max(primaryKgPerS / nominalPrimaryKgPerS, 1e-6)
        let rs = max(secondaryKgPerS / nominalSecondaryKgPerS, 1e-6)
        if rp != m.primaryRatio { m.primaryRatio = rp; m.primaryPower = pow(rp, -0.8) }
        if rs != m.secondaryRatio { m.secondaryRatio = rs; m.secondaryPower = pow(rs, -0.8) }
        return nominalUAKWPerK / (0.5 * m.primaryPower + 0.5 * m.secondaryPower)
    }

    /// `effectiveness` through the powers last taken (the same result, bit for bit).
    @inline(__always) public func effectiveness(primaryKgPerS: Double, secondaryKgPerS: Double, powers: inout FlowPowers) -> (epsilon: Double, cPrimary: Double, cSecondary: Double) {
        let cp = primaryKgPerS * Water.cpKJPerKgK, cs = secondaryKgPerS * Water.cpKJPerKgK
        guard cp > 1e-9, cs > 1e-9 else { return (0, cp, cs) }
        let cmin = min(cp, cs), cmax = max(cp, cs)
        let ua = conductanceKWPerK(primaryKgPerS: primaryKgPerS, secondaryKgPerS: secondaryKgPerS, powers: &powers)
        return (Self.counterflowEffectiveness(ntu: ua / cmin, cr: cmin / cmax), cp, cs)
    }

    /// Effectiveness and capacity rates (kW/K) at the given flows.
    @inline(__always) public func effectiveness(primaryKgPerS: Double, secondaryKgPerS: Double) -> (epsilon: Double, cPrimary: Double, cSecondary: Double) {
        let cp = primaryKgPerS * Water.cpKJPerKgK, cs = secondaryKgPerS * Water.cpKJPerKgK
        guard cp > 1e-9, cs > 1e-9 else { return (0, cp, cs) }
        let cmin = min(cp, cs), cmax = max(cp, cs)
        let ua = conductanceKWPerK(primaryKgPerS: primaryKgPerS, secondaryKgPerS: secondaryKgPerS)
        return (Self.counterflowEffectiveness(ntu: ua / cmin, cr: cmin / cmax), cp, cs)
    }
}
