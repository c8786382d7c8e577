import Foundation

/// One trench of the network: a supply and a return pipe between a node and its parent.
public struct NetworkSegment: Sendable {
    public let id: String
    public let parent: Int, child: Int
    public var supply: PlugFlowPipe
    public var returnPipe: PlugFlowPipe
    /// Flow through the segment in the last step, m³/h.
    public internal(set) var flowM3PerH: Double = 0
    public init(id: String, parent: Int, child: Int, supply: PlugFlowPipe, returnPipe: PlugFlowPipe) {
        self.id = id; self.parent = parent; self.child = child; self.supply = supply; self.returnPipe = returnPipe
    }
    public var lengthM: Double { supply.lengthM }
}

/// A thermostatic bypass at the end of each branch of the network (Danfoss FJVR and the like: a
/// self-acting valve between supply and return, its sensor in the supply water): closed while
/// the supply there is at or above `closedAboveC`, opening in proportion below it, fully open
/// `bandK` lower. In summer, when the substations draw water only while their DHW tanks charge,
/// it keeps the branches warm, as network operators fit them to: without it the water stands
/// in the pipes and reaches each charge at ground temperature. The water it passes goes back
/// unchanged, at the supply temperature, into the return.
public struct EndOfLineBypass: Sendable, Equatable {
    /// Flow coefficient fully open, m³/h at 100 kPa.
    public var kvM3PerH: Double
    public var closedAboveC: Double
    public var bandK: Double
    public init(kvM3PerH: Double, closedAboveC: Double, bandK: Double = 5) {
        self.kvM3PerH = kvM3PerH; self.closedAboveC = closedAboveC; self.bandK = bandK
    }
    /// Opening 0…1 for the supply temperature at its node.
    @inline(__always) public func opening(supplyC: Double) -> Double { min(1, max(0, (closedAboveC - supplyC) / bandK)) }
}

/// The heat network: a tree of segments from the plant (node 0) to the substations, with the
/// network pump at the plant.
///
/// Hydraulics: each substation passes Q = G·√Δp at its node; Δp at a node is the pump head
/// less the drops k·Q² of the supply and return pipes on the way. The flows and pressures are
/// found by a few under-relaxed fixed-point sweeps per step, starting from the last step's.
/// Heat: supply water splits at nodes at one temperature; return water mixes by mass.
public struct HeatNetwork: Sendable {
    /// Segments in topological order: a segment's parent node is the plant or the child of an
    /// earlier segment.
    public var segments: [NetworkSegment]
    /// The node each substation hangs on.
    public let substationNode: [Int]
    public let nodeCount: Int
    public let pump: VariableSpeedPump
    /// Each segment's parent and child node and its supply + return drop coefficient, kPa/(m³/h)²,
    /// as flat arrays: the hydraulic sweeps read no segment (a copy of a segment retains its
    /// pipes' buffers).
    let segmentParent: [Int], segmentChild: [Int], segmentDropCoefficient: [Double]

    /// Last step's values: Δp at each node, kPa; flow to each substation, m³/h; pump head, kPa;
    /// total flow, m³/h; supply temperature arriving at each node, °C.
    public private(set) var nodeDifferentialKPa: [Double]
    public private(set) var substationFlowM3PerH: [Double]
    public private(set) var pumpHeadKPa: Double = 0
    public private(set) var totalFlowM3PerH: Double = 0
    public private(set) var nodeSupplyC: [Double]
    /// Return temperature arriving at the plant, °C.
    public private(set) var returnAtPlantC: Double
    private var nodeReturnEnergy: [Double]   // scratch: Σ ṁ·T of return water at each node
    private var nodeReturnMass: [Double]     // scratch: Σ flow at each node (also the hydraulics')
    private var segmentFlowScratch: [Double]
    /// The end-of-line bypass fitted at every leaf node (`bypassNodes`), and the flow each passed
    /// in the last step, m³/h.
    public let endBypass: EndOfLineBypass?
    public let bypassNodes: [Int]
    public private(set) var bypassFlowM3PerH: [Double]

