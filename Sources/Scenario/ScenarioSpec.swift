import Economics
import PlantModel
import PlantControl

/// A scenario as read from its file: every input of a simulated plant, in the trade's units.
public struct ScenarioSpec: Sendable {
    /// The physics steps shown (by StepSizeTests) to integrate within 1 % of the 1 s reference.
    public static let provenStepsS: [Double] = [0.5, 1, 2, 5, 10]

    /// Why a physics step is refused (nil: it is one of the proven steps).
    public static func stepRefusal(_ stepS: Double) -> String? {
        if provenStepsS.contains(stepS) { return nil }
        // measured over 7 January days against the 1 s reference (BENCHMARKS.md, "The fast
        // step"): 10 s within 0.1 % on every figure; at 20 s the controllers' 20 s scan raises
        // the network's return 0.6 K: its losses +1.0 %, fuel +0.5 %, the hotel's heat +1.0 %
        return "\(stepS) s: the physics is shown to integrate within 1 % of the 1 s reference only at \(provenStepsS.map { "\($0)" }.joined(separator: ", ")) s (20 s: network losses +1.0 %, fuel +0.5 %, with the controllers scanning every 20 s)"
    }

    public var name: String
    public var file: String
    public var start: CivilDate
    public var seed: UInt64
    /// Physics step and control scan period, s.
    public var stepS: Double
    public var scanS: Double
    public var site: SiteSpec
    public var boilerRoom: BoilerRoomSpec
    public var network: NetworkSpec
    public var buildings: [BuildingSpec]
    /// The economic inputs, typed and checked at load (nil: the scenario has no `economics:`).
    public var economics: EconomicTerms?
    public var reference: ReferenceFigures
    public var events: [ScenarioEvent]
    /// Devices served over Modbus: unit id → profile → device.
    public var modbus: [ModbusBinding]
}

/// One Modbus unit: which device it is and which profile it speaks.
public struct ModbusBinding: Sendable, Equatable {
    public var unit: Int
    /// Which of the daemon's ports (gateways) serves the unit: the `--listen` port plus this
    /// offset. One port carries unit ids 1–247; a site with more devices has several gateways.
    public var port: Int = 0
    /// Profile name: the file `DeviceProfiles/<profile>.yaml`.
    public var profile: String
    /// `plant`, a wood boiler id (`B1`), a building id (its substation controller) or a
    /// building id followed by `.meter` (its heat meter).
    public var device: String
    public var line: Int
    public init(unit: Int, profile: String, device: String, line: Int = 0) {
        self.unit = unit; self.profile = profile; self.device = device; self.line = line
    }
}

public struct SiteSpec: Sendable {
    public enum Weather: Sendable {
        case synthetic(SyntheticWeather)
        case csv(path: String)
        case epw(path: String)
    }
    public var designOutdoorC: Double
    public var groundC: Double
    public var heatingDegreeDays: Double
    public var weather: Weather
    /// The normals used to calibrate the buildings (always synthetic, seed-independent).
    public var normals: SyntheticWeather
}

public struct BoilerSpec: Sendable {
    public var id: String
    public var nominalKW: Double
    public var waterVolumeM3: Double
}

public struct GasBoilerSpec: Sendable {
    public var id: String
    public var nominalKW: Double
}

/// A water-to-water heat pump on an aquifer doublet or a sewer (see `HeatPump`).
public struct HeatPumpSpec: Sendable {
    public var id: String
    public var nominalKW: Double
    public var designCOP: Double
    public var designLeavingC: Double
    public var maxLeavingC: Double
    public var minModulation: Double
    public var source: HeatSource
}

/// A solar thermal field on the buffer's bottom (see `SolarField`).
public struct SolarFieldSpec: Sendable {
    public var id: String
    public var kind: SolarField.Kind
    public var areaM2: Double
    public var tiltDeg: Double
    public var latitudeDeg: Double, longitudeDeg: Double
    /// Monthly ratio of global horizontal irradiation to the clear sky (used without an EPW's irradiance).
    public var clearSkyShare: [Double]
}

/// Heat recovered from an industrial process or a CHP (see `RecoveredHeat`).
public struct RecoveredHeatSpec: Sendable {
    public var id: String
    public var kind: RecoveredHeat.Kind
    public var maxKW: Double, supplyC: Double
    public var electricPerHeat: Double
    public var schedule: WeeklySchedule
    /// What the plant pays for the heat, € excl. VAT per MWh.
    public var priceEURPerMWh: Double
}

