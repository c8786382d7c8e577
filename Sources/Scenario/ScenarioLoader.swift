import Foundation
import Economics
import YAMLFile
import Yams
import PlantModel
import PlantControl

/// Reads and checks scenario files. Every error names the file, the line and the field.
public enum ScenarioLoader {
    /// Loads the scenario at `path` (following `extends:` to its base).
    public static func load(path: String) throws -> ScenarioSpec {
        try load(path: path, chain: [])
    }

    /// `chain`: the files that extend this one, nearest last (a file met twice is a cycle).
    static func load(path: String, chain: [String]) throws -> ScenarioSpec {
        try parse(text: TextFile.read(path), file: path, chain: chain)
    }

    public static func parse(text: String, file: String) throws -> ScenarioSpec {
        try parse(text: text, file: file, chain: [])
    }

    static func parse(text: String, file: String, chain: [String]) throws -> ScenarioSpec {
        let root = try YNode.parse(text: text, file: file)
        guard case .mapping = root.node else { throw root.fail("a scenario is a mapping of sections") }
        let top = try root.map(allowed: ["extends", "name", "start", "seed", "simulation", "site", "boilerRoom", "network",
                                         "buildings", "economics", "reference", "events", "modbus"])
        if let ext = top.optional("extends") {
            // A derived scenario: the base plant, with its own name, start, seed and events.
            let baseRel = try ext.asString()
            let dir = (file as NSString).deletingLastPathComponent
            let basePath = baseRel.hasPrefix("/") ? baseRel : (dir.isEmpty ? baseRel : "\(dir)/\(baseRel)")
            for k in ["site", "boilerRoom", "network", "buildings", "economics", "reference"] where top.has(k) {
                throw try top.required(k).fail("a scenario that extends another may set only name, start, seed, simulation and events")
            }
            guard FileManager.default.fileExists(atPath: basePath) else { throw ext.fail("base scenario '\(basePath)' not found") }
            let here = URL(fileURLWithPath: file).standardizedFileURL.resolvingSymlinksInPath().path
            let base = URL(fileURLWithPath: basePath).standardizedFileURL.resolvingSymlinksInPath().path
            if base == here || chain.contains(base) {
                throw ext.fail("'\(baseRel)' extends back to a file already in the chain (\((chain + [here]).map { ($0 as NSString).lastPathComponent }.joined(separator: " → ")) → \((base as NSString).lastPathComponent)): a cycle")
            }
            guard chain.count < 8 else { throw ext.fail("more than 8 scenarios extend one another") }
            var spec: ScenarioSpec
            do { spec = try load(path: basePath, chain: chain + [here]) } catch let e as FileError where e.line == 0 {
                throw ext.fail("base scenario '\(baseRel)': \(e.message)")
            }
            spec.file = file
            if let n = top.optional("name") { spec.name = try n.asString() }
            if let s = top.optional("start") { spec.start = try date(s) }
            if let s = top.optional("seed") { spec.seed = UInt64(try s.asInt(0...Int.max)) }
            if let sim = top.optional("simulation") { (spec.stepS, spec.scanS) = try simulation(sim) }
            if let ev = top.optional("events") {
                spec.events = try events(ev, start: spec.start, boilers: spec.boilerRoom.boilers.map(\.id), gasBoilers: spec.boilerRoom.gasBoilers.map(\.id),
                                         heatPumps: spec.boilerRoom.heatPumps.map(\.id), solarFields: spec.boilerRoom.solarFields.map(\.id),
                                         recovered: spec.boilerRoom.recoveredHeat.map(\.id), buildings: spec.buildings.map(\.id))
            }
            return spec
        }
        let name = try top.string("name")
        let start = try date(top.required("start"))
        let seed = UInt64(try top.int("seed", default: 1, 0...Int.max))
        var stepS = 1.0, scanS = 1.0
        if let sim = top.optional("simulation") { (stepS, scanS) = try simulation(sim) }
        let site = try self.site(top.required("site"))
        let room = try boilerRoom(top.required("boilerRoom"))
        let net = try network(top.required("network"))
        let bld = try buildings(top.required("buildings"), site: site)
        // every building hangs on a node of the network
        let nodes = Set(net.pipes.map(\.to))
        for (i, b) in bld.enumerated() where !nodes.contains(b.node) {
            throw try top.required("buildings").list()[i].map(allowed: buildingKeys).required("node").fail("node '\(b.node)' is not the end of any pipe")
        }
        // every branch ends at a building: a pipe to nowhere is a building left out (or removed)
        let fed = Set(bld.map(\.node)), branching = Set(net.pipes.map(\.from))
        let pipeList = try top.required("network").map(allowed: ["pump", "pipes", "endBypass"]).required("pipes").list()
        for (i, p) in net.pipes.enumerated() where !branching.contains(p.to) && !fed.contains(p.to) {
            throw try pipeList[i].map(allowed: ["id", "from", "to", "lengthM", "innerDiameterMM", "lossWPerMK"]).required("to")
                .fail("pipe '\(p.id)' ends at node '\(p.to)', where no building is and no pipe goes on")
        }
        // the pump must be able to hold the differential pressure asked of it
        if room.control.differentialSetpointKPa > net.pumpDesignHeadKPa {
            throw try top.required("boilerRoom").map(allowed: boilerRoomKeys).required("differentialSetpointKPa")
                .fail("\(room.control.differentialSetpointKPa) kPa is above the pump's design head (\(net.pumpDesignHeadKPa) kPa)")
        }
        // the substations' exchangers are sized on the network's design supply: it must stand
        // above every building's emitter supply (a plate exchanger heats its secondary to a few
        // K under its primary). Below it the sizing has no solution; the plant was built anyway,
        // with exchangers that passed the primary water back almost as hot as it came
        let law = room.control.supplyLaw
        if let b = bld.first(where: { law.coldSupplyC < $0.emitterSupplyC + 2 }) {
            throw try top.required("boilerRoom").map(allowed: boilerRoomKeys).required("supplyLaw")
                .map(allowed: supplyLawKeys).required("coldSupplyC")
                .fail("\(law.coldSupplyC) °C cannot feed building '\(b.id)', whose emitters are designed for \(b.emitterSupplyC) °C: the network's design supply must stand at least 2 K above every building's emitter supply")
        }
        var econ: EconomicTerms?
        if let e = top.optional("economics") {
            econ = try economics(e)
            // gas burned is a cost: a plant with gas boilers states its price, never 0 € by default
            if !room.gasBoilers.isEmpty && econ?.gasEURPerMWhHHV == nil {
                throw e.fail("gasEURPerMWhHHV is required: the boiler room has gas boilers (\(room.gasBoilers.map(\.id).joined(separator: ", ")))")
            }
        }
        let ref = try reference(top.optional("reference"))
        let ev = try top.optional("events").map { try events($0, start: start, boilers: room.boilers.map(\.id), gasBoilers: room.gasBoilers.map(\.id),
                                                             heatPumps: room.heatPumps.map(\.id), solarFields: room.solarFields.map(\.id),
                                                             recovered: room.recoveredHeat.map(\.id), buildings: bld.map(\.id)) } ?? []
        let devices = ["plant"] + room.boilers.map(\.id) + room.gasBoilers.map(\.id) + room.heatPumps.map(\.id) + room.solarFields.map(\.id) + room.recoveredHeat.map(\.id) + bld.map(\.id) + bld.map { "\($0.id).meter" }
        let mb = try top.optional("modbus").map { try modbus($0, devices: devices) } ?? []
        return ScenarioSpec(name: name, file: file, start: start, seed: seed, stepS: stepS, scanS: scanS, site: site,
                            boilerRoom: room, network: net, buildings: bld, economics: econ, reference: ref, events: ev, modbus: mb)
    }

