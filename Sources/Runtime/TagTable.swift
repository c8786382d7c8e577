import PlantModel
import PlantControl

/// Kinds of device a scenario serves, each with its own tags.
public enum DeviceKind: String, Sendable, CaseIterable {
    case plantController, woodChipBoiler, substationController, heatMeter, gasBoiler
}

/// The tag table: every quantity a device exposes, by dotted name relative to the device, read
/// from the plant and its control core; writable tags go through the control core, validated.
/// Device profiles, the point list and (later) the historian speak these names.
public enum TagTable {
    /// Tags of each kind of device for a plant of `boilers` wood boilers, `substations`
    /// substations and a buffer of `bufferLayers` layers (the plant controller's summary block
    /// names boilers and substations by number, 1-based).
    public static func known(boilers: Int, substations: Int, bufferLayers: Int) -> [String: Set<String>] {
        var plant: Set<String> = ["outdoor_temperature", "network.supply_temperature", "network.return_temperature",
                                  "network.supply_setpoint", "network.flow", "network.differential_pressure", "network.output",
                                  "network.pump_speed", "network.pressure", "network.makeup_volume", "buffer.top_temperature", "buffer.bottom_temperature", "cascade.stage",
                                  "cascade.lead", "silo.level_percent", "silo.level", "silo.autonomy_days", "law.cold_outdoor",
                                  "law.cold_supply", "law.mild_outdoor", "law.mild_supply", "network.differential_setpoint",
                                  "alarms.word", "alarms.unacknowledged", "alarms.ack"]
        for k in 1...max(1, bufferLayers) { plant.insert("buffer.t\(k)") }
        for b in 1...max(1, boilers) { for t in ["state", "modulation", "supply_temperature", "output"] { plant.insert("boiler\(b).\(t)") } }
        for s in 1...max(1, substations) {
            for t in ["secondary_supply_temperature", "room_temperature", "valve_position", "primary_return_temperature",
                      "meter_power", "meter_energy"] { plant.insert("substation\(s).\(t)") }
        }
        return [
            DeviceKind.plantController.rawValue: plant,
            DeviceKind.woodChipBoiler.rawValue: ["state", "fault_code", "supply_temperature", "return_temperature", "flue_temperature",
                                                 "oxygen", "modulation", "output", "run_hours", "starts", "ash", "fuel_energy",
                                                 "enable", "reset", "setpoint", "max_setpoint", "available",
                                                 "alarms.word", "alarms.unacknowledged", "alarms.ack"],
            DeviceKind.substationController.rawValue: ["primary_supply_temperature", "primary_return_temperature",
                                                       "secondary_supply_temperature", "secondary_return_temperature",
                                                       "secondary_supply_setpoint", "room_temperature", "room_setpoint",
                                                       "valve_position", "pump", "heating_on", "dhw_temperature", "dhw_charging",
                                                       "mode", "room_shift", "comfort_setpoint", "reduced_setpoint",
                                                       "curve_form", "curve_slope", "curve_displacement", "curve_point1",
                                                       "curve_point2", "curve_point3", "curve_point4", "curve_point5",
                                                       "curve_point6", "min_flow", "max_flow", "summer_cutoff", "alarms.word",
                                                       "alarms.unacknowledged", "alarms.ack", "desired_flow", "disinfections",
                                                       "economy", "heating_up", "disinfecting", "return_limit_cold",
                                                       "return_limit_warm", "optimum_start", "boost", "dhw_setpoint",
                                                       "dhw_differential", "dhw_priority", "dhw_valve_position"],
            DeviceKind.gasBoiler.rawValue: ["state", "firing", "water_temperature", "output", "fuel_power", "efficiency", "run_hours",
                                            "starts", "gas_energy_hhv", "gas_energy_lhv", "demand", "available"],
            DeviceKind.heatMeter.rawValue: ["energy", "volume", "power", "flow", "supply_temperature", "return_temperature",
                                            "temperature_difference", "operating_hours", "error_hours", "info_code", "serial"],
        ]
    }
}

