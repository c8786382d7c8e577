import PlantControl
import Scenario
import PlantModel

/// The substation controller: primary and secondary temperatures, the heating circuit's room
/// control and heating curve (both forms kept), the DHW tank's charging, and its alarm block.
package enum SubstationPoints {
    /// A setting of the heating circuit's parameter set.
    package static func setting(_ name: String, unit: String = "", _ description: String, range: ClosedRange<Double>, whole: Bool = false, rules: String = "",
                        recorded: Point.Recorded = .analog(), _ key: WritableKeyPath<HeatingCircuitSettings, Double> & Sendable) -> Point {
        Point(name, unit: unit, .setting, description, range: range, whole: whole, rules: rules, recorded: recorded,
              read: { s, i in s.controller.substations[i].settings[keyPath: key] },
              write: { s, i, v in s.controller.substations[i].settings[keyPath: key] = v })
    }

    /// One of the six points of the six-point curve (k = 0 at −30 °C outdoor).
    package static func curvePoint(_ k: Int, outdoorC: Int) -> Point {
        Point("curve_point\(k + 1)", unit: "°C", .setting, "Six-point curve: flow at \(outdoorC) °C outdoor", range: 10...110,
              rules: "non-increasing from curve_point1 (−30 °C) to curve_point6 (15 °C), else refused (03); in force when curve_form = 1, kept and writable while curve_form = 0",
              recorded: .analog(),
              read: { s, i in s.controller.substations[i].settings.sixPointForm[k] },
              write: { s, i, v in
                  var f = s.controller.substations[i].settings.sixPointForm
                  f[k] = v
                  s.controller.substations[i].settings.setSixPointForm(f)
              })
    }

    /// A DHW setting: the building must have a tank.
    package static func dhw(_ name: String, unit: String = "", _ description: String, range: ClosedRange<Double>, whole: Bool = false,
                    _ key: WritableKeyPath<SubstationController, Double> & Sendable) -> Point {
        Point(name, unit: unit, .setting, description, range: range, whole: whole, lacking: noTank("reads the invalid value, writes refused (03)"),
              read: { s, i in s.plant.substations[i].dhwTank == nil ? nil : s.controller.substations[i][keyPath: key] },
              write: { s, i, v in
                  guard s.plant.substations[i].dhwTank != nil else { throw TagWriteError.invalidValue("this substation has no DHW tank") }
                  s.controller.substations[i][keyPath: key] = v
              })
    }

    /// What a DHW point does on a building without a DHW tank.
    package static func noTank(_ what: String) -> (where: @Sendable (ScenarioSpec, Int) -> Bool, rule: String) {
        ({ spec, i in spec.buildings[i].dhw == nil }, "this building has no DHW tank: \(what)")
    }

    package static let curveSlopeRule = "in force when curve_form = 0; while curve_form = 1 it is kept, reads its value and takes writes (in range), used once the form is switched"

    /// The names other code speaks of, declared here once.
    package enum Name {
        package static func recordPrefix(_ id: String) -> String { "substation.\(id)." }
        package static let mode = "mode"
        package static let secondarySupply = "secondary_supply_temperature", room = "room_temperature"
        package static let valvePosition = "valve_position", pump = "pump"
        package static let primarySupply = "primary_supply_temperature", primaryReturn = "primary_return_temperature"
        package static let secondaryReturn = "secondary_return_temperature", secondarySetpoint = "secondary_supply_setpoint"
        package static let roomSetpoint = "room_setpoint", dhw = "dhw_temperature", dhwLower = "dhw_lower_temperature"
    }

    package static let type = DeviceType(
        name: "substationController",
        description: "Substation controller (heating circuit with its curve, DHW tank charging)",
        points: [
            Point(Name.primarySupply, unit: "°C", .measurement, "Primary supply") { $0.plant.substations[$1].primarySupplySensorC },
            Point(Name.primaryReturn, unit: "°C", .measurement, "Primary return", summaryPrefix: "") {
                $0.plant.substations[$1].primaryReturnC },
            Point(Name.secondarySupply, unit: "°C", .measurement, "Secondary supply", recorded: .analog(deadband: 1),
                  summaryPrefix: "") { $0.plant.substations[$1].secondarySupplyC },
            Point(Name.secondaryReturn, unit: "°C", .measurement, "Secondary return", recorded: .analog()) { $0.plant.substations[$1].secondaryReturnC },
            Point(Name.secondarySetpoint, unit: "°C", .measurement, "Secondary supply setpoint (heating curve)", recorded: .analog()) {
                $0.controller.substations[$1].flowSetpointC },
            Point(Name.room, unit: "°C", .measurement, "Room temperature", recorded: .analog(deadband: 0.2), summaryPrefix: "") {
                $0.plant.substations[$1].building.airTemperatureC },
            Point(Name.roomSetpoint, unit: "°C", .measurement, "Room setpoint in force", recorded: .analog()) { $0.controller.substations[$1].roomSetpointC },
            Point(Name.valvePosition, unit: "%", .measurement, "Heating circuit's primary valve position (the DHW charging valve: dhw_valve_position)",
                  recorded: .analog(), summaryPrefix: "") { $0.plant.substations[$1].heatingValve.position * 100 },
            Point("dhw_valve_position", unit: "%", .measurement, "DHW charging valve position, primary side",
                  lacking: noTank("reads the invalid value"), recorded: .analog()) { $0.plant.substations[$1].dhwValve.map { $0.position * 100 } },
            Point(Name.dhw, unit: "°C", .measurement, "DHW tank temperature, upper sensor (charge start)",
                  lacking: noTank("reads the invalid value"), recorded: .analog(deadband: 1)) { $0.plant.substations[$1].dhwTank?.upperSensorC },
            Point(Name.dhwLower, unit: "°C", .measurement, "DHW tank temperature, lower sensor above the coil (charge stop, disinfection)",
                  lacking: noTank("reads the invalid value"), recorded: .analog(deadband: 1)) { $0.plant.substations[$1].dhwTank?.lowerSensorC },
            Point("desired_flow", unit: "°C", .measurement, "Desired flow temperature (curve with room influence, without boost)", recorded: .analog()) {
                $0.controller.substations[$1].desiredFlowC },
            Point("disinfections", .counter, "DHW thermal disinfection cycles completed (60 °C held 60 min)", lacking: noTank("stays 0"),
                  recorded: .counter(resolution: 1)) { Double($0.controller.substations[$1].disinfections) },
            Point(Name.pump, .state, "Secondary pump running (feedback: 0 when failed, though commanded)", recorded: .state) {
                $0.controller.actuators.substations[$1].secondaryPump && !$0.plant.substations[$1].secondaryPumpFailed ? 1 : 0 },
            Point("heating_on", .state, "Heating season (not in summer cut-off)", recorded: .state) { $0.controller.substations[$1].heatingOn ? 1 : 0 },
            Point("dhw_charging", .state, "DHW tank charging", lacking: noTank("stays 0"), recorded: .state) {
                $0.controller.substations[$1].dhwCharging ? 1 : 0 },
            Point("economy", .state, "Circuit pump stopped: no heat demand (room over its setpoint, valve shut), or quick setback (room above the reduced setpoint)",
                  recorded: .state) { $0.controller.substations[$1].economy || $0.controller.substations[$1].quickSetback ? 1 : 0 },
            Point("heating_up", .state, "Optimum start: heating up for the comfort period", recorded: .state) { $0.controller.substations[$1].heatingUp ? 1 : 0 },
            Point("disinfecting", .state, "DHW thermal disinfection in progress", lacking: noTank("stays 0"), recorded: .state) {
                $0.controller.substations[$1].disinfecting ? 1 : 0 },
            Point(Name.mode, .setting, "Mode: 0 auto, 1 comfort, 2 reduced, 3 off", range: 0...3, whole: true, recorded: .state,
                  read: { s, i in Double(s.controller.substations[i].settings.mode.rawValue) },
                  write: { s, i, v in s.controller.substations[i].settings.mode = CircuitMode(rawValue: Int(v))! }),
            setting("room_shift", unit: "K", "Room setpoint shift", range: -5...5, \.roomShiftK),
            setting("comfort_setpoint", unit: "°C", "Comfort room setpoint", range: 10...26, rules: "≥ reduced_setpoint, else refused (03)", \.comfortRoomC),
            setting("reduced_setpoint", unit: "°C", "Reduced room setpoint", range: 5...24, rules: "≤ comfort_setpoint, else refused (03)", \.reducedRoomC),
            Point("curve_form", .setting, "Curve form: 0 slope, 1 six points; selects which parameter set drives the flow, both are kept", range: 0...1, whole: true,
                  rules: "selects the parameter set in force: 0 curve_slope and curve_displacement, 1 curve_point1–6; the other set is kept", recorded: .state,
                  read: { s, i in Double(s.controller.substations[i].settings.curveForm) },
                  write: { s, i, v in s.controller.substations[i].settings.selectCurveForm(Int(v)) }),
            Point("curve_slope", .setting, "Heating curve slope (slope form)", range: 0.2...4, rules: curveSlopeRule, recorded: .analog(deadband: 0.001),
                  read: { s, i in s.controller.substations[i].settings.slopeForm.slope },
                  write: { s, i, v in
                      let st = s.controller.substations[i].settings
                      s.controller.substations[i].settings.setSlopeForm(slope: v, displacementK: st.slopeForm.displacementK)
                  }),
            Point("curve_displacement", unit: "K", .setting, "Heating curve parallel displacement (slope form)", range: -20...20, rules: curveSlopeRule,
                  recorded: .analog(),
                  read: { s, i in s.controller.substations[i].settings.slopeForm.displacementK },
                  write: { s, i, v in
                      let st = s.controller.substations[i].settings
                      s.controller.substations[i].settings.setSlopeForm(slope: st.slopeForm.slope, displacementK: v)
                  }),
        ] + [(0, -30), (1, -15), (2, -5), (3, 0), (4, 5), (5, 15)].map { curvePoint($0.0, outdoorC: $0.1) } + [
            setting("min_flow", unit: "°C", "Minimum flow temperature", range: 10...60, rules: "≤ max_flow, else refused (03)", \.minFlowC),
            setting("max_flow", unit: "°C", "Maximum flow temperature", range: 25...100, rules: "≥ min_flow, else refused (03)", \.maxFlowC),
            setting("summer_cutoff", unit: "°C", "Summer cut-off (attenuated outdoor)", range: 5...25, \.summerCutOffC),
            setting("return_limit_cold", unit: "°C", "Primary return limit at -15 °C outdoor", range: 30...90, recorded: .no, \.returnLimitColdC),
            setting("return_limit_warm", unit: "°C", "Primary return limit at +15 °C outdoor", range: 30...90, recorded: .no, \.returnLimitWarmC),
            Point("optimum_start", .setting, "Optimum start: 0 off, 1 on", range: 0...1, whole: true,
                  read: { s, i in s.controller.substations[i].settings.optimumStart ? 1 : 0 },
                  write: { s, i, v in s.controller.substations[i].settings.optimumStart = v == 1 }),
            setting("boost", unit: "K", "Boost during heat-up (room setpoint raise on the curve)", range: 0...10, recorded: .no, \.boostK),
            dhw("dhw_setpoint", unit: "°C", "DHW tank setpoint", range: 45...75, \.dhwSetpointC),
            dhw("dhw_differential", unit: "K", "DHW charging starts this far under the setpoint", range: 1...15, \.dhwHysteresisK),
            Point("dhw_priority", .setting, "DHW priority: 0 parallel, 1 absolute (heating valve shut while charging, 30 min at most)", range: 0...1, whole: true,
                  lacking: noTank("reads the invalid value, writes refused (03)"),
                  read: { s, i in s.plant.substations[i].dhwTank == nil ? nil : (s.controller.substations[i].dhwPriority ? 1 : 0) },
                  write: { s, i, v in
                      guard s.plant.substations[i].dhwTank != nil else { throw TagWriteError.invalidValue("this substation has no DHW tank") }
                      s.controller.substations[i].dhwPriority = v == 1
                  }),
        ] + AlarmPoints.block(device: { "substation:\($0)" },
                              bits: "bit 0 primary supply too low for the desired flow, 1 heating valve away from its command, 2 circuit pump fault, 3 flow under desired (flow monitoring), 4 room under comfort, 5 floor safety thermostat", recorded: true),
        rules: [
            PointRule("the curve in force is valid (six points non-increasing)") { s, i in s.controller.substations[i].settings.curve.problem },
            PointRule("the curve kept is valid") { s, i in s.controller.substations[i].settings.keptCurve?.problem.map { "the form not in use: \($0)" } },
            PointRule("min_flow ≤ max_flow") { s, i in
                let st = s.controller.substations[i].settings
                return st.minFlowC > st.maxFlowC ? "min_flow above max_flow" : nil
            },
            PointRule("reduced_setpoint ≤ comfort_setpoint") { s, i in
                let st = s.controller.substations[i].settings
                return st.reducedRoomC > st.comfortRoomC ? "reduced set-point above comfort" : nil
            },
        ],
        alarmDevice: "substation",
        alarmTags: { _, d in
            // the primary supply as the substation's heat meter measures it
            ["SUPPLY_LOW": HeatMeterPoints.recordPrefix(d.device) + HeatMeterPoints.supplyTemperature,
             "VALVE": d.recordPrefix + Name.valvePosition, "PUMP": d.recordPrefix + Name.pump,
             "FLOW_LOW": d.recordPrefix + Name.secondarySupply, "ROOM_LOW": d.recordPrefix + Name.room,
             "SAFETY_THERMOSTAT": d.recordPrefix + Name.secondarySupply]
        },
        instances: { spec in
            spec.buildings.enumerated().map { i, b in
                DeviceInstance(device: b.id, index: i, recordPrefix: Name.recordPrefix(b.id), label: "\(b.name) (\(b.id))")
            }
        })
}
