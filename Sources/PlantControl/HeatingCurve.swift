import Foundation

/// A heating curve (outdoor-temperature compensation law): the secondary supply temperature a
/// controller aims for at a given outdoor temperature.
public enum HeatingCurve: Sendable, Equatable {
    /// Slope and parallel displacement, pivoting at 20 °C outdoor / 20 °C flow for a room
    /// setpoint of 20 °C (Siemens RVD/RVP, Danfoss ECL "slope"):
    /// T_flow = T_room + d + s·(T_room − T_out). Slope s (−), displacement d (K).
    case slope(slope: Double, displacementK: Double)
    /// Six points at −30, −15, −5, 0, 5 and 15 °C outdoor, linear between them and flat
    /// outside (Danfoss ECL Comfort style). Flow temperatures for a room setpoint of 20 °C.
    case sixPoint(flowC: [Double])

    public static let sixPointOutdoorC: [Double] = [-30, -15, -5, 0, 5, 15]

    /// Flow temperature before limits for `outdoorC` and room setpoint `roomC`, °C.
    public func flowC(outdoorC: Double, roomC: Double) -> Double {
        switch self {
        case let .slope(s, d):
            return roomC + d + s * (roomC - outdoorC)
        case let .sixPoint(flow):
            let xs = Self.sixPointOutdoorC
            let base: Double, localSlope: Double
            if outdoorC <= xs[0] { base = flow[0]; localSlope = (flow[0] - flow[1]) / (xs[1] - xs[0]) }
            else if outdoorC >= xs[5] { base = flow[5]; localSlope = (flow[4] - flow[5]) / (xs[5] - xs[4]) }
            else {
                var k = 0
                while outdoorC > xs[k + 1] { k += 1 }
                let f = (outdoorC - xs[k]) / (xs[k + 1] - xs[k])
                base = flow[k] + (flow[k + 1] - flow[k]) * f
                localSlope = (flow[k] - flow[k + 1]) / (xs[k + 1] - xs[k])
            }
            // a room setpoint other than 20 °C moves the curve in parallel by (1 + slope) per K
            return base + (roomC - 20) * (1 + localSlope)
        }
    }

    /// Checks the curve's own parameters; nil when valid, else the reason.
    public var problem: String? {
        switch self {
        case let .slope(s, d):
            if !(0.2...4.0).contains(s) { return "slope \(s) is outside 0.2–4.0" }
            if !(-20.0...20.0).contains(d) { return "displacement \(d) K is outside −20…20 K" }
            return nil
        case let .sixPoint(f):
            if f.count != 6 { return "a 6-point curve needs 6 flow temperatures, found \(f.count)" }
            for i in 1..<6 where f[i] > f[i - 1] { return "flow temperatures must not rise with outdoor temperature (point \(i + 1))" }
            if f.contains(where: { !(10.0...110.0).contains($0) }) { return "flow temperatures must lie within 10–110 °C" }
            return nil
        }
    }
}

/// Operating mode of a heating circuit, as on the controller's front panel.
public enum CircuitMode: Int, Sendable, CaseIterable {
    case auto = 0, comfort = 1, reduced = 2, off = 3
}

/// The settings of a heating circuit that an operator can change.
public struct HeatingCircuitSettings: Sendable, Equatable {
    /// The curve in use.
    public var curve: HeatingCurve
    /// The parameters of the other form, kept while it is not in use, as a controller offering
    /// both forms keeps both parameter sets: the form only selects which one drives the flow, so
    /// switching back and forth loses nothing, and the form not in use can be set in advance (its
    /// parameters are written, checked and stored, and take effect when the form is selected).
    /// Nil until first written: then derived from the curve in use (`slopeForm`, `sixPointForm`).
    public var keptCurve: HeatingCurve? = nil
    /// Room setpoints, °C: comfort, reduced (setback), frost protection.
    public var comfortRoomC: Double
    public var reducedRoomC: Double
    public var frostRoomC: Double = 8
    /// Room setpoint shift set by the user, K.
    public var roomShiftK: Double = 0
    /// Flow temperature limits, °C.
    public var minFlowC: Double
    public var maxFlowC: Double
    /// Summer cut-off: heating stops when the attenuated outdoor temperature exceeds this, °C,
    /// and starts again when it falls `summerHysteresisK` under it. The attenuation is a first
    /// order of `summerFilterH` hours: the building's own time constant, so that a cool night or
    /// a grey day in June does not bring the heating back (Siemens RVD/RVP "summer/winter heating
    /// limit" on the attenuated outside temperature; Danfoss ECL "cut-out" on a filtered outdoor).
    public var summerCutOffC: Double = 16
    public var summerHysteresisK: Double = 2
    public var summerFilterH: Double = 36
    /// Room-temperature influence on the desired flow temperature (Danfoss ECL "Infl. max/min",
    /// Siemens "room influence"): the room setpoint the curve is read at moves by this many K per
    /// K the room stands above (`roomInfluenceAbove`) or below (`roomInfluenceBelow`) its setpoint.
    public var roomInfluenceAbove: Double = 2
    public var roomInfluenceBelow: Double = 1
    /// Neutral zone of the flow-temperature loop, K (ECL "Nz"): within ±Nz/2 of the desired flow
    /// the motorised valve is left alone.
    public var neutralZoneK: Double = 2
    /// Optimum start: the comfort period's heat-up starts early by the time the learned heat-up
    /// rate needs, up to `maxEarlyStartH`; while heating up the curve is read `boostK` above the
    /// comfort setpoint (quick heat-up / boost).
    public var optimumStart = true
    public var maxEarlyStartH: Double = 6
    public var boostK: Double = 5
    /// Safety thermostat on the circuit's supply (floor heating, EN 1264-4): above this the
    /// circuit pump stops and the valve closes until the supply is back under the limit; nil: none.
    public var safetyThermostatC: Double? = nil
    /// Pump economy (Viessmann "extended economy", ECL pump stop on no heat demand): the circuit
    /// pump stops once the room has stood `economyAboveK` over its setpoint with the valve shut for
    /// `economyDelayS`, and restarts when the room falls back to its setpoint + half that.
    public var economyAboveK: Double = 1
    public var economyDelayS: Double = 720
    /// Quick setback with a room sensor (Siemens RVD/RVP "quick setback"): at the change to the
    /// reduced setpoint, if the room stands more than `quickSetbackK` over it, the circuit pump
    /// stops until the room has fallen to it; then the curve and the room influence hold it.
    /// Without it a heavy building behind generously sized emitters keeps its comfort
    /// temperature through the whole setback on the curve alone. Below the frost protection's
    /// outdoor limit the pump keeps running on the frost flow setpoint (`frostFlowC`, 10 °C, as
    /// the plant frost protection of the same controllers), so the valve stays shut. Off for
    /// floor circuits: their screed gives for hours whatever the pump does. A controller option,
    /// off unless the scenario sets it (`quickSetback: true`): each stop and restart is one more
    /// swing of the return on the trends.
    public var quickSetback = false
    public var quickSetbackK: Double = 0.5
    public var frostFlowC: Double = 10
    /// Frost protection of the plant: the pump runs when outdoor falls below this, °C.
    public var frostOutdoorC: Double = 2
    /// Primary return temperature limit at −15 °C and at +15 °C outdoor, °C (linear between).
    public var returnLimitColdC: Double = 60
    public var returnLimitWarmC: Double = 45
    public var mode: CircuitMode = .auto

