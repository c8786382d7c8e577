import Foundation

/// Kind of heat emitter, with the exponent of its characteristic Q ∝ ΔT^n (EN 442 for radiators,
/// EN 1264 for floor heating).
public enum EmitterKind: String, Sendable {
    case radiators, floor
    public var exponent: Double { self == .radiators ? 1.3 : 1.1 }

    /// Heat capacity of the circuit (its water, the emitters' metal, for floor heating the screed
    /// that holds the pipes) per kW of nominal output, kJ/(K·kW).
    ///
    /// Radiators: 8 L of water per kW (panel radiators 5–7 L/kW at 70/50 °C plus the distribution
    /// pipes; system water contents of 8–14 L/kW are the usual planning figures, Recknagel,
    /// *Taschenbuch für Heizung + Klimatechnik*, "Wasserinhalt") and 15 kg of steel per kW
    /// (0.46 kJ/(kg·K)): ≈ 40 kJ/(K·kW), a time constant of 20–40 min against the room.
    /// Floor heating (EN 1264 type A, wet screed): 45 mm of screed over the pipes at
    /// 2,000 kg/m³ and 1.0 kJ/(kg·K) = 90 kJ/(m²·K), on 20 m² per kW (50 W/m² at 40/30 °C), plus
    /// 15 L of water per kW: ≈ 1,860 kJ/(K·kW), a time constant of 6–8 h, as floor heating has.
    public var capacityKJPerKPerKW: Double {
        switch self {
        case .radiators: 8 * 4.19 + 15 * 0.46
        case .floor: 20 * 90 + 15 * 4.19
        }
    }
}

/// A heating circuit behind the substation's exchanger: the secondary water, the emitters and
/// their mass, the room thermostats and the circuit's bypass.
///
/// The emitters are a plug of water and metal cut into `segments` well-mixed cells in series
/// (the discretisation of Modelica Buildings' `RadiatorEN442_2`), each giving the room
/// Q = K·(T − T_room)^n, the EN 442 characteristic; K is set so that the nominal regime gives the
/// nominal output exactly. Each cell is integrated implicitly (backward Euler, the flow upwind),
/// which is stable at any step and conserves energy exactly:
/// stored change = heat from the exchanger − heat to the room.
///
/// Thermostatic radiator valves (or the zone valves of a floor circuit) throttle the flow through
/// the emitters with the room temperature: proportional, 2 K from their closing point to their
/// nominal opening (EN 215's rating at a 2 K proportional band). They never shut the circuit: a
/// differential bypass at the end of the distribution (or the emitters without a valve:
/// bathrooms, halls) keeps at least `minimumCirculation` of the nominal flow moving through the
/// exchanger and the distribution pipes, as circuits with thermostatic valves are built.
public struct HeatingCircuit: Sendable {
    public static let segments = 3
    public let kind: EmitterKind
    /// Nominal output, kW, at supply/return `nominalSupplyC`/`nominalReturnC` and room 20 °C.
    public let nominalKW: Double
    public let nominalSupplyC: Double, nominalReturnC: Double
    /// Nominal circulation, kg/s.
    public let nominalKgPerS: Double
    /// Coefficient of each cell's characteristic Q = c·ΔT^n, kW/K^n; heat capacity of each cell, kJ/K.
    public let cellCoefficientKWPerKn: Double
    public let cellCapacityKJPerK: Double
    /// Share of the nominal flow the bypass keeps circulating, and the thermostats' proportional band, K.
    public var minimumCirculation = 0.15
    public var thermostatBandK = 2.0
    /// The thermostats' setting (the room temperature at which they close), °C.
    public var thermostatCloseC: Double
    /// Cell temperatures, supply end first, °C (the first `segments` lanes; the cells live in
    /// the substation's own memory, not behind a pointer).
    public private(set) var cellsC: SIMD4<Double>
    /// Each cell's conductance to the room for the coming step, kW/K: the characteristic taken at
    /// the cell's last temperature, set by `returnRelation` and used by `advance`.
    private var cellUAKWPerK: SIMD4<Double>
    /// The |ΔT| each cell's conductance was last taken at: the same input gives the same
    /// conductance without its `pow` (a circuit at rest, cells at the room's temperature).
    private var cellUAInputK: SIMD4<Double>
    /// Last step: opening of the thermostats 0–1, flow through the emitters and through the
    /// exchanger (kg/s), heat to the room (kW), water back to the exchanger (°C).
    public private(set) var thermostatOpening = 1.0
    public private(set) var emitterKgPerS = 0.0
    public private(set) var circulationKgPerS = 0.0
    public private(set) var toRoomKW = 0.0
    public private(set) var returnC: Double