    static func simulation(_ n: YNode) throws -> (Double, Double) {
        let m = try n.map(allowed: ["stepSeconds", "scanSeconds"])
        let step = try m.double("stepSeconds", default: 1, 0.1...30, unit: "s")
        // The pipes' plug flow is exact at any step, the buildings, circuits, DHW tanks and return
        // nodes implicit, the buffer's upwind explicit stable while a step moves less than a layer;
        // what a step is shown to give within 1 % of the 1 s reference is in StepSizeTests.
        if let why = ScenarioSpec.stepRefusal(step) { throw try m.required("stepSeconds").fail(why) }
        let scan = try m.double("scanSeconds", default: step, 0.1...60, unit: "s")
        if (scan / step).rounded() * step != scan {
            throw try m.required("scanSeconds").fail("the scan period must be a whole number of physics steps (\(step) s)")
        }
        return (step, scan)
    }

    static func date(_ n: YNode) throws -> CivilDate {
        guard let s = n.string, let d = CivilDate(iso: s) else { throw n.fail("expected a date YYYY-MM-DD, found '\(n.string ?? "a structure")'") }
        return d
    }

    static func numbers(_ n: YNode) throws -> [String: Double] {
        guard case let .mapping(m) = n.node else { throw n.fail("expected a mapping of names to numbers") }
        var out: [String: Double] = [:]
        for (k, v) in m {
            guard case let .scalar(ks) = k else { throw n.fail("keys must be plain names") }
            out[ks.string] = try n.child(v, ks.string).asDouble()
        }
        return out
    }