    public init(segments: [NetworkSegment], substationNode: [Int], nodeCount: Int, pump: VariableSpeedPump, initialC: Double,
                endBypass: EndOfLineBypass? = nil) {
        self.segments = segments; self.substationNode = substationNode; self.nodeCount = nodeCount; self.pump = pump
        self.endBypass = endBypass
        let parents = Set(segments.map(\.parent))
        bypassNodes = endBypass == nil ? [] : segments.map(\.child).filter { !parents.contains($0) }
        bypassFlowM3PerH = [Double](repeating: 0, count: bypassNodes.count)
        segmentParent = segments.map(\.parent); segmentChild = segments.map(\.child)
        segmentDropCoefficient = segments.map { $0.supply.pressureCoefficient + $0.returnPipe.pressureCoefficient }
        nodeDifferentialKPa = [Double](repeating: 0, count: nodeCount)
        substationFlowM3PerH = [Double](repeating: 0, count: substationNode.count)
        nodeSupplyC = [Double](repeating: initialC, count: nodeCount)
        returnAtPlantC = initialC
        nodeReturnEnergy = [Double](repeating: 0, count: nodeCount)
        nodeReturnMass = [Double](repeating: 0, count: nodeCount)
        segmentFlowScratch = [Double](repeating: 0, count: segments.count)
    }

    public var trenchLengthM: Double { segments.reduce(0) { $0 + $1.lengthM } }

    /// Heat stored in all pipes at time `t`, kJ.
    public func storedKJ(at t: Double) -> Double {
        segments.reduce(0) { $0 + $1.supply.storedKJ(at: t) + $1.returnPipe.storedKJ(at: t) }
    }

    /// Lowest differential pressure over the substations' nodes, kPa (the index circuit).
    public var lowestSubstationDifferentialKPa: Double {
        substationNode.reduce(Double.infinity) { min($0, nodeDifferentialKPa[$1]) }
    }

    /// Solves flows and pressures for substation conductances `g` (m³/h per √kPa), their flow
    /// limits `maxFlows` (m³/h) and pump speed `speed` (0 = stopped).
    public mutating func solveHydraulics(conductances g: [Double], maxFlows: [Double], speed: Double) {
        let n = segments.count
        // every array through its buffer, taken out of `self` for the sweeps: a write to a stored
        // array checks its uniqueness each time, and the sweeps write thousands a step
        var segFlow = segmentFlowScratch, subFlow = substationFlowM3PerH, byFlow = bypassFlowM3PerH
        var dp = nodeDifferentialKPa, mass = nodeReturnMass
        segmentFlowScratch = []; substationFlowM3PerH = []; bypassFlowM3PerH = []; nodeDifferentialKPa = []; nodeReturnMass = []
        let bypass = endBypass, pump = pump
        var head = pumpHeadKPa, total = totalFlowM3PerH
        segFlow.withUnsafeMutableBufferPointer { segFlow in
        subFlow.withUnsafeMutableBufferPointer { subFlow in
        byFlow.withUnsafeMutableBufferPointer { byFlow in
        dp.withUnsafeMutableBufferPointer { dp in
        mass.withUnsafeMutableBufferPointer { mass in
        substationNode.withUnsafeBufferPointer { subNode in
        bypassNodes.withUnsafeBufferPointer { byNode in
        nodeSupplyC.withUnsafeBufferPointer { nodeSupplyC in
        segmentParent.withUnsafeBufferPointer { parent in
        segmentChild.withUnsafeBufferPointer { child in
        segmentDropCoefficient.withUnsafeBufferPointer { drop in
        g.withUnsafeBufferPointer { g in
        maxFlows.withUnsafeBufferPointer { maxFlows in
            for sweep in 0..<4 {
                // flows from the last pressures
                total = 0.0
                for i in 0..<subNode.count {
                    let p = max(0, dp[subNode[i]])
                    let q = speed > 0 ? min(maxFlows[i], g[i] * p.squareRoot()) : 0
                    subFlow[i] = sweep == 0 ? q : 0.5 * (subFlow[i] + q)
                    total += subFlow[i]
                }
                // the end-of-line bypasses, opened by the supply their sensors felt at the last step
                if let b = bypass {
                    for j in 0..<byNode.count {
                        let node = byNode[j]
                        let p = max(0, dp[node])
                        let q = speed > 0 ? b.opening(supplyC: nodeSupplyC[node]) * b.kvM3PerH * (p / 100).squareRoot() : 0
                        byFlow[j] = sweep == 0 ? q : 0.5 * (byFlow[j] + q)
                        total += byFlow[j]
                    }
                }
                // segment flows bottom-up: each node's substations and the segments below it (the
                // segments are in topological order, so backwards every child comes before its
                // parent): one pass over the segments instead of a walk from each substation
                for i in 0..<mass.count { mass[i] = 0 }
                for i in 0..<subNode.count { mass[subNode[i]] += subFlow[i] }
                for j in 0..<byNode.count { mass[byNode[j]] += byFlow[j] }
                for k in stride(from: n - 1, through: 0, by: -1) {
                    let q = mass[child[k]]
                    segFlow[k] = q
                    mass[parent[k]] += q
                }
                // pressures from the flows
                head = speed > 0 ? pump.headKPa(flowM3PerH: total, speed: speed) : 0
                dp[0] = head
                for k in 0..<n {
                    let q = segFlow[k]
                    dp[child[k]] = dp[parent[k]] - drop[k] * q * q
                }
            }
        }}}}}}}}}}}}}
        pumpHeadKPa = head
        totalFlowM3PerH = total
        segmentFlowScratch = segFlow; substationFlowM3PerH = subFlow; bypassFlowM3PerH = byFlow
        nodeDifferentialKPa = dp; nodeReturnMass = mass
        for k in 0..<n { segments[k].flowM3PerH = segFlow[k] }
    }

