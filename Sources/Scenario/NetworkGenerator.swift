import Foundation
import PlantModel

/// Writes the scenario of a generated heat network of any size, for scale tests and classes: a
/// tree of trenches, buildings of mixed uses and sizes taken from the reference plant's buildings,
/// pipes, pump, boilers, buffer and silo sized by the reference study's ratios. The text is a
/// scenario file like any other (`check` reads it), the same for the same size and seed.
public enum NetworkGenerator {
    /// A kind of building the reference plant has, per kW of design load: its annual heat (the
    /// study's full-load hours), floor area, construction, emitters, curve, occupancy, gains, DHW.
    struct Template {
        let use: String
        let fullLoadHours: Double, m2PerKW: Double
        let construction: String, emitter: String, curve: String
        let comfortC: Double, reducedC: Double
        let schedule: String, gains: String
        /// DHW litres a day per kW of design load, its profile, tank litres per litre drawn a day (0: none).
        let dhwLitresPerKW: Double, dhwProfile: String, tankPerLitre: Double
    }

    /// The reference plant's buildings as templates (Scenarios/wangenbourg-trace1.yaml).
    static let templates: [Template] = [
        Template(use: "dwelling", fullLoadHours: 1300, m2PerKW: 9, construction: "medium",
                 emitter: "{ kind: radiators, supplyC: 70, returnC: 50 }", curve: "{ slope: 1.45, displacementK: 0 }",
                 comfortC: 20, reducedC: 15, schedule: "[ { days: Mon-Sun, from: \"06:00\", to: \"23:00\" } ]",
                 gains: "{ occupiedWPerM2: 4, unoccupiedWPerM2: 2 }", dhwLitresPerKW: 6, dhwProfile: "residential", tankPerLitre: 1.4),
        Template(use: "offices", fullLoadHours: 800, m2PerKW: 13, construction: "heavy",
                 emitter: "{ kind: radiators, supplyC: 65, returnC: 45 }", curve: "{ slope: 1.3, displacementK: 0 }",
                 comfortC: 20, reducedC: 16, schedule: "[ { days: Mon-Fri, from: \"07:00\", to: \"18:00\" } ]",
                 gains: "{ occupiedWPerM2: 12, unoccupiedWPerM2: 1 }", dhwLitresPerKW: 0, dhwProfile: "", tankPerLitre: 0),
        Template(use: "school", fullLoadHours: 1040, m2PerKW: 8, construction: "medium",
                 emitter: "{ kind: floor, supplyC: 40, returnC: 30 }", curve: "{ slope: 0.55, displacementK: 1 }",
                 comfortC: 20, reducedC: 15, schedule: "[ { days: Mon-Fri, from: \"07:00\", to: \"17:30\" } ]",
                 gains: "{ occupiedWPerM2: 10, unoccupiedWPerM2: 0.5 }", dhwLitresPerKW: 0, dhwProfile: "", tankPerLitre: 0),
        Template(use: "care", fullLoadHours: 1220, m2PerKW: 11, construction: "medium",
                 emitter: "{ kind: radiators, supplyC: 70, returnC: 50 }", curve: "{ sixPointC: [82, 71, 62, 57, 52, 39] }",
                 comfortC: 21, reducedC: 17, schedule: "[ { days: Mon-Sat, from: \"07:00\", to: \"19:00\" } ]",
                 gains: "{ occupiedWPerM2: 6, unoccupiedWPerM2: 1 }", dhwLitresPerKW: 5, dhwProfile: "residential", tankPerLitre: 2),
        Template(use: "restaurant", fullLoadHours: 1260, m2PerKW: 10, construction: "heavy",
                 emitter: "{ kind: radiators, supplyC: 70, returnC: 50 }", curve: "{ sixPointC: [82, 70, 61, 56, 51, 38] }",
                 comfortC: 20, reducedC: 16, schedule: "[ { days: Tue-Sun, from: \"10:00\", to: \"23:00\" } ]",
                 gains: "{ occupiedWPerM2: 8, unoccupiedWPerM2: 1 }", dhwLitresPerKW: 5, dhwProfile: "hotel", tankPerLitre: 1.7),
        Template(use: "hotel", fullLoadHours: 1100, m2PerKW: 7.3, construction: "heavy",
                 emitter: "{ kind: radiators, supplyC: 70, returnC: 50 }", curve: "{ slope: 1.45, displacementK: 3 }",
                 comfortC: 20, reducedC: 16, schedule: "[ { days: Mon-Sun, from: \"06:30\", to: \"23:00\" } ]",
                 gains: "{ occupiedWPerM2: 5, unoccupiedWPerM2: 2 }", dhwLitresPerKW: 6.3, dhwProfile: "hotel", tankPerLitre: 1.7),
    ]