    // MARK: site

    static func site(_ n: YNode) throws -> SiteSpec {
        let m = try n.map(allowed: ["designOutdoorC", "groundC", "heatingDegreeDays", "monthlyMeanC", "diurnalHalfSwingK",
                                    "anomalySigmaK", "coldSpell", "weather"])
        let design = try m.double("designOutdoorC", -40...5, unit: "°C")
        let ground = try m.double("groundC", 0...25, unit: "°C")
        let hdd = try m.double("heatingDegreeDays", 0...8000, unit: "K·day")
        let monthly = try m.required("monthlyMeanC").asDoubles(count: 12, -40...40)
        let swing = try m.optional("diurnalHalfSwingK")?.asDoubles(count: 12, 0...15) ?? [2.5, 3, 4, 5, 5.5, 5.5, 6, 5.5, 5, 4, 3, 2.5]
        let sigma = try m.double("anomalySigmaK", default: 2.8, 0...10, unit: "K")
        var centre = 20, days = 6.0
        if let cs = m.optional("coldSpell") {
            let c = try cs.map(allowed: ["dayOfYear", "days"])
            centre = try c.int("dayOfYear", 1...365)
            days = try c.double("days", 1...30, unit: "days")
        }
        let synth = SyntheticWeather(monthlyMeanC: monthly, diurnalHalfSwingK: swing, anomalySigmaK: sigma,
                                     heatingDegreeDays: hdd, designTemperatureC: design,
                                     coldSpellCentreDayOfYear: centre, coldSpellDays: days)
        var normals = synth
        normals.anomalySigmaK = 0
        var weather = SiteSpec.Weather.synthetic(synth)
        if let w = m.optional("weather") {
            let wm = try w.map(allowed: ["synthetic", "csv", "epw"])
            if let c = wm.optional("csv") { weather = .csv(path: try c.asString()) }
            else if let e = wm.optional("epw") { weather = .epw(path: try e.asString()) }
            else if let s = wm.optional("synthetic") { guard try s.asBool() else { throw s.fail("set csv or epw, or synthetic: true") } }
        }
        return SiteSpec(designOutdoorC: design, groundC: ground, heatingDegreeDays: hdd, weather: weather, normals: normals)
    }

    // MARK: boiler room

    static let supplyLawKeys = ["coldOutdoorC", "coldSupplyC", "mildOutdoorC", "mildSupplyC"]
    static let boilerRoomKeys = ["roomC", "boilers", "gasBoilers", "heatPumps", "solarFields", "recoveredHeat", "buffer", "fuel", "silo", "supplyLaw", "differentialSetpointKPa",
                                 "boilerMinReturnC", "cascade"]

