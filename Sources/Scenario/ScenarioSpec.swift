import PlantModel
import PlantControl

/// A scenario as read from its file: every input of a simulated plant, in the trade's units.
public struct ScenarioSpec: Sendable {
    /// The physics steps shown (by StepSizeTests) to integrate within 1 % of the 1 s reference.
    public static let provenStepsS: [Double] = [0.5, 1, 2]

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
    public var economics: [String: Double]
    public var reference: ReferenceFigures
    public var events: [ScenarioEvent]
    /// Devices served over Modbus: unit id → profile → device.
    public var modbus: [ModbusBinding]
}

/// One Modbus unit: which device it is and which profile it speaks.
public struct ModbusBinding: Sendable, Equatable {
    public var unit: Int
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

public struct BoilerRoomSpec: Sendable {
    public var roomC: Double
    public var boilers: [BoilerSpec]
    public var gasBoilers: [GasBoilerSpec]
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
}

public struct DHWSpec: Sendable {
    public var litresPerDay: Double
    public var profile: [Double]
    public var tankM3: Double
    /// DHW charging has priority over space heating (the heating valve closes while the tank
    /// charges, for 30 min at most); false = both in parallel.
    public var priority: Bool
}

/// The study's own figures, set beside the simulated ones.
public struct ReferenceFigures: Sendable {
    public var values: [String: Double]
    /// Power called by 6-hour slot at design conditions, kW: weekday and weekend, 4 slots each.
    public var weekdaySlotsKW: [Double]?
    public var weekendSlotsKW: [Double]?
}

/// How a unit's communication fails.
public enum CommFaultMode: Sendable, Equatable {
    case late(ms: Int), silent, exception04, exception06, drop, offline
}

/// A timed event of a scenario.
public struct ScenarioEvent: Sendable {
    public enum Kind: Sendable, Equatable {
        /// Outdoor temperature held at a value (a cold snap, design conditions).
        case holdOutdoor(C: Double)
        /// A wood-chip boiler forced out of service (by index).
        case boilerOut(index: Int)
        /// A delivery of fuel trucks ordered to arrive at the event's time.
        case delivery(trucks: Int)
        /// A wood-chip boiler trips on a fault (by index); it stays tripped until reset.
        case boilerFault(index: Int, fault: BoilerFault)
        /// The silo's automatic ordering switched on or off (off: "the delivery was forgotten").
        case automaticOrders(Bool)
        /// The outdoor sensor fails (no reading) or drifts by `driftK`, for the event's duration
        /// (0: until the end).
        case outdoorSensor(failed: Bool, driftK: Double)
        /// A Modbus unit's communication fails in one of `CommFaultMode`'s ways for the event's
        /// duration (0: until the end); applied by `serve`.
        case commFault(unit: Int, mode: CommFaultMode)
        /// A substation's heat meter fails (information code set, indexes frozen) for the
        /// event's duration (0: until the end).
        case meterFault(index: Int)
        /// A building's secondary (heating circuit) pump fails for the event's duration.
        case secondaryPumpFault(index: Int)
        /// A building's primary heating valve sticks where it stands, for the event's duration.
        case valveStuck(index: Int)
        /// The network pump fails for the event's duration.
        case networkPumpFault
        /// The buffer tank's upper sensor (the one the cascade trims on) fails open: no reading,
        /// for the event's duration.
        case bufferSensorFault
        /// A leak of `m3PerH` in the network for the event's duration.
        case leak(m3PerH: Double)
    }
    public var kind: Kind
    /// Alarms a correct supervision must show after this event (ids), and within how long, s.
    public var expectAlarms: [String] = []
    public var expectWithinS: Double = 0
    /// Start, seconds since the scenario's start, and duration, s (0 = instantaneous).
    public var atS: Double
    public var durationS: Double
    public var line: Int
}