    /// Design loads of the generated buildings, kW: the reference buildings' range (16–287 kW),
    /// in steps, so that buildings of one kind and size share their calibration.
    static let sizesKW: [Double] = [16, 20, 25, 32, 40, 50, 58, 66, 80, 107, 150, 200, 287]

    /// Inner diameters of pre-insulated steel pipes (EN 253 series, DN20–DN500), mm.
    static let diametersMM: [Double] = [21.7, 27.3, 36.0, 41.9, 53.1, 68.9, 80.9, 105.3, 130.0, 155.4, 204.9, 254.5, 303.9, 339.6, 388.8, 485.0]

    public struct Options: Sendable {
        public var substations: Int
        public var seed: UInt64
        public init(substations: Int, seed: UInt64 = 1) { self.substations = substations; self.seed = seed }
    }

    /// Modbus units one gateway port carries (1–247, the protocol's unicast range).
    public static let unitsPerPort = 247

    public static func scenario(_ o: Options) -> String {
        precondition(o.substations >= 1)
        var rng = SeededRandom(seed: o.seed)
        func pick<T>(_ a: [T]) -> T { a[min(a.count - 1, Int(rng.nextUnit() * Double(a.count)))] }
        func uniform(_ a: Double, _ b: Double) -> Double { a + (b - a) * rng.nextUnit() }
        func f(_ x: Double, _ d: Int = 1) -> String { String(format: "%.\(d)f", x) }

        // Buildings: a kind and a size each; smaller sizes more often, as in a village or a
        // district (the reference plant: 7 of 10 under 60 kW).
        struct Building { let id: String; let t: Template; let kW: Double; var node = "" }
        var buildings: [Building] = []
        for i in 0..<o.substations {
            let t = pick(templates)
            let k = Int(pow(rng.nextUnit(), 1.6) * Double(sizesKW.count))
            buildings.append(Building(id: String(format: "b%04d", i + 1), t: t, kW: sizesKW[min(k, sizesKW.count - 1)]))
        }

        // Network: streets of junctions, each junction on an earlier one (a tree that branches
        // as it goes), one to four buildings on each by service pipes of 8–40 m.
        struct Pipe { let id: String; let from: String; let to: String; let lengthM: Double; var loadKW = 0.0 }
        var pipes: [Pipe] = []
        var junctions = ["plant"]
        var parentOf: [String: String] = [:]
        var lengthTo: [String: Double] = ["plant": 0]
        var b = 0
        while b < buildings.count {
            let j = "J\(junctions.count)"
            // a street runs on from the newest junction (3 times in 10), or a branch leaves any
            // junction so far: a random recursive tree, whose depth grows as log N (the longest
            // path from the plant 0.6 km for 100 buildings, about 2 km for 5,000)
            let parent = rng.nextUnit() < 0.3 ? junctions[junctions.count - 1]
                : junctions[min(junctions.count - 1, Int(rng.nextUnit() * Double(junctions.count)))]
            let lengthM = uniform(30, 120)
            pipes.append(Pipe(id: "T\(pipes.count + 1)", from: parent, to: j, lengthM: lengthM))
            parentOf[j] = parent; lengthTo[j] = lengthTo[parent]! + lengthM
            junctions.append(j)
            let n = min(buildings.count - b, 1 + Int(rng.nextUnit() * 4))
            for _ in 0..<n {
                let s = uniform(8, 40)
                pipes.append(Pipe(id: "T\(pipes.count + 1)", from: j, to: buildings[b].id, lengthM: s))
                parentOf[buildings[b].id] = j; lengthTo[buildings[b].id] = lengthTo[j]! + s
                buildings[b].node = buildings[b].id
                b += 1
            }
        }
        // design load carried by each pipe: the buildings below it
        var loadAt: [String: Double] = [:]
        for bl in buildings {
            var n = bl.node
            while let p = parentOf[n] { loadAt[n, default: 0] += bl.kW; n = p }
        }
        let connected = buildings.reduce(0) { $0 + $1.kW }
        // Pipe sizes: the smallest whose velocity at the pipe's design flow (the whole load of its
        // buildings at a 35 K drop, no diversity) stays under 0.6 + 4·D m/s (D in m): 0.7 m/s for
        // DN20, 1.6 m/s for DN250, the usual limits for small pressure drops in district heating.
        // The loss per pipe grows with the diameter (single pre-insulated pipes: 0.13 + 1.1·D
        // W/(m·K), 0.16 W/(m·K) at DN20 as the reference plant's smallest).
        func diameterMM(loadKW: Double) -> Double {
            let q = loadKW / (4.19 * 35) / 1000   // m³/s
            for d in diametersMM {
                let dm = d / 1000
                if q / (Double.pi * dm * dm / 4) <= 0.6 + 4 * dm { return d }
            }
            return diametersMM[diametersMM.count - 1]
        }
        let longest = lengthTo.values.max() ?? 0
        let trench = pipes.reduce(0) { $0 + $1.lengthM }

        // Plant, by the reference study's ratios: boilers 1.07 × the connected load in three
        // (more above 4 MW each: the loader takes up to 5 MW a boiler), buffer 20 L per kW of
        // boilers (at most 500 m³), silo 0.315 m³ per kW, pump for the connected load at 21.5 K.
        let boilerTotal = 1.07 * connected
        let nBoilers = max(3, Int((boilerTotal / 4000).rounded(.up)))
        let boilerKW = max(10, (boilerTotal / Double(nBoilers) / 10).rounded(.up) * 10)
        let bufferM3 = min(500, max(1, 0.020 * boilerKW * Double(nBoilers)))
        let bufferHeightM = min(20, 4.2 * pow(bufferM3 / 15, 1.0 / 3))
        let siloM3 = min(5000, max(20, 0.315 * boilerKW * Double(nBoilers)))
        let pumpFlow = connected / (1.163 * 21.5)
        let headKPa = max(40, 25 + 0.12 * longest)

        var y = """
        # Generated by `chaufferie generate network --substations \(o.substations) --seed \(o.seed)`: \(o.substations) substations,
        # \(pipes.count) trenches (\(f(trench, 0)) m, longest path \(f(longest, 0)) m), \(f(connected, 0)) kW connected. Buildings are the
        # reference plant's kinds (dwelling, offices, school, care, restaurant, hotel) at sizes of its
        # range (16–287 kW); pipes, pump, boilers, buffer and silo sized by its study's ratios.
        name: Generated network, \(o.substations) substations (seed \(o.seed))
        start: 2025-01-01
        seed: \(o.seed)
        simulation:
          stepSeconds: 1
          scanSeconds: 1

        site:
          designOutdoorC: -15
          groundC: 10
          heatingDegreeDays: 3300
          monthlyMeanC: [0.0, 1.0, 4.9, 8.9, 12.9, 16.4, 18.3, 17.9, 13.6, 9.0, 4.0, 0.7]
          diurnalHalfSwingK: [2.5, 3.2, 4.2, 5.0, 5.4, 5.5, 5.8, 5.6, 5.0, 4.0, 2.8, 2.3]
          anomalySigmaK: 3.0
          coldSpell: { dayOfYear: 22, days: 6 }

        boilerRoom:
          roomC: 15
          boilers:

        """
        for k in 0..<nBoilers {
            y += "    - { id: B\(k + 1), nominalKW: \(f(boilerKW, 0)), waterVolumeM3: \(f(max(0.05, 0.0024 * boilerKW), 2)) }\n"
        }
        y += """
          gasBoilers: []
          buffer: { volumeM3: \(f(bufferM3, 1)), heightM: \(f(bufferHeightM, 2)), layers: 12, lossKWPerK: \(f(0.02 * pow(bufferM3 / 15, 2.0 / 3), 3)) }
          fuel: { name: "C1 fine forest chips", bulkDensityTPerM3: 0.25, lhvMWhPerT: 3.52, moisture: 0.20, ash: 0.004 }
          silo:
            grossVolumeM3: \(f(siloM3, 0))
            reservePercent: 15
            fillToM3: \(f(0.75 * siloM3, 0))
            initialM3: \(f(0.75 * siloM3, 0))
            orderBelowM3: \(f(0.38 * siloM3, 0))
            leadTimeHours: 48
            truckVolumeM3: 35
            tippingMinutes: 20
          supplyLaw: { coldOutdoorC: -15, coldSupplyC: 85, mildOutdoorC: 15, mildSupplyC: 70 }
          differentialSetpointKPa: 25
          boilerMinReturnC: 60
          cascade: { stageUpDelayMinutes: 20, stageDownDelayMinutes: 30, minOnMinutes: 90, minOffMinutes: 10 }

        network:
          pump: { designFlowM3PerH: \(f(pumpFlow, 1)), designHeadKPa: \(f(headKPa, 1)) }
          pipes:

        """
        for p in pipes {
            let load = loadAt[p.to] ?? 0
            let d = diameterMM(loadKW: load)
            y += "    - { id: \(p.id), from: \(p.from), to: \(p.to), lengthM: \(f(p.lengthM, 0)), innerDiameterMM: \(f(d, 1)), lossWPerMK: \(f(0.13 + 1.1 * d / 1000, 3)) }\n"
        }
        y += "\nbuildings:\n"
        for bl in buildings {
            let t = bl.t
            y += """
              - id: \(bl.id)
                use: \(t.use)
                designLoadKW: \(f(bl.kW, 0))
                annualHeatMWh: \(f(bl.kW * t.fullLoadHours / 1000, 1))
                floorAreaM2: \(f(bl.kW * t.m2PerKW, 0))
                construction: \(t.construction)
                node: \(bl.node)
                emitter: \(t.emitter)
                curve: \(t.curve)
                comfortC: \(f(t.comfortC, 0))
                reducedC: \(f(t.reducedC, 0))
                schedule: \(t.schedule)
                gains: \(t.gains)

            """
            if t.dhwLitresPerKW > 0 {
                let litres = (t.dhwLitresPerKW * bl.kW / 10).rounded() * 10
                let tank = max(0.1, (litres * t.tankPerLitre / 100).rounded() / 10)
                y += "    dhw: { litresPerDay: \(f(litres, 0)), profile: \(t.dhwProfile), tankM3: \(f(tank, 1)) }\n"
            }
        }
        // Modbus: the plant controller and the boilers on the first port, then each substation's
        // controller and meter side by side, a further port (gateway) each time one's 247 unit
        // ids are used up, as a site with more devices than one gateway carries has.
        var units: [(port: Int, unit: Int, profile: String, device: String)] = [(0, 1, "plant-controller", "plant")]
        for k in 0..<nBoilers { units.append((0, units.count + 1, "wood-chip-boiler", "B\(k + 1)")) }
        var port = 0, next = units.count + 1
        for bl in buildings {
            if next + 1 > unitsPerPort { port += 1; next = 1 }
            units.append((port, next, "substation-controller", bl.id))
            units.append((port, next + 1, "heat-meter", "\(bl.id).meter"))
            next += 2
        }
        y += "\n# Modbus TCP: \(units.count) units on \(port + 1) port\(port > 0 ? "s" : "") (gateways: the --listen port + `port`), each carrying unit ids 1–247;\n"
        y += "# the plant controller and the boilers first, then each substation's controller and its meter side by side.\n"
        y += "modbus:\n  units:\n"
        for u in units {
            y += u.port == 0 ? "    - { unit: \(u.unit), profile: \(u.profile), device: \(u.device) }\n"
                : "    - { port: \(u.port), unit: \(u.unit), profile: \(u.profile), device: \(u.device) }\n"
        }
        return y
    }
}
