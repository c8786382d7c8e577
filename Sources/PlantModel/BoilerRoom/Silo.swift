import Foundation

/// Properties of a solid fuel as delivered.
public struct FuelProperties: Sendable {
    /// Bulk density, t/m³; lower heating value, MWh/t; moisture and ash, mass shares.
    public var bulkDensityTPerM3: Double
    public var lhvMWhPerT: Double
    public var moisture: Double
    public var ash: Double
    public init(bulkDensityTPerM3: Double, lhvMWhPerT: Double, moisture: Double, ash: Double) {
        self.bulkDensityTPerM3 = bulkDensityTPerM3; self.lhvMWhPerT = lhvMWhPerT; self.moisture = moisture; self.ash = ash
    }
    /// Energy per m³ of bulk fuel, kWh.
    public var kWhPerM3: Double { bulkDensityTPerM3 * lhvMWhPerT * 1000 }
}

/// How the operator orders fuel.
public struct DeliveryPolicy: Sendable {
    /// Order when the level falls to this volume, m³.
    public var orderBelowM3: Double
    /// Time from order to the first truck, s.
    public var leadTimeS: Double
    /// Volume per truck, m³; time to tip one truck, s.
    public var truckVolumeM3: Double
    public var tippingTimeS: Double
    /// Fill up to this volume (never floor to ceiling), m³.
    public var fillToM3: Double
    /// Automatic ordering (false: deliveries only when an event brings them).
    public var automatic: Bool = true
    public init(orderBelowM3: Double, leadTimeS: Double, truckVolumeM3: Double, tippingTimeS: Double, fillToM3: Double, automatic: Bool = true) {
        self.orderBelowM3 = orderBelowM3; self.leadTimeS = leadTimeS; self.truckVolumeM3 = truckVolumeM3
        self.tippingTimeS = tippingTimeS; self.fillToM3 = fillToM3; self.automatic = automatic
    }
}

/// A fuel silo with one unloader per boiler, fed by tipper trucks.
public struct Silo: Sendable {
    public let grossVolumeM3: Double
    /// Reserve kept for safety (refill before it is reached), m³.
    public let reserveM3: Double
    public let fuel: FuelProperties
    public var policy: DeliveryPolicy
    /// Volume of fuel in the silo, m³.
    public private(set) var levelM3: Double
    /// Orders placed and not yet fully tipped: time the first truck arrives, trucks left.
    public private(set) var pendingArrivalS: Double? = nil
    public private(set) var pendingTrucks = 0
    private var tippingLeftS: Double = 0
    /// Counters: trucks delivered, volume delivered (m³), volume withdrawn (m³).
    public private(set) var trucksDelivered = 0
    public private(set) var deliveredM3: Double = 0
    public private(set) var withdrawnM3: Double = 0
    /// Below this volume the unloaders can no longer reach the fuel, m³.
    public let unreachableM3: Double

    public init(grossVolumeM3: Double, reserveM3: Double, fuel: FuelProperties, policy: DeliveryPolicy, initialM3: Double) {
        self.grossVolumeM3 = grossVolumeM3; self.reserveM3 = reserveM3; self.fuel = fuel; self.policy = policy
        levelM3 = initialM3
        unreachableM3 = 0.01 * grossVolumeM3
    }

    /// Puts back the silo's state kept in retentive memory: level, deliveries, an order on its way.
    public mutating func restore(levelM3 l: Double, trucksDelivered n: Int, deliveredM3 d: Double, withdrawnM3 w: Double,
                                 pendingArrivalS p: Double?, pendingTrucks k: Int, automatic: Bool) {
        levelM3 = min(grossVolumeM3, max(0, l)); trucksDelivered = n; deliveredM3 = d; withdrawnM3 = w
        pendingArrivalS = p; pendingTrucks = k; policy.automatic = automatic
    }

    public var levelPercent: Double { levelM3 / grossVolumeM3 * 100 }
    /// Fuel the unloaders can still reach.
    public var hasFuel: Bool { levelM3 > unreachableM3 }

    /// Withdraws the volume of fuel carrying `energyKWh` (LHV); returns the volume actually
    /// withdrawn, m³ (less when the silo runs out).
    public mutating func withdraw(energyKWh: Double) -> Double {
        let want = energyKWh / fuel.kWhPerM3
        let got = min(want, max(0, levelM3 - unreachableM3))
        levelM3 -= got
        withdrawnM3 += got
        return got
    }

    /// Places an order of `trucks` (0 = as many as fit) arriving at `arrivalS`.
    public mutating func order(arrivalS: Double, trucks: Int = 0) {
        guard pendingArrivalS == nil else { return }
        pendingArrivalS = arrivalS
        pendingTrucks = trucks
    }

    /// Advances the deliveries over [t, t+dt]: orders when the policy says so, tips trucks.
    public mutating func step(t: Double, dtS: Double) {
        if policy.automatic && pendingArrivalS == nil && levelM3 <= policy.orderBelowM3 {
            order(arrivalS: t + policy.leadTimeS)
        }
        guard let arrival = pendingArrivalS, t + dtS > arrival else { return }
        if tippingLeftS <= 0 {
            // a truck starts tipping; how many fit is decided at arrival, by the driver's eye
            if pendingTrucks == 0 {
                pendingTrucks = max(1, Int(((policy.fillToM3 - levelM3) / policy.truckVolumeM3).rounded(.down)))
            }
            tippingLeftS = policy.tippingTimeS
        }
        let dt = min(dtS, tippingLeftS)
        let v = policy.truckVolumeM3 * dt / policy.tippingTimeS
        levelM3 = min(grossVolumeM3, levelM3 + v)
        deliveredM3 += v
        tippingLeftS -= dt
        if tippingLeftS <= 1e-9 {
            tippingLeftS = 0
            trucksDelivered += 1
            pendingTrucks -= 1
            if pendingTrucks <= 0 { pendingArrivalS = nil; pendingTrucks = 0 }
        }
    }
}