/// Why a write was refused.
public enum TagWriteError: Error, Equatable, Sendable {
    /// No such tag, or the tag cannot be written.
    case notWritable(String)
    /// The value is outside what the control core accepts.
    case invalidValue(String)
}

extension Simulation {
    /// Current value of `tag` of device `index` of `kind` (nil: no value, served as invalid).
    public func readTag(_ kind: DeviceKind, _ index: Int, _ tag: String) -> Double? {
        let p = plant, c = controller
        switch kind {
        case .heatMeter:
            let m = p.substations[index].meter
            switch tag {
            case "energy": return m.energyKWhDisplayed
            case "volume": return m.volumeM3Displayed
            case "power": return (m.powerKW * 10).rounded() / 10
            case "flow": return (m.flowM3PerH * 1000).rounded() / 1000
            case "supply_temperature": return m.supplyC
            case "return_temperature": return m.returnC
            case "temperature_difference": return m.supplyC - m.returnC
            case "operating_hours": return m.operatingHours.rounded(.down)
            case "error_hours": return m.errorHours.rounded(.down)
            case "info_code": return Double(m.infoCode)
            case "serial": return Double(m.serial)
            default: return nil
            }
        case .substationController:
            let s = p.substations[index], k = c.substations[index]
            func point(_ i: Int) -> Double? { k.settings.sixPointForm[i] }
            switch tag {
            case "primary_supply_temperature": return s.primarySupplyC
            case "primary_return_temperature": return s.primaryReturnC
            case "secondary_supply_temperature": return s.secondarySupplyC
            case "secondary_return_temperature": return s.secondaryReturnC
            case "secondary_supply_setpoint": return k.flowSetpointC
            case "room_temperature": return s.building.airTemperatureC
            case "room_setpoint": return k.roomSetpointC
            case "valve_position": return s.heatingValve.position * 100
            case "pump": return c.actuators.substations[index].secondaryPump && !s.secondaryPumpFailed ? 1 : 0   // running feedback
            case "heating_on": return k.heatingOn ? 1 : 0
            case "dhw_temperature": return s.dhwTank?.sensorC
            case "dhw_charging": return k.dhwCharging ? 1 : 0
            case "dhw_valve_position": return s.dhwValve.map { $0.position * 100 }
            case "mode": return Double(k.settings.mode.rawValue)
            case "room_shift": return k.settings.roomShiftK
            case "comfort_setpoint": return k.settings.comfortRoomC
            case "reduced_setpoint": return k.settings.reducedRoomC
            case "curve_form": return Double(k.settings.curveForm)
            case "curve_slope": return k.settings.slopeForm.slope
            case "curve_displacement": return k.settings.slopeForm.displacementK
            case "curve_point1": return point(0)
            case "curve_point2": return point(1)
            case "curve_point3": return point(2)
            case "curve_point4": return point(3)
            case "curve_point5": return point(4)
            case "curve_point6": return point(5)
            case "min_flow": return k.settings.minFlowC
            case "max_flow": return k.settings.maxFlowC
            case "summer_cutoff": return k.settings.summerCutOffC
            case "alarms.word": return Double(c.alarms.words(device: "substation:\(index)").active)
            case "alarms.unacknowledged": return Double(c.alarms.words(device: "substation:\(index)").unacknowledged)
            case "alarms.ack": return 0
            case "desired_flow": return k.desiredFlowC
            case "disinfections": return Double(k.disinfections)
            case "economy": return k.economy || k.quickSetback ? 1 : 0
            case "heating_up": return k.heatingUp ? 1 : 0
            case "disinfecting": return k.disinfecting ? 1 : 0
            case "return_limit_cold": return k.settings.returnLimitColdC
            case "return_limit_warm": return k.settings.returnLimitWarmC
            case "optimum_start": return k.settings.optimumStart ? 1 : 0
            case "boost": return k.settings.boostK
            case "dhw_setpoint": return s.dhwTank == nil ? nil : k.dhwSetpointC
            case "dhw_differential": return s.dhwTank == nil ? nil : k.dhwHysteresisK
            case "dhw_priority": return s.dhwTank == nil ? nil : (k.dhwPriority ? 1 : 0)
            default: return nil
            }
        case .woodChipBoiler:
            let b = p.boilers[index]
            switch tag {
            case "state": return Double(b.state.rawValue)
            case "fault_code": return Double(b.fault.rawValue)
            case "supply_temperature": return b.waterC
            case "return_temperature": return p.buffer.bottomC
            case "flue_temperature": return b.flueGasC
            case "oxygen": return b.oxygenPercent
            case "modulation": return b.firing * 100
            case "output": return b.toLoopKW
            case "run_hours": return b.runHours.rounded(.down)
            case "starts": return Double(b.starts)
            case "ash": return b.ashKg
            case "fuel_energy": return b.fuelKWh.rounded(.down)
            case "enable": return c.cascade.disabled[index] ? 0 : 1
            case "reset": return 0
            case "setpoint": return c.boilerSetpointC
            case "max_setpoint": return c.settings.boilerMaxSetpointC
            case "available": return b.isAvailable && !c.cascade.disabled[index] ? 1 : 0
            case "alarms.word": return Double(c.alarms.words(device: "boiler:\(index)").active)
            case "alarms.unacknowledged": return Double(c.alarms.words(device: "boiler:\(index)").unacknowledged)
            case "alarms.ack": return 0
            default: return nil
            }
        case .gasBoiler:
            let g = p.gasBoilers[index]
            switch tag {
            case "state": return g.firing > 0 ? 1 : 0
            case "firing": return g.firing * 100
            case "water_temperature": return g.waterC
            case "output": return g.toLoopKW   // −0.0 is served as 0 by the codec
            case "fuel_power": return g.fuelKW
            case "efficiency": return g.efficiency * 100
            case "run_hours": return g.runHours.rounded(.down)
            case "starts": return Double(g.starts)
            case "gas_energy_hhv": return g.fuelKWhHHV.rounded(.down)
            case "gas_energy_lhv": return g.fuelKWhLHV.rounded(.down)
            case "demand": return c.actuators.gasDemand[index] ? 1 : 0
            case "available": return g.available ? 1 : 0
            default: return nil
            }
        case .plantController:
            return readPlantTag(tag)
        }
    }

