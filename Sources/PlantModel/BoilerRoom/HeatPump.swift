import Foundation

/// Where a heat pump's evaporator takes its heat: an aquifer doublet (production and
/// reinjection wells) or a sewer's wastewater, through the source pumps.
public struct HeatSource: Sendable, Equatable {
    public enum Kind: String, Sendable, CaseIterable { case aquifer, wastewater }
    public let kind: Kind
    /// Source water through the evaporator at design, kg/s (aquifer: doublets × flow per
    /// doublet; wastewater: the share of the sewer flow taken).
    public let designKgPerS: Double
    /// Largest cooling of the source water, K: an aquifer's reinjection permit (e.g. 6.5 K), or
    /// what the treatment works downstream of a sewer accept.
    public let maxCoolingK: Double
    /// Source temperature: annual mean and seasonal amplitude, warmest on `warmestDay` of the
    /// year. An aquifer at depth is constant (amplitude 0); a sewer follows the seasons.
    public let meanC: Double, amplitudeK: Double, warmestDay: Int
    /// Total head of the source pumps, m (aquifer: lift, drawdown and reinjection pressure;
    /// sewer: the exchanger and its pipework), and their wire-to-water efficiency.
    public let pumpHeadM: Double, pumpEfficiency: Double

    public init(kind: Kind, designKgPerS: Double, maxCoolingK: Double, meanC: Double, amplitudeK: Double = 0, warmestDay: Int = 213,
                pumpHeadM: Double, pumpEfficiency: Double = 0.6) {
        self.kind = kind; self.designKgPerS = designKgPerS; self.maxCoolingK = maxCoolingK
        self.meanC = meanC; self.amplitudeK = amplitudeK; self.warmestDay = warmestDay
        self.pumpHeadM = pumpHeadM; self.pumpEfficiency = pumpEfficiency
    }

    /// The source water's temperature on day `d` of the year (1–366), °C: a cosine around the
    /// mean, warmest on `warmestDay`.
    public func temperatureC(dayOfYear d: Int) -> Double {
        amplitudeK == 0 ? meanC : meanC + amplitudeK * cos(2 * Double.pi * Double(d - warmestDay) / 365)
    }

    /// Electric power of the source pumps at design flow, kW: P = ṁ·g·H / η (hydraulic power
    /// over the wire-to-water efficiency).
    public var pumpKW: Double { designKgPerS * 9.81 * pumpHeadM / pumpEfficiency / 1000 }
}

/// A water-to-water heat pump charging the buffer from an aquifer or a sewer.
///
/// COP from a constant fraction η of the Carnot COP between the condensing and evaporating
/// temperatures (COP = η·Tc/(Tc − Te), temperatures in kelvin; the usual model of large
/// heat pumps, e.g. IEA HPT Annex 47 "Heat pumps in district heating and cooling systems",
/// η ≈ 0.45–0.65), η taken from the design COP at the design temperatures. The refrigerant
/// condenses `approachK` above the condenser water and evaporates `approachK` (plus fouling)
/// below the source water leaving the evaporator, both in proportion to the load (a fixed UA:
/// the temperature difference scales with the heat). The compressor's power all ends in the
/// condenser: heat = source heat + compressor power, exactly.
///
/// Protections of the unit's own controller: a minimum run time and a minimum off time
/// (anti short cycling; compressor makers allow a handful of starts an hour), capacity
/// unloading to hold the evaporating temperature above `minEvaporatingC` (low-pressure
/// protection: water freezes in the evaporator) and the source's cooling within its limit, a
/// high-pressure cut-out above `maxLeavingC`, and a latched lockout on a lost source flow
/// (flow switch under 30 % of design).
public struct HeatPump: Sendable {
    /// What can go wrong with the source side, by the names scenarios and the control API use.
    public enum SourceFault: String, Sendable, CaseIterable {
        /// A source pump (production well or sewer intake) trips: no source flow, the unit locks out.
        case wellPumpTrip
        /// The source gives half its design flow (clogged well screen or intake strainer).
        case lowSourceFlow
        /// The evaporator is fouled (scale, biofilm): 6 K more approach at full load.
        case fouledExchanger
    }

    /// Strikes (or, `on` false, clears) a source fault.
    public mutating func setFault(_ f: SourceFault, _ on: Bool) {
        switch f {
        case .wellPumpTrip: sourceFlowFactor = on ? 0 : 1
        case .lowSourceFlow: sourceFlowFactor = on ? 0.5 : 1
        case .fouledExchanger: foulingK = on ? 6 : 0
        }
    }