    static func boilerRoom(_ n: YNode) throws -> BoilerRoomSpec {
        let m = try n.map(allowed: boilerRoomKeys)
        let roomC = try m.double("roomC", default: 15, 0...40, unit: "°C")
        var boilers: [BoilerSpec] = []
        for b in try m.optional("boilers")?.list() ?? [] {
            let bm = try b.map(allowed: ["id", "nominalKW", "waterVolumeM3"])
            let id = try bm.string("id")
            if boilers.contains(where: { $0.id == id }) { throw try bm.required("id").fail("boiler id '\(id)' used twice") }
            boilers.append(BoilerSpec(id: id, nominalKW: try bm.double("nominalKW", 10...5000, unit: "kW"),
                                      waterVolumeM3: try bm.double("waterVolumeM3", default: 0.6, 0.05...20, unit: "m³")))
        }
        var gas: [GasBoilerSpec] = []
        if let g = m.optional("gasBoilers") {
            for b in try g.list() {
                let bm = try b.map(allowed: ["id", "nominalKW"])
                let id = try bm.string("id")
                if boilers.contains(where: { $0.id == id }) || gas.contains(where: { $0.id == id }) {
                    throw try bm.required("id").fail("boiler id '\(id)' used twice (wood-chip and gas boilers share one list of ids)")
                }
                gas.append(GasBoilerSpec(id: id, nominalKW: try bm.double("nominalKW", 10...10000, unit: "kW")))
            }
        }
        // the other sources, each id once among all of the boiler room's sources
        var ids = Set(boilers.map(\.id) + gas.map(\.id))
        func sources<T>(_ key: String, _ keys: [String], _ read: (YNode) throws -> T, id: (T) -> String) throws -> [T] {
            try (m.optional(key)?.list() ?? []).map { item in
                let x = try read(item)
                guard ids.insert(id(x)).inserted else {
                    throw try item.map(allowed: keys).required("id").fail("id '\(id(x))' used twice (the boiler room's sources share one list of ids)")
                }
                return x
            }
        }
        let pumps = try sources("heatPumps", heatPumpKeys, heatPump, id: \.id)
        let solar = try sources("solarFields", solarFieldKeys, solarField, id: \.id)
        let recovered = try sources("recoveredHeat", recoveredHeatKeys, recoveredHeat, id: \.id)
        if boilers.isEmpty && gas.isEmpty && pumps.isEmpty {
            throw m.owner.fail("no heat source: give boilers (wood chips), gasBoilers or heatPumps")
        }
        if boilers.isEmpty, let b = m.optional("boilers") { throw b.fail("at least one wood-chip boiler, or leave boilers out (a plant of gas boilers or heat pumps)") }
        let bu = try m.required("buffer").map(allowed: ["volumeM3", "heightM", "layers", "lossKWPerK"])
        // wood-chip fuel and its silo; a plant without wood-chip boilers has none to give: an
        // empty silo of no fuel stands in
        var fuelName = "none", fuel = FuelProperties(bulkDensityTPerM3: 0.25, lhvMWhPerT: 3.3, moisture: 0.3, ash: 0.01)
        var grossM3 = 1.0, reserveM3 = 0.0, initialM3 = 0.0
        var policy = DeliveryPolicy(orderBelowM3: 0, leadTimeS: 0, truckVolumeM3: 1, tippingTimeS: 60, fillToM3: 1, automatic: false)
        if boilers.isEmpty {
            for k in ["fuel", "silo"] where m.optional(k) != nil {
                throw try m.required(k).fail("\(k) is for wood-chip boilers, and this boiler room has none")
            }
        } else {
            let fu = try m.required("fuel").map(allowed: ["name", "bulkDensityTPerM3", "lhvMWhPerT", "moisture", "ash"])
            fuel = FuelProperties(bulkDensityTPerM3: try fu.double("bulkDensityTPerM3", 0.1...1.0, unit: "t/m³"),
                                  lhvMWhPerT: try fu.double("lhvMWhPerT", 1...6, unit: "MWh/t"),
                                  moisture: try fu.double("moisture", 0...0.6), ash: try fu.double("ash", 0...0.1))
            fuelName = try fu.string("name", default: "wood chips")
            let si = try m.required("silo").map(allowed: ["grossVolumeM3", "reservePercent", "fillToM3", "initialM3", "orderBelowM3",
                                                          "leadTimeHours", "truckVolumeM3", "tippingMinutes", "automaticOrders"])
            grossM3 = try si.double("grossVolumeM3", 1...5000, unit: "m³")
            let fill = try si.double("fillToM3", 1...grossM3, unit: "m³")
            policy = DeliveryPolicy(orderBelowM3: try si.double("orderBelowM3", 0...fill, unit: "m³"),
                                    leadTimeS: try si.double("leadTimeHours", 0...720, unit: "h") * 3600,
                                    truckVolumeM3: try si.double("truckVolumeM3", 1...150, unit: "m³"),
                                    tippingTimeS: try si.double("tippingMinutes", 1...240, unit: "min") * 60,
                                    fillToM3: fill, automatic: try si.bool("automaticOrders", default: true))
            reserveM3 = grossM3 * (try si.double("reservePercent", 0...50, unit: "%")) / 100
            initialM3 = try si.double("initialM3", 0...grossM3, unit: "m³")
        }
        let law = try m.required("supplyLaw").map(allowed: supplyLawKeys)
        let supplyLaw = SupplyLaw(coldOutdoorC: try law.double("coldOutdoorC", -40...10, unit: "°C"),
                                  coldSupplyC: try law.double("coldSupplyC", 40...110, unit: "°C"),
                                  mildOutdoorC: try law.double("mildOutdoorC", -10...30, unit: "°C"),
                                  mildSupplyC: try law.double("mildSupplyC", 40...110, unit: "°C"))
        if supplyLaw.mildOutdoorC <= supplyLaw.coldOutdoorC { throw try m.required("supplyLaw").fail("mildOutdoorC must be above coldOutdoorC") }
        var control = PlantControlSettings(supplyLaw: supplyLaw, differentialSetpointKPa: try m.double("differentialSetpointKPa", 5...300, unit: "kPa"))
        control.boilerMinReturnC = try m.double("boilerMinReturnC", default: 60, 30...75, unit: "°C")
        if let c = m.optional("cascade") { try cascade(c, into: &control) }
        var room = BoilerRoomSpec(roomC: roomC, boilers: boilers, gasBoilers: gas,
                                  bufferVolumeM3: try bu.double("volumeM3", 0.5...500, unit: "m³"),
                                  bufferHeightM: try bu.double("heightM", 0.5...30, unit: "m"),
                                  bufferLayers: try bu.int("layers", 8...100),
                                  bufferLossKWPerK: try bu.double("lossKWPerK", 0...5, unit: "kW/K"),
                                  fuelName: fuelName, fuel: fuel, siloGrossM3: grossM3, siloReserveM3: reserveM3, siloInitialM3: initialM3,
                                  policy: policy, control: control)
        room.heatPumps = pumps; room.solarFields = solar; room.recoveredHeat = recovered
        return room
    }