    private func readPlantTag(_ tag: String) -> Double? {
        let p = plant, c = controller
        if tag.hasPrefix("buffer.t"), let k = Int(tag.dropFirst("buffer.t".count)), k >= 1, k <= p.buffer.layerCount {
            if k - 1 == bufferSensorLayer && bufferSensorFailed { return nil }   // the failed sensor: the invalid sentinel
            return p.buffer.layersC[k - 1]
        }
        if tag.hasPrefix("boiler"), let dot = tag.firstIndex(of: "."), let k = Int(tag[tag.index(tag.startIndex, offsetBy: 6)..<dot]) {
            guard k >= 1, k <= p.boilers.count else { return nil }
            let t = String(tag[tag.index(after: dot)...])
            return readTag(.woodChipBoiler, k - 1, t)
        }
        if tag.hasPrefix("substation"), let dot = tag.firstIndex(of: "."), let k = Int(tag[tag.index(tag.startIndex, offsetBy: 10)..<dot]) {
            guard k >= 1, k <= p.substations.count else { return nil }
            switch String(tag[tag.index(after: dot)...]) {
            case "meter_power": return readTag(.heatMeter, k - 1, "power")
            case "meter_energy": return readTag(.heatMeter, k - 1, "energy")
            case let t: return readTag(.substationController, k - 1, t)
            }
        }
        let law = c.settings.supplyLaw
        switch tag {
        case "outdoor_temperature": return outdoorReadingC   // the sensor's reading: none when it has failed
        case "network.supply_temperature": return p.networkSupplyC
        case "network.return_temperature": return p.headerC
        case "network.supply_setpoint": return c.networkSetpointC
        case "network.flow": return p.network.totalFlowM3PerH
        case "network.pressure": return p.pressurisation.pressureBarG
        case "network.makeup_volume": return p.pressurisation.makeUpTotalM3
        case "network.differential_pressure": return p.network.lowestSubstationDifferentialKPa
        case "network.output": return Water.massFlowKgPerS(flowM3PerH: p.network.totalFlowM3PerH) * Water.cpKJPerKgK * (p.networkSupplyC - p.headerC)
        case "network.pump_speed": return c.actuators.networkPumpSpeed * 100
        case "network.differential_setpoint": return c.settings.differentialSetpointKPa
        case "buffer.top_temperature": return p.buffer.topC
        case "buffer.bottom_temperature": return p.buffer.bottomC
        case "cascade.stage": return Double(c.cascade.demand.filter { $0 }.count)
        case "cascade.lead":
            // the running boiler started first, 1-based; 0 when none runs
            return c.cascade.lead.map { Double($0 + 1) } ?? 0
        case "silo.level_percent": return p.silo.levelPercent
        case "silo.level": return p.silo.levelM3
        case "silo.autonomy_days":
            // at the fuel rate of the last 24 h of boiler output (none burned: no figure)
            let rateM3PerDay = statistics.lastDayFuelKWh / p.silo.fuel.kWhPerM3
            return rateM3PerDay > 0 ? p.silo.levelM3 / rateM3PerDay : nil
        case "law.cold_outdoor": return law.coldOutdoorC
        case "law.cold_supply": return law.coldSupplyC
        case "law.mild_outdoor": return law.mildOutdoorC
        case "law.mild_supply": return law.mildSupplyC
        case "alarms.word": return Double(c.alarms.words(device: "plant").active)
        case "alarms.unacknowledged": return Double(c.alarms.words(device: "plant").unacknowledged)
        case "alarms.ack": return 0
        default: return nil
        }
    }
}