    public init(curve: HeatingCurve, comfortRoomC: Double, reducedRoomC: Double, minFlowC: Double, maxFlowC: Double) {
        self.curve = curve; self.comfortRoomC = comfortRoomC; self.reducedRoomC = reducedRoomC
        self.minFlowC = minFlowC; self.maxFlowC = maxFlowC
    }

    /// Flow setpoint for an outdoor temperature and room setpoint, limits applied, °C.
    public func flowSetpointC(outdoorC: Double, roomSetpointC: Double) -> Double {
        min(maxFlowC, max(minFlowC, curve.flowC(outdoorC: outdoorC, roomC: roomSetpointC + roomShiftK)))
    }

    /// Primary return limit at an outdoor temperature, °C.
    public func returnLimitC(outdoorC: Double) -> Double {
        let f = min(1, max(0, (outdoorC + 15) / 30))
        return returnLimitColdC + (returnLimitWarmC - returnLimitColdC) * f
    }

    /// 0 when the slope form is in use, 1 for the six points.
    public var curveForm: Int { if case .slope = curve { 0 } else { 1 } }

    /// The slope form's parameters, in use or kept. Never set, they start (as a controller's
    /// factory values would) from the slope through the six-point curve's −15 °C point with no
    /// displacement, kept within the form's own range (0.2–4) so that the set is valid and can
    /// be edited point by point.
    public var slopeForm: (slope: Double, displacementK: Double) {
        switch (curve, keptCurve) {
        case let (.slope(s, d), _), let (_, .slope(s, d)?): return (s, d)
        case let (.sixPoint(f), _): return (min(4, max(0.2, (f[1] - 20) / 35)), 0)
        }
    }

    /// The six-point form's flow temperatures, in use or kept. Never set, they start from the
    /// slope curve's values at the six outdoor temperatures, kept within 10–110 °C (a steep
    /// slope would put the −30 °C point above 110 °C, and the set could not be edited).
    public var sixPointForm: [Double] {
        switch (curve, keptCurve) {
        case let (.sixPoint(f), _), let (_, .sixPoint(f)?): return f
        case let (.slope(s, d), _): return HeatingCurve.sixPointOutdoorC.map { min(110, max(10, 20 + d + s * (20 - $0))) }
        }
    }

    /// Sets the slope form's parameters, whether in use or kept.
    public mutating func setSlopeForm(slope: Double, displacementK: Double) {
        let c = HeatingCurve.slope(slope: slope, displacementK: displacementK)
        if case .slope = curve { curve = c } else { keptCurve = c }
    }

    /// Sets the six-point form's flow temperatures, whether in use or kept.
    public mutating func setSixPointForm(_ flowC: [Double]) {
        let c = HeatingCurve.sixPoint(flowC: flowC)
        if case .sixPoint = curve { curve = c } else { keptCurve = c }
    }

    /// Selects the form (0 slope, 1 six points); the other one's parameters are kept.
    public mutating func selectCurveForm(_ form: Int) {
        guard form != curveForm else { return }
        let s = slopeForm, f = sixPointForm
        let slope = HeatingCurve.slope(slope: s.slope, displacementK: s.displacementK), six = HeatingCurve.sixPoint(flowC: f)
        (curve, keptCurve) = form == 0 ? (slope, six) : (six, slope)
    }
}