    public init(kind: EmitterKind, nominalKW: Double, nominalSupplyC: Double, nominalReturnC: Double,
                thermostatCloseC: Double, initialC: Double) {
        self.kind = kind; self.nominalKW = nominalKW
        self.nominalSupplyC = nominalSupplyC; self.nominalReturnC = nominalReturnC
        self.thermostatCloseC = thermostatCloseC
        let m = nominalKW / (Water.cpKJPerKgK * (nominalSupplyC - nominalReturnC))
        nominalKgPerS = m
        cellCoefficientKWPerKn = Self.fitCoefficient(kind: kind, kgPerS: m, supplyC: nominalSupplyC, returnC: nominalReturnC)
        cellCapacityKJPerK = kind.capacityKJPerKPerKW * nominalKW / Double(Self.segments)
        cellsC = SIMD4(repeating: initialC)
        cellUAKWPerK = SIMD4(repeating: 0)
        cellUAInputK = SIMD4(repeating: .nan)
        returnC = initialC
    }

    /// The K that makes `segments` cells in series, fed at `supplyC` with `kgPerS`, return at
    /// `returnC` in a 20 °C room (bisection on K; each cell's balance solved by bisection).
    static func fitCoefficient(kind: EmitterKind, kgPerS m: Double, supplyC: Double, returnC: Double) -> Double {
        let n = kind.exponent, c = m * Water.cpKJPerKgK
        func outlet(_ k: Double) -> Double {
            var t = supplyC
            for _ in 0..<segments {
                // c·(t − x) = k·(x − 20)^n for x in (20, t)
                var lo = 20.0, hi = t
                for _ in 0..<60 {
                    let x = (lo + hi) / 2
                    if c * (t - x) > k * pow(x - 20, n) { lo = x } else { hi = x }
                }
                t = (lo + hi) / 2
            }
            return t
        }
        var lo = 1e-9, hi = 10 * c
        for _ in 0..<80 {
            let k = (lo * hi).squareRoot()
            if outlet(k) > returnC { lo = k } else { hi = k }
        }
        return (lo * hi).squareRoot()
    }

    /// Heat stored in the circuit relative to 0 °C, kJ.
    public var storedKJ: Double { cellCapacityKJPerK * cellSum }
    /// Mean temperature of the emitters, °C.
    public var meanC: Double { cellSum / Double(Self.segments) }
    private var cellSum: Double {
        var sum = 0.0
        for i in 0..<Self.segments { sum += cellsC[i] }
        return sum
    }

    /// Thermostat opening at a room temperature (proportional, never below closed).
    @inline(__always) public func opening(roomC: Double) -> Double {
        min(1, max(0, (thermostatCloseC - roomC) / thermostatBandK))
    }

    /// The linear relation between the supply `T_s` the exchanger gives and the water that comes
    /// back to it: T_back = α + β·T_s, for the coming step (cells implicit, conductances taken
    /// at the last step's temperatures). Also returns the flows. The whole circulation passes
    /// the first cell (the distribution pipes and the first emitters: the differential bypass
    /// sits at the far end of the distribution, as practice places it); the thermostats' share
    /// goes on through the others, the bypass share comes back from the first.
    @inline(__always) mutating func returnRelation(dtS: Double, pumpOn: Bool, roomC ta: Double)
        -> (alpha: Double, beta: Double, emitterKgPerS: Double, totalKgPerS: Double) {
        for i in 0..<Self.segments {
            let x = max(abs(cellsC[i] - ta), 0.5)
            if x != cellUAInputK[i] { cellUAInputK[i] = x; cellUAKWPerK[i] = cellCoefficientKWPerKn * pow(x, kind.exponent - 1) }
        }
        guard pumpOn else { return (0, 1, 0, 0) }
        let f = opening(roomC: ta)
        let me = nominalKgPerS * f
        let total = max(me, nominalKgPerS * minimumCirculation)
        let mb = total - me
        let cdt = cellCapacityKJPerK / dtS
        var p = 0.0, q = 1.0, p0 = 0.0, q0 = 1.0
        for i in 0..<Self.segments {
            let mc = (i == 0 ? total : me) * Water.cpKJPerKgK
            let ua = cellUAKWPerK[i]
            let d = cdt + mc + ua
            p = (cdt * cellsC[i] + mc * p + ua * ta) / d
            q = mc * q / d
            if i == 0 { p0 = p; q0 = q }
        }
        return ((me * p + mb * p0) / total, (me * q + mb * q0) / total, me, total)
    }

    /// Advances the cells with the supply `supplyC` the exchanger gave (ignored without flow),
    /// on the conductances `returnRelation` took for this step.
    mutating func advance(dtS: Double, supplyC ts: Double, emitterKgPerS me: Double, totalKgPerS total: Double, roomC ta: Double) {
        let cdt = cellCapacityKJPerK / dtS
        var upstream = ts, q = 0.0
        for i in 0..<Self.segments {
            let mc = (i == 0 ? total : me) * Water.cpKJPerKgK
            let ua = cellUAKWPerK[i]
            let t = (cdt * cellsC[i] + mc * upstream + ua * ta) / (cdt + mc + ua)
            q += ua * (t - ta)
            cellsC[i] = t
            upstream = t
        }
        toRoomKW = q
        emitterKgPerS = me; circulationKgPerS = total
        thermostatOpening = total > 0 ? opening(roomC: ta) : thermostatOpening
        returnC = total > 0 ? (me * upstream + (total - me) * cellsC[0]) / total : cellsC[Self.segments - 1]
    }
}