public struct BoilerRoomSpec: Sendable {
    public var roomC: Double
    public var boilers: [BoilerSpec]
    public var gasBoilers: [GasBoilerSpec]
    public var heatPumps: [HeatPumpSpec] = []
    public var solarFields: [SolarFieldSpec] = []
    public var recoveredHeat: [RecoveredHeatSpec] = []
    public var bufferVolumeM3: Double, bufferHeightM: Double, bufferLayers: Int, bufferLossKWPerK: Double
    public var fuelName: String
    public var fuel: FuelProperties
    public var siloGrossM3: Double, siloReserveM3: Double, siloInitialM3: Double
    public var policy: DeliveryPolicy
    public var control: PlantControlSettings
}

public struct PipeSpec: Sendable {
    public var id: String, from: String, to: String
    public var lengthM: Double, innerDiameterM: Double, lossWPerMK: Double
}

public struct NetworkSpec: Sendable {
    public var pumpDesignFlowM3PerH: Double, pumpDesignHeadKPa: Double
    public var pipes: [PipeSpec]
    /// Thermostatic bypasses at the ends of the network's branches; nil: none.
    public var endBypass: EndOfLineBypass? = nil
}

public struct BuildingSpec: Sendable {
    public var id: String, name: String, use: String
    public var designLoadKW: Double
    public var annualHeatMWh: Double
    public var floorAreaM2: Double
    public var construction: ConstructionClass
    public var node: String
    public var emitter: EmitterKind
    public var emitterSupplyC: Double, emitterReturnC: Double
    public var heating: HeatingCircuitSettings
    public var schedule: WeeklySchedule
    public var occupiedGainsWPerM2: Double, unoccupiedGainsWPerM2: Double
    public var dhw: DHWSpec?
    /// The business plan's year in which it connects (1: the first); the simulation serves it
    /// from the start (a simulated year is a year at full build).
    public var connectYear: Int = 1
}

public struct DHWSpec: Sendable {
    public var litresPerDay: Double
    public var profile: [Double]
    public var tankM3: Double
    /// DHW charging has priority over space heating (the heating valve closes while the tank
    /// charges, for 30 min at most); false = both in parallel.
    public var priority: Bool
    /// The hour its daily thermal disinfection starts (nil: the controller's default, 02:00);
    /// a network staggers them so that its tanks do not all charge at once.
    public var disinfectionHour: Double? = nil
}

/// The study's own figures, set beside the simulated ones.
public struct ReferenceFigures: Sendable {
    public var values: [String: Double]
    /// Power called by 6-hour slot at design conditions, kW: weekday and weekend, 4 slots each.
    public var weekdaySlotsKW: [Double]?
    public var weekendSlotsKW: [Double]?
}

/// A timed event of a scenario: an instruction, given once at `atS` (a delivery, a boiler's
/// trip, a point written, the silo's ordering switched), or in force from `atS` for `durationS`
/// (0: until the end) — a fault struck at the start and repaired at the end, the outdoor
/// temperature held.
public struct ScenarioEvent: Sendable {
    public var instruction: Instruction
    /// Whether the instruction is given once rather than held over the event's duration.
    public var isOneShot: Bool {
        switch instruction {
        case .deliver, .automaticOrders, .fault(.boiler), .acknowledge, .write, .speed, .releaseOutdoor: true
        case .fault, .repair, .holdOutdoor: false
        }
    }
    /// Alarms a correct supervision must show after this event (ids), and within how long, s.
    public var expectAlarms: [String] = []
    public var expectWithinS: Double = 0
    /// Start, seconds since the scenario's start, and duration, s (0 = instantaneous).
    public var atS: Double
    public var durationS: Double
    public var line: Int

    public init(instruction: Instruction, atS: Double, durationS: Double, line: Int = 0) {
        self.instruction = instruction; self.atS = atS; self.durationS = durationS; self.line = line
    }

    /// Whether the event is in force at `t`: from its start, for its duration (0: until the end).
    public func inForce(at t: Double) -> Bool { t >= atS && (durationS == 0 || t < atS + durationS) }
}