    // MARK: network

    static func network(_ n: YNode) throws -> NetworkSpec {
        let m = try n.map(allowed: ["pump", "pipes", "endBypass"])
        let p = try m.required("pump").map(allowed: ["designFlowM3PerH", "designHeadKPa"])
        var bypass: EndOfLineBypass? = nil
        if let b = m.optional("endBypass") {
            let bm = try b.map(allowed: ["kvM3PerH", "closedAboveC", "bandK"])
            bypass = EndOfLineBypass(kvM3PerH: try bm.double("kvM3PerH", 0.01...5, unit: "m³/h"),
                                     closedAboveC: try bm.double("closedAboveC", 30...95, unit: "°C"),
                                     bandK: try bm.double("bandK", default: 5, 1...20, unit: "K"))
        }
        var pipes: [PipeSpec] = []
        var reached: Set<String> = ["plant"]
        for item in try m.required("pipes").list() {
            let pm = try item.map(allowed: ["id", "from", "to", "lengthM", "innerDiameterMM", "lossWPerMK"])
            let from = try pm.string("from"), to = try pm.string("to")
            guard reached.contains(from) else {
                throw try pm.required("from").fail("node '\(from)' is not the plant or the end of an earlier pipe (list pipes from the plant outward)")
            }
            if reached.contains(to) { throw try pm.required("to").fail("node '\(to)' is already fed (the network must be a tree)") }
            reached.insert(to)
            let id = try pm.string("id")
            if pipes.contains(where: { $0.id == id }) { throw try pm.required("id").fail("pipe id '\(id)' used twice") }
            pipes.append(PipeSpec(id: id, from: from, to: to, lengthM: try pm.double("lengthM", 0.5...20000, unit: "m"),
                                  innerDiameterM: try pm.double("innerDiameterMM", 10...1000, unit: "mm") / 1000,
                                  lossWPerMK: try pm.double("lossWPerMK", 0.01...5, unit: "W/(m·K)")))
        }
        if pipes.isEmpty { throw try m.required("pipes").fail("at least one pipe") }
        return NetworkSpec(pumpDesignFlowM3PerH: try p.double("designFlowM3PerH", 0.1...100_000, unit: "m³/h"),
                           pumpDesignHeadKPa: try p.double("designHeadKPa", 1...2000, unit: "kPa"), pipes: pipes, endBypass: bypass)
    }

