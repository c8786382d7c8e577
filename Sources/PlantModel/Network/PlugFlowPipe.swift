import Foundation

/// A buried pipe with plug flow: water parcels travel without mixing, each taking the transport
/// delay of its own journey, and cool toward the ground as they go.
///
/// A parcel that entered at temperature T₀ and has spent time τ in the pipe is at
/// T = T_g + (T₀ − T_g)·e^(−τ/τ_p), τ_p = ρ·c·A / U', the exact solution of
/// ρcA·∂T/∂t = −U'(T − T_g) along a streamline (the model of the Modelica Buildings
/// library's PlugFlowPipe, van der Heijde et al., Energy Conversion and Management 151, 2017).
/// Each parcel stores its excess over the ground temperature brought back to a reference time,
/// w = (T − T_g)·e^((t − t_ref)/τ_p), so that the heat stored in the whole pipe is one running
/// sum and the loss of every step is exact, whatever the number of parcels.
public struct PlugFlowPipe: Sendable {
    /// Length, m; inner diameter, m; heat-loss coefficient per metre of pipe, W/(m·K).
    public let lengthM: Double
    public let innerDiameterM: Double
    public let lossWPerMK: Double
    /// Ground temperature around the pipe, °C.
    public let groundC: Double
    /// Water volume, m³, and the cooling time constant τ_p, s.
    public let volumeM3: Double
    public let coolingTimeConstantS: Double
    /// Pressure drop coefficient: Δp = k·Q², kPa/(m³/h)².
    public let pressureCoefficient: Double

    /// Ring buffer of parcels (front = outlet), its capacity a power of two: each parcel's
    /// volume, m³ (x), beside its excess weight, K (y), so that the two share a cache line (a
    /// network of thousands of pipes touches every pipe's both ends every step).
    private var parcels: [SIMD2<Double>]
    private var head = 0, count = 0
    private var refTimeS: Double = 0
    private var sumV = 0.0, sumVW = 0.0   // Σ V, Σ V·w
    private let mergeVolumeM3: Double

    /// Temperature of the water leaving during the last step, °C.
    public private(set) var outletC: Double
    /// Heat lost to the ground during the last step, kW.
    public private(set) var lossKW: Double = 0

    public init(lengthM: Double, innerDiameterM: Double, lossWPerMK: Double, groundC: Double,
                initialC: Double, designFlowM3PerH: Double, designPressureDropPaPerM: Double = 150) {
        self.lengthM = lengthM; self.innerDiameterM = innerDiameterM; self.lossWPerMK = lossWPerMK; self.groundC = groundC
        let area = Double.pi * innerDiameterM * innerDiameterM / 4
        volumeM3 = area * lengthM
        coolingTimeConstantS = Water.densityKgPerM3 * Water.cpKJPerKgK * 1000 * area / lossWPerMK
        pressureCoefficient = designPressureDropPaPerM * lengthM / 1000 / (designFlowM3PerH * designFlowM3PerH)
        let n = 96
        mergeVolumeM3 = volumeM3 / Double(n / 2)
        // the ring's capacity a power of two (its index wraps with a mask, not a division)
        parcels = [SIMD2<Double>](repeating: .zero, count: 64)
        outletC = initialC
        // fill with parcels at the initial temperature
        let parcels = n / 2
        for _ in 0..<parcels { push(volumeM3 / Double(parcels), weight: initialC - groundC) }
    }

    private mutating func push(_ v: Double, weight w: Double) {
        if count == parcels.count { grow() }
        let i = (head + count) & (parcels.count - 1)
        parcels[i] = SIMD2(v, w)
        count += 1
        sumV += v; sumVW += v * w
    }

    private mutating func grow() {
        var np = [SIMD2<Double>](repeating: .zero, count: parcels.count * 2)
        for k in 0..<count { np[k] = parcels[(head + k) & (parcels.count - 1)] }
        parcels = np; head = 0
    }

    @inline(__always) private func decay(_ t: Double) -> Double { exp(-(t - refTimeS) / coolingTimeConstantS) }

    // decay at the end of the last step and the factor of one step: steps follow each other,
    // so one exp per step is enough
    private var cachedT = -1.0, cachedDecay = 1.0, cachedDt = -1.0, cachedStepFactor = 1.0, cachedHalfFactor = 1.0
    @inline(__always) private mutating func decayCached(_ t: Double) -> Double {
        if t != cachedT { cachedT = t; cachedDecay = decay(t) }
        return cachedDecay
    }

    /// Heat stored in the water relative to 0 °C at time `t`, kJ.
    public func storedKJ(at t: Double) -> Double {
        Water.densityKgPerM3 * Water.cpKJPerKgK * (groundC * sumV + sumVW * decay(t))
    }

