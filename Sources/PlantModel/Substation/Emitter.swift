import Foundation

/// Kind of heat emitter, with the exponent of its characteristic Q ∝ ΔT^n (EN 442 for radiators,
/// EN 1264 for floor heating).
public enum EmitterKind: String, Sendable {
    case radiators, floor
    public var exponent: Double { self == .radiators ? 1.3 : 1.1 }
}

/// The building's emitters seen as one exchanger between the secondary water and the room.
///
/// Q = ṁc·(T_s − T_a)·(1 − e^(−UA/ṁc)) with UA = UA₀·(ΔT_m/ΔT_m0)^(n−1): the EN 442
/// characteristic written per unit of mean temperature difference (logarithmic), so that the
/// nominal regime gives the nominal output exactly.
public struct Emitter: Sendable {
    public let kind: EmitterKind
    /// Nominal output, kW, at supply/return `nominalSupplyC`/`nominalReturnC` and room 20 °C.
    public let nominalKW: Double
    public let nominalSupplyC: Double, nominalReturnC: Double
    /// Nominal conductance UA₀, kW/K, and nominal log-mean difference, K.
    public let nominalUAKWPerK: Double
    public let nominalLMTDK: Double
    /// Nominal secondary flow, kg/s.
    public let nominalKgPerS: Double
    /// Log-mean difference of the last step, K (for the UA of the next).
    public private(set) var lastLMTDK: Double

    public init(kind: EmitterKind, nominalKW: Double, nominalSupplyC: Double, nominalReturnC: Double) {
        self.kind = kind; self.nominalKW = nominalKW
        self.nominalSupplyC = nominalSupplyC; self.nominalReturnC = nominalReturnC
        let lm = Self.lmtd(supplyC: nominalSupplyC, returnC: nominalReturnC, roomC: 20)
        nominalLMTDK = lm
        nominalUAKWPerK = nominalKW / lm
        nominalKgPerS = nominalKW / (Water.cpKJPerKgK * (nominalSupplyC - nominalReturnC))
        lastLMTDK = lm
    }

    public static func lmtd(supplyC: Double, returnC: Double, roomC: Double) -> Double {
        let a = supplyC - roomC, b = returnC - roomC
        if a <= 0.01 || b <= 0.01 { return max(0.01, (a + b) / 2) }
        if abs(a - b) < 1e-6 { return a }
        return (a - b) / log(a / b)
    }

    /// Effectiveness at flow `kgPerS` for the current UA.
    @inline(__always) public func effectiveness(kgPerS: Double) -> Double {
        guard kgPerS > 1e-9 else { return 0 }
        let ua = nominalUAKWPerK * pow(max(lastLMTDK, 0.5) / nominalLMTDK, kind.exponent - 1)
        return 1 - exp(-ua / (kgPerS * Water.cpKJPerKgK))
    }

    mutating func record(supplyC: Double, returnC: Double, roomC: Double) {
        lastLMTDK = Self.lmtd(supplyC: supplyC, returnC: returnC, roomC: roomC)
    }
}