    // MARK: buildings

    static let buildingKeys = ["id", "name", "use", "designLoadKW", "annualHeatMWh", "floorAreaM2", "construction", "node", "emitter",
                               "curve", "comfortC", "reducedC", "minFlowC", "maxFlowC", "summerCutOffC", "quickSetback", "schedule", "season", "gains", "dhw",
                               "connectYear"]

    static let weekdayNames = ["mon": 1, "tue": 2, "wed": 3, "thu": 4, "fri": 5, "sat": 6, "sun": 7]

    static func weekdays(_ n: YNode) throws -> Set<Int> {
        let s = try n.asString().lowercased()
        var out: Set<Int> = []
        for part in s.split(separator: ",") {
            let r = part.trimmingCharacters(in: .whitespaces).split(separator: "-")
            guard (1...2).contains(r.count), let a = weekdayNames[String(r[0].prefix(3))], let b = weekdayNames[String(r[r.count - 1].prefix(3))] else {
                throw n.fail("expected days like 'Mon-Fri' or 'Mon,Wed,Sat', found '\(s)'")
            }
            var d = a
            while true { out.insert(d); if d == b { break }; d = d % 7 + 1 }
        }
        return out
    }

    static func hour(_ n: YNode) throws -> Double {
        let s = try n.asString()
        let p = s.split(separator: ":")
        guard p.count == 2, let h = Int(p[0]), let mm = Int(p[1]), (0...24).contains(h), (0...59).contains(mm), h * 60 + mm <= 1440 else {
            throw n.fail("expected a time HH:MM, found '\(s)'")
        }
        return Double(h) + Double(mm) / 60
    }

    static func monthDay(_ n: YNode) throws -> (Int, Int) {
        let s = try n.asString()
        let p = s.split(separator: "-")
        guard p.count == 2, let mo = Int(p[0]), let d = Int(p[1]), (1...12).contains(mo), d >= 1, d <= CivilDate.daysInMonth(year: 2001, month: mo) else {
            throw n.fail("expected MM-DD, found '\(s)'")
        }
        return (mo, d)
    }