    /// Mean temperature of the water in the pipe at time `t`, °C.
    public func meanTemperatureC(at t: Double) -> Double { groundC + sumVW / sumV * decay(t) }

    /// Moves water through the pipe over the step [t, t+dt]: `flowM3PerS` enters at `inletC`
    /// (at the start of the step) and the same volume leaves. Sets `outletC` and `lossKW`.
    public mutating func step(t: Double, dtS: Double, flowM3PerS: Double, inletC: Double) {
        let t1 = t + dtS
        // re-base the weights now and then so that e^((t−t_ref)/τ) stays well within range
        if t1 - refTimeS > 2 * coolingTimeConstantS { rebase(to: t) }
        let d0 = decayCached(t)
        if dtS != cachedDt {
            cachedDt = dtS; cachedHalfFactor = exp(-dtS / (2 * coolingTimeConstantS)); cachedStepFactor = cachedHalfFactor * cachedHalfFactor
        }
        let d1 = d0 * cachedStepFactor
        // Water enters and leaves evenly over the step: what came in is on average dt/2 old at
        // its end, and what left did so on average at mid-step. Taking both at the middle keeps
        // every parcel's residence its true V/Q; entering at the start and leaving at the end
        // would age each one a whole step more, a loss error of dt/(V/Q): +10 % at 10 s in a
        // 10 m branch pipe.
        let dMid = d0 * cachedHalfFactor
        let rc = Water.densityKgPerM3 * Water.cpKJPerKgK
        let before = rc * (groundC * sumV + sumVW * d0)
        let vIn = max(0, flowM3PerS) * dtS
        var energyOut = 0.0
        if vIn > 0 {
            let w = (inletC - groundC) / dMid
            if count == parcels.count { grow() }      // room for the parcel that may come in
            // the ring through its buffers: one uniqueness check a step, not one per write
            var head = self.head, count = self.count, sumV = self.sumV, sumVW = self.sumVW
            let mergeVolumeM3 = self.mergeVolumeM3
            var outVW = 0.0, need = vIn
            parcels.withUnsafeMutableBufferPointer { parcels in
                let mask = parcels.count - 1
                // merge into the last parcel while it is small, to bound the parcel count
                let lastIdx = (head + count - 1) & mask
                if count > 0 && parcels[lastIdx].x < mergeVolumeM3 {
                    let v0 = parcels[lastIdx].x, w0 = parcels[lastIdx].y
                    let v = v0 + vIn
                    let nw = (v0 * w0 + vIn * w) / v
                    sumVW += v * nw - v0 * w0; sumV += vIn
                    parcels[lastIdx] = SIMD2(v, nw)
                } else {
                    let i = (head + count) & mask
                    parcels[i] = SIMD2(vIn, w)
                    count += 1
                    sumV += vIn; sumVW += vIn * w
                }
                // take the same volume out at the front
                while need > 0 && count > 0 {
                    let v = parcels[head].x, w0 = parcels[head].y
                    if v <= need * (1 + 1e-12) || count == 1 && v <= need {
                        outVW += v * w0; need -= v
                        sumV -= v; sumVW -= v * w0
                        head = (head + 1) & mask; count -= 1
                    } else {
                        outVW += need * w0
                        parcels[head].x = v - need
                        sumV -= need; sumVW -= need * w0
                        need = 0
                    }
                }
            }
            self.head = head; self.count = count; self.sumV = sumV; self.sumVW = sumVW
            let outV = vIn - need
            outletC = groundC + outVW / outV * dMid
            energyOut = rc * (groundC * outV + outVW * dMid)
        } else if count > 0 {
            // standing water: the pipe's end holds its front parcel, cooling toward the ground
            // (a sensor there, or a bypass thermostat, feels it cool; held at the last outflow's
            // temperature, a standing branch read as hot for ever)
            outletC = groundC + parcels[head].y * d1
        }
        let energyIn = rc * vIn * inletC
        let after = rc * (groundC * sumV + sumVW * d1)
        cachedT = t1; cachedDecay = d1
        lossKW = (before + energyIn - energyOut - after) / dtS
        if count == 0 || sumV < volumeM3 * 0.999 { refill(at: t1) }
    }

    /// Keeps the pipe full after rounding (never expected to move more than 1e-9 of its volume).
    private mutating func refill(at t: Double) {
        let missing = volumeM3 - sumV
        if missing > 0 { push(missing, weight: (outletC - groundC) / decay(t)) }
    }

    private mutating func rebase(to t: Double) {
        let f = decay(t)
        var sv = 0.0, svw = 0.0
        for k in 0..<count {
            let i = (head + k) & (parcels.count - 1)
            parcels[i].y *= f
            sv += parcels[i].x; svw += parcels[i].x * parcels[i].y
        }
        sumV = sv; sumVW = svw
        refTimeS = t
        cachedT = -1
    }
}