extension Simulation {
    /// Writes `value` to a writable tag: validated, then handed to the control core, which uses
    /// it from its next scan. Nothing changes when the write is refused.
    public mutating func writeTag(_ kind: DeviceKind, _ index: Int, _ tag: String, _ value: Double) throws {
        guard value.isFinite else { throw TagWriteError.invalidValue("not a number") }
        switch kind {
        case .substationController:
            var st = controller.substations[index].settings
            func setPoint(_ i: Int) {
                var f = st.sixPointForm
                f[i] = value; st.setSixPointForm(f)
            }
            switch tag {
            case "mode":
                guard let m = CircuitMode(rawValue: Int(value)), Double(m.rawValue) == value else { throw TagWriteError.invalidValue("mode is 0–3") }
                st.mode = m
            case "room_shift": st.roomShiftK = value
            case "comfort_setpoint": st.comfortRoomC = value
            case "reduced_setpoint": st.reducedRoomC = value
            case "curve_form":
                // both forms' parameters are kept: switching selects, it converts nothing
                guard value == 0 || value == 1 else { throw TagWriteError.invalidValue("curve_form is 0 (slope) or 1 (six points)") }
                st.selectCurveForm(Int(value))
            case "curve_slope": st.setSlopeForm(slope: value, displacementK: st.slopeForm.displacementK)
            case "curve_displacement": st.setSlopeForm(slope: st.slopeForm.slope, displacementK: value)
            case "curve_point1": setPoint(0)
            case "curve_point2": setPoint(1)
            case "curve_point3": setPoint(2)
            case "curve_point4": setPoint(3)
            case "curve_point5": setPoint(4)
            case "curve_point6": setPoint(5)
            case "min_flow": st.minFlowC = value
            case "max_flow": st.maxFlowC = value
            case "summer_cutoff": st.summerCutOffC = value
            case "return_limit_cold":
                guard (30...90).contains(value) else { throw TagWriteError.invalidValue("30–90 °C") }
                st.returnLimitColdC = value
            case "return_limit_warm":
                guard (30...90).contains(value) else { throw TagWriteError.invalidValue("30–90 °C") }
                st.returnLimitWarmC = value
            case "optimum_start":
                guard value == 0 || value == 1 else { throw TagWriteError.invalidValue("optimum_start is 0 or 1") }
                st.optimumStart = value == 1
            case "boost":
                guard (0...10).contains(value) else { throw TagWriteError.invalidValue("0–10 K") }
                st.boostK = value
            case "dhw_setpoint", "dhw_differential", "dhw_priority":
                guard plant.substations[index].dhwTank != nil else { throw TagWriteError.invalidValue("this substation has no DHW tank") }
                switch tag {
                case "dhw_setpoint":
                    guard (45...75).contains(value) else { throw TagWriteError.invalidValue("45–75 °C") }
                    controller.substations[index].dhwSetpointC = value
                case "dhw_differential":
                    guard (1...15).contains(value) else { throw TagWriteError.invalidValue("1–15 K") }
                    controller.substations[index].dhwHysteresisK = value
                default:
                    guard value == 0 || value == 1 else { throw TagWriteError.invalidValue("dhw_priority is 0 or 1") }
                    controller.substations[index].dhwPriority = value == 1
                }
                return
            case "alarms.ack":
                guard value == 0 || value == 1 else { throw TagWriteError.invalidValue("alarms.ack is 0 or 1") }
                if value == 1 { controller.alarms.acknowledgeAll(device: "substation:\(index)", atS: plant.timeS) }
                return
            default: throw TagWriteError.notWritable(tag)
            }
            if let p = st.curve.problem { throw TagWriteError.invalidValue(p) }
            if let p = st.keptCurve?.problem { throw TagWriteError.invalidValue("the form not in use: \(p)") }
            if st.minFlowC > st.maxFlowC { throw TagWriteError.invalidValue("min_flow above max_flow") }
            if st.reducedRoomC > st.comfortRoomC { throw TagWriteError.invalidValue("reduced set-point above comfort") }
            controller.substations[index].settings = st
        case .woodChipBoiler:
            switch tag {
            case "enable":
                guard value == 0 || value == 1 else { throw TagWriteError.invalidValue("enable is 0 or 1") }
                controller.cascade.disabled[index] = value == 0
            case "reset":
                guard value == 0 || value == 1 else { throw TagWriteError.invalidValue("reset is 0 or 1") }
                if value == 1 {
                    plant.boilers[index].reset()
                    controller.resetBoilerAlarm(index, atS: plant.timeS)
                }
            case "alarms.ack":
                guard value == 0 || value == 1 else { throw TagWriteError.invalidValue("alarms.ack is 0 or 1") }
                if value == 1 { controller.alarms.acknowledgeAll(device: "boiler:\(index)", atS: plant.timeS) }
            case "max_setpoint":
                guard (60...95).contains(value) else { throw TagWriteError.invalidValue("60–95 °C") }
                controller.settings.boilerMaxSetpointC = value
            default: throw TagWriteError.notWritable(tag)
            }
        case .plantController:
            var law = controller.settings.supplyLaw
            switch tag {
            case "law.cold_outdoor": law.coldOutdoorC = value
            case "law.cold_supply": law.coldSupplyC = value
            case "law.mild_outdoor": law.mildOutdoorC = value
            case "law.mild_supply": law.mildSupplyC = value
            case "network.differential_setpoint":
                guard (5...300).contains(value) else { throw TagWriteError.invalidValue("5–300 kPa") }
                controller.settings.differentialSetpointKPa = value
                return
            case "alarms.ack":
                guard value == 0 || value == 1 else { throw TagWriteError.invalidValue("alarms.ack is 0 or 1") }
                if value == 1 { controller.alarms.acknowledgeAll(device: "plant", atS: plant.timeS) }
                return
            default: throw TagWriteError.notWritable(tag)
            }
            guard law.mildOutdoorC > law.coldOutdoorC else { throw TagWriteError.invalidValue("the mild point must be warmer than the cold one") }
            controller.settings.supplyLaw = law
        case .heatMeter, .gasBoiler:
            throw TagWriteError.notWritable(tag)
        }
    }
}