    public let nominalKW: Double
    public let designCOP: Double
    public let designLeavingC: Double
    public let maxLeavingC: Double
    public let source: HeatSource
    public let minModulation: Double
    public let minRunS: Double, minOffS: Double
    public let waterVolumeM3: Double
    /// Refrigerant-to-water temperature difference at full load, K.
    public static let approachK = 3.0
    /// Lowest evaporating temperature the low-pressure protection allows, °C.
    public static let minEvaporatingC = 0.5
    /// The η of COP = η × Carnot, from the design point.
    public let carnotFraction: Double
    /// Heat taken from the source at design, kW.
    public let designSourceKW: Double

    // state
    public private(set) var running = false
    public private(set) var modulation = 0.0
    public private(set) var waterC: Double
    /// Condenser heat, compressor power, heat from the source, kW; COP of the last step.
    public private(set) var heatKW = 0.0, compressorKW = 0.0, sourceKW = 0.0, cop = 0.0
    /// Source water in and out, °C; source flow, kg/s; evaporating and condensing temperatures, °C.
    public private(set) var sourceInC: Double, sourceOutC: Double, sourceKgPerS = 0.0
    public private(set) var evaporatingC: Double, condensingC: Double
    /// Electric power of the source pumps, kW; heat passed to the loop, kW.
    public private(set) var sourcePumpKW = 0.0, toLoopKW = 0.0
    /// Whether the capacity is held back by the source (its cooling limit or the evaporating
    /// temperature) in the last step.
    public private(set) var sourceLimited = false
    public private(set) var runHours = 0.0
    public private(set) var starts = 0
    /// Counters since the start, kWh: condenser heat, electricity (compressor and source
    /// pumps), heat from the source, heat passed to the loop.
    public private(set) var heatKWh = 0.0, electricityKWh = 0.0, sourceKWh = 0.0, toLoopKWh = 0.0
    /// High-pressure cut-outs (automatic reset).
    public private(set) var highPressureCutOuts = 0
    private var inStateS = 1e9
    /// Not locked out (a lost source flow latches it out until the operator's reset).
    public var available = true
    /// Faults: the source pumps deliver this share of their design flow (0: tripped; 1: sound);
    /// the evaporator is fouled by this many kelvin of extra approach at full load.
    public var sourceFlowFactor = 1.0
    public var foulingK = 0.0

    public init(nominalKW: Double, designCOP: Double, designLeavingC: Double, maxLeavingC: Double, source: HeatSource,
                minModulation: Double = 0.3, minRunS: Double = 1200, minOffS: Double = 600, initialC: Double) {
        self.nominalKW = nominalKW; self.designCOP = designCOP; self.designLeavingC = designLeavingC
        self.maxLeavingC = maxLeavingC; self.source = source; self.minModulation = minModulation
        self.minRunS = minRunS; self.minOffS = minOffS
        waterVolumeM3 = max(0.05, 0.0005 * nominalKW)
        let qe = nominalKW * (1 - 1 / designCOP)
        designSourceKW = qe
        carnotFraction = designCOP / Self.carnotCOP(condensingC: designLeavingC + Self.approachK,
                                                    evaporatingC: Self.designEvaporatingC(source: source, sourceKW: qe))
        waterC = initialC
        sourceInC = source.meanC; sourceOutC = source.meanC
        evaporatingC = source.meanC; condensingC = initialC
    }

    /// Carnot COP of heating between a condensing and an evaporating temperature, °C.
    public static func carnotCOP(condensingC: Double, evaporatingC: Double) -> Double {
        let tc = condensingC + 273.15, te = evaporatingC + 273.15
        return tc / max(5, tc - te)
    }

    /// The evaporating temperature at design: the source at its mean, cooled by the design
    /// source heat at design flow, less the approach.
    public static func designEvaporatingC(source: HeatSource, sourceKW: Double) -> Double {
        source.meanC - sourceKW / (source.designKgPerS * Water.cpKJPerKgK) - approachK
    }

    /// Cooling of the source water at design, K (the loader checks it against the limit).
    public var designCoolingK: Double { designSourceKW / (source.designKgPerS * Water.cpKJPerKgK) }

    var capacityKJPerK: Double { waterVolumeM3 * Water.densityKgPerM3 * Water.cpKJPerKgK }
    public var storedKJ: Double { capacityKJPerK * waterC }
    /// Electric power drawn, kW (compressor and source pumps).
    public var electricKW: Double { compressorKW + sourcePumpKW }
    /// Condenser water flow at full load for 5 K (the condenser pump's design).
    var condenserDesignKgPerS: Double { nominalKW / (Water.cpKJPerKgK * 5) }