    /// Moves the supply water out over [t, t+dt] from the plant at `plantSupplyC`; sets the
    /// supply temperature arriving at every node.
    public mutating func stepSupply(t: Double, dtS: Double, plantSupplyC: Double) {
        nodeSupplyC[0] = plantSupplyC
        for k in 0..<segments.count {
            let p = segments[k].parent
            segments[k].supply.step(t: t, dtS: dtS, flowM3PerS: segments[k].flowM3PerH / 3600, inletC: nodeSupplyC[p])
            nodeSupplyC[segments[k].child] = segments[k].supply.outletC
        }
    }

    /// Brings the return water back over [t, t+dt] from the substations' return temperatures.
    public mutating func stepReturn(t: Double, dtS: Double, substationReturnC: [Double]) {
        for i in 0..<nodeCount { nodeReturnEnergy[i] = 0; nodeReturnMass[i] = 0 }
        for i in 0..<substationNode.count {
            let q = substationFlowM3PerH[i]
            nodeReturnEnergy[substationNode[i]] += q * substationReturnC[i]
            nodeReturnMass[substationNode[i]] += q
        }
        // a bypass returns the supply water as it came
        for j in 0..<bypassNodes.count {
            let q = bypassFlowM3PerH[j], node = bypassNodes[j]
            nodeReturnEnergy[node] += q * nodeSupplyC[node]
            nodeReturnMass[node] += q
        }
        for k in stride(from: segments.count - 1, through: 0, by: -1) {
            let c = segments[k].child
            let q = segments[k].flowM3PerH
            let tin = nodeReturnMass[c] > 1e-12 ? nodeReturnEnergy[c] / nodeReturnMass[c] : segments[k].returnPipe.outletC
            segments[k].returnPipe.step(t: t, dtS: dtS, flowM3PerS: q / 3600, inletC: tin)
            let p = segments[k].parent
            nodeReturnEnergy[p] += q * segments[k].returnPipe.outletC
            nodeReturnMass[p] += q
        }
        if nodeReturnMass[0] > 1e-12 { returnAtPlantC = nodeReturnEnergy[0] / nodeReturnMass[0] }
    }

    /// Heat lost by all pipes in the last step, kW.
    public var lossKW: Double { segments.reduce(0) { $0 + $1.supply.lossKW + $1.returnPipe.lossKW } }
}
