import Foundation

/// Properties of liquid water between 0 and 150 °C, the one place where conversions live.
///
/// The hydraulic model transports heat with the constant `cpKJPerKgK` and `densityKgPerM3`
/// (so that the energy bookkeeping of the plant closes exactly); the heat meters use the
/// temperature-dependent density and enthalpy below, as EN 1434 prescribes.
public enum Water {
    /// Specific heat capacity used by the transport model, kJ/(kg·K) (water at about 60 °C).
    public static let cpKJPerKgK = 4.185
    /// Density used by the transport model, kg/m³ (water at about 60 °C).
    public static let densityKgPerM3 = 983.2

    /// Density of liquid water at `temperatureC` (0–150 °C), kg/m³.
    ///
    /// Kell's 1975 polynomial (J. Chem. Eng. Data 20, 97), within 0.01 % of IAPWS-95 at 1 atm
    /// from 0 to 150 °C; the pressure of a heat network (≤ 16 bar) changes it by under 0.1 %.
    public static func densityKgPerM3(atC t: Double) -> Double {
        let num = 999.83952 + 16.945176 * t - 7.9870401e-3 * t * t - 46.170461e-6 * t * t * t
            + 105.56302e-9 * t * t * t * t - 280.54253e-12 * t * t * t * t * t
        return num / (1 + 16.879850e-3 * t)
    }

    /// Specific enthalpy of liquid water at `temperatureC` relative to 0 °C, kJ/kg.
    ///
    /// Least-squares quartic through the IAPWS-IF97 steam-table values of liquid water from 0 to
    /// 140 °C (at 0.1 MPa, at saturation above 100 °C): within 0.02 kJ/kg over that range.
    public static func enthalpyKJPerKg(atC t: Double) -> Double {
        t * (4.19861593 + t * (-4.24574926e-4 + t * (3.37998796e-6 + t * 9.62554096e-10)))
    }

    /// Heat coefficient k of EN 1434-1 (the "k-factor"), kWh/(m³·K): the heat carried per m³
    /// of water measured at `volumeAtC`, per kelvin between `supplyC` and `returnC`.
    public static func heatCoefficientKWhPerM3K(supplyC: Double, returnC: Double, volumeAtC: Double) -> Double {
        let dT = supplyC - returnC
        let rho = densityKgPerM3(atC: volumeAtC)
        if abs(dT) < 1e-6 {
            // Limit of Δh/Δθ: the heat capacity at that temperature.
            let h1 = enthalpyKJPerKg(atC: supplyC + 0.005), h0 = enthalpyKJPerKg(atC: supplyC - 0.005)
            return rho * (h1 - h0) / 0.01 / 3600
        }
        return rho * (enthalpyKJPerKg(atC: supplyC) - enthalpyKJPerKg(atC: returnC)) / dT / 3600
    }

    /// Mass flow in kg/s of a volume flow in m³/h at the transport density.
    @inline(__always) public static func massFlowKgPerS(flowM3PerH: Double) -> Double {
        flowM3PerH * densityKgPerM3 / 3600
    }

    /// Volume flow in m³/h of a mass flow in kg/s at the transport density.
    @inline(__always) public static func flowM3PerH(massFlowKgPerS: Double) -> Double {
        massFlowKgPerS * 3600 / densityKgPerM3
    }
}