    /// Advances by `dtS`: runs when asked (`demand`) at `modulation`, charging the loop toward
    /// `leavingSetpointC` with water coming back at `loopReturnC`; the source at day `dayOfYear`.
    public mutating func step(dtS: Double, demand: Bool, modulation asked: Double, leavingSetpointC: Double, loopReturnC: Double, dayOfYear: Int) {
        inStateS += dtS
        sourceInC = source.temperatureC(dayOfYear: dayOfYear)
        // the source's flow switch: asked to run with no source flow (a tripped well pump) the
        // unit locks out, latched until the operator's reset
        if demand && available && sourceFlowFactor < 0.3 { available = false }
        let wants = demand && available
        if running {
            // stops when no longer asked past its minimum run time; at once when locked out or on
            // its high-pressure switch
            if !available || (!wants && inStateS >= minRunS) { running = false; inStateS = 0 }
            else if waterC > maxLeavingC + 2 { running = false; inStateS = 0; highPressureCutOuts += 1 }
        } else if wants && inStateS >= minOffS && loopReturnC < min(leavingSetpointC, maxLeavingC) - 2 {
            running = true; inStateS = 0; starts += 1
        }
        sourceKgPerS = running ? source.designKgPerS * sourceFlowFactor : 0
        var q = 0.0, qe = 0.0, c = 0.0
        sourceLimited = false
        if running {
            let u = min(1, max(minModulation, asked))
            // the high-pressure limiter takes capacity away over the last 2 K under the cut-out
            q = u * nominalKW * min(1, max(0, (maxLeavingC + 2 - waterC) / 2))
            let mcp = sourceKgPerS * Water.cpKJPerKgK
            let approachE = (Self.approachK + foulingK) / designSourceKW
            // what the source can give: its cooling limit, and the evaporating temperature held
            // above the low-pressure limit (evap = in − qe/ṁcp − approach·qe/qe_design)
            let qeMax = max(0, min(mcp * source.maxCoolingK, (sourceInC - Self.minEvaporatingC) / (1 / mcp + approachE)))
            var cond = waterC + Self.approachK * q / nominalKW
            // the evaporator's balance at the asked heat: COP, source heat and evaporating
            // temperature settle together (a fixed point, converged to 1e-9 in a few turns)
            var evap = sourceInC - approachE * designSourceKW
            for _ in 0..<6 {
                c = carnotFraction * Self.carnotCOP(condensingC: cond, evaporatingC: evap)
                qe = q * (1 - 1 / c)
                evap = sourceInC - qe / mcp - approachE * qe
            }
            if qe > qeMax {
                // unloaded to what the source gives: the evaporating temperature is then fixed
                // by the source's heat, the condenser's heat follows from the COP
                sourceLimited = true
                qe = qeMax
                evap = sourceInC - qe / mcp - approachE * qe
                for _ in 0..<4 {
                    c = carnotFraction * Self.carnotCOP(condensingC: cond, evaporatingC: evap)
                    q = qe / (1 - 1 / c)
                    cond = waterC + Self.approachK * q / nominalKW
                }
                c = carnotFraction * Self.carnotCOP(condensingC: cond, evaporatingC: evap)
                q = qe / (1 - 1 / c)
            } else {
                c = carnotFraction * Self.carnotCOP(condensingC: cond, evaporatingC: evap)
                qe = q * (1 - 1 / c)
            }
            evaporatingC = evap; condensingC = cond
            sourceOutC = sourceInC - qe / mcp
        } else {
            evaporatingC = sourceInC; condensingC = waterC; sourceOutC = sourceInC
        }
        modulation = running ? q / nominalKW : 0
        heatKW = q; sourceKW = qe; cop = running ? c : 0
        compressorKW = q - qe
        sourcePumpKW = source.pumpKW * sourceKgPerS / source.designKgPerS
        // the condenser pump's flow valve brings the outlet to the setpoint (10–100 % of design)
        let target = min(leavingSetpointC, maxLeavingC)
        let loop = running || waterC > loopReturnC + 2
            ? min(condenserDesignKgPerS, max(0.1 * condenserDesignKgPerS, q / (Water.cpKJPerKgK * max(2, target - loopReturnC)))) : 0
        let cap = capacityKJPerK, loopCap = loop * Water.cpKJPerKgK
        let t = (cap / dtS * waterC + q + loopCap * loopReturnC) / (cap / dtS + loopCap)
        toLoopKW = loopCap * (t - loopReturnC)
        waterC = t
        loopKgPerS = loop
        let h = dtS / 3600
        if running { runHours += h }
        heatKWh += q * h; sourceKWh += qe * h; electricityKWh += (compressorKW + sourcePumpKW) * h; toLoopKWh += toLoopKW * h
    }

    /// Water exchanged with the buffer in the last step, kg/s.
    public private(set) var loopKgPerS = 0.0

    /// Puts back the counters kept in the retentive memory after a restart.
    public mutating func restoreCounters(runHours: Double, starts: Int, heatKWh: Double, electricityKWh: Double, sourceKWh: Double, toLoopKWh: Double) {
        self.runHours = runHours; self.starts = starts; self.heatKWh = heatKWh
        self.electricityKWh = electricityKWh; self.sourceKWh = sourceKWh; self.toLoopKWh = toLoopKWh
    }
}