    static func buildings(_ n: YNode, site: SiteSpec) throws -> [BuildingSpec] {
        var out: [BuildingSpec] = []
        for item in try n.list() {
            let m = try item.map(allowed: buildingKeys)
            let id = try m.string("id")
            if out.contains(where: { $0.id == id }) { throw try m.required("id").fail("building id '\(id)' used twice") }
            guard let construction = ConstructionClass(rawValue: try m.string("construction", default: "medium")) else {
                throw try m.required("construction").fail("expected light, medium or heavy")
            }
            let em = try m.required("emitter").map(allowed: ["kind", "supplyC", "returnC"])
            guard let kind = EmitterKind(rawValue: try em.string("kind")) else { throw try em.required("kind").fail("expected radiators or floor") }
            let es = try em.double("supplyC", 25...95, unit: "°C"), er = try em.double("returnC", 20...90, unit: "°C")
            if er >= es - 2 { throw try em.required("returnC").fail("the return must be at least 2 K under the supply (\(es) °C)") }
            let cn = try m.required("curve")
            let cm = try cn.map(allowed: ["slope", "displacementK", "sixPointC"])
            let curve: HeatingCurve
            if let six = cm.optional("sixPointC") {
                curve = .sixPoint(flowC: try six.asDoubles(count: 6))
            } else {
                curve = .slope(slope: try cm.double("slope"), displacementK: try cm.double("displacementK", default: 0))
            }
            if let p = curve.problem { throw cn.fail(p) }
            let comfort = try m.double("comfortC", default: 20, 10...26, unit: "°C")
            let reduced = try m.double("reducedC", default: 16, 5...comfort, unit: "°C")
            let minFlow = try m.double("minFlowC", default: 20, 10...60, unit: "°C")
            let maxFlow = try m.double("maxFlowC", default: es + 5, max(25, minFlow)...100, unit: "°C")
            var heating = HeatingCircuitSettings(curve: curve, comfortRoomC: comfort, reducedRoomC: reduced, minFlowC: minFlow, maxFlowC: maxFlow)
            heating.summerCutOffC = try m.double("summerCutOffC", default: 16, 5...25, unit: "°C")
            heating.quickSetback = try m.bool("quickSetback", default: false)
            let periods = try weeklyPeriods(m.required("schedule"))
            var season: WeeklySchedule.Season? = nil
            if let s = m.optional("season") {
                let sm = try s.map(allowed: ["open", "close"])
                let (om, od) = try monthDay(sm.required("open")), (cmo, cd) = try monthDay(sm.required("close"))
                season = .init(openMonth: om, openDay: od, closeMonth: cmo, closeDay: cd)
            }
            var occ = 5.0, unocc = 1.0
            if let g = m.optional("gains") {
                let gm = try g.map(allowed: ["occupiedWPerM2", "unoccupiedWPerM2"])
                occ = try gm.double("occupiedWPerM2", 0...60, unit: "W/m²"); unocc = try gm.double("unoccupiedWPerM2", 0...30, unit: "W/m²")
            }
            var dhw: DHWSpec? = nil
            if let d = m.optional("dhw") {
                let dm = try d.map(allowed: ["litresPerDay", "profile", "tankM3", "priority", "disinfectionHour"])
                let prof: [Double]
                switch try dm.string("profile", default: "residential") {
                case "residential": prof = DHWDemand.residentialProfile
                case "hotel": prof = DHWDemand.hotelProfile
                default: throw try dm.required("profile").fail("expected residential or hotel")
                }
                dhw = DHWSpec(litresPerDay: try dm.double("litresPerDay", 1...100_000, unit: "L"), profile: prof,
                              tankM3: try dm.double("tankM3", 0.05...50, unit: "m³"), priority: try dm.bool("priority", default: false),
                              disinfectionHour: try dm.optional("disinfectionHour").map { try $0.asDouble(0...23.75, unit: "h") })
            }
            let design = try m.double("designLoadKW", 1...20000, unit: "kW")
            out.append(BuildingSpec(id: id, name: try m.string("name", default: id), use: try m.string("use", default: "other"),
                                    designLoadKW: design, annualHeatMWh: try m.double("annualHeatMWh", 0.1...100_000, unit: "MWh"),
                                    floorAreaM2: try m.double("floorAreaM2", 5...1_000_000, unit: "m²"), construction: construction,
                                    node: try m.string("node"), emitter: kind, emitterSupplyC: es, emitterReturnC: er,
                                    heating: heating, schedule: WeeklySchedule(periods: periods, season: season),
                                    occupiedGainsWPerM2: occ, unoccupiedGainsWPerM2: unocc, dhw: dhw,
                                    connectYear: try m.int("connectYear", default: 1, 1...60)))
        }
        if out.isEmpty { throw n.fail("at least one building") }
        return out
    }
}
