import Foundation

/// A stratified buffer tank: a stack of fully mixed layers (1-D model), top layer first.
///
/// Hot water from the boilers enters at `hotInletLayer` and the network draws from the top;
/// return water enters at the bottom and the boilers draw from the bottom. The net flow between
/// layers is carried upwind; layers exchange heat by conduction (with an effective conductivity
/// that includes mixing at the diffusers), lose heat to the room through the insulation, and a
/// layer warmer than the one above it mixes with it (buoyancy), as in TRNSYS type 4/60.
public struct BufferTank: Sendable {
    public let volumeM3: Double
    public let heightM: Double
    /// Standing-loss coefficient of the whole tank, kW/K.
    public let lossKWPerK: Double
    /// Effective vertical conductivity, W/(m·K).
    public let effectiveConductivityWPerMK: Double
    /// Layer temperatures, °C, top first.
    public private(set) var layersC: [Double]
    /// Heat lost through the insulation in the last step, kW.
    public private(set) var lossKW: Double = 0

    public init(volumeM3: Double, heightM: Double, layers: Int, lossKWPerK: Double,
                effectiveConductivityWPerMK: Double = 1.5, initialC: Double) {
        precondition(layers >= 8, "a stratified buffer needs at least 8 layers")
        self.volumeM3 = volumeM3; self.heightM = heightM; self.lossKWPerK = lossKWPerK
        self.effectiveConductivityWPerMK = effectiveConductivityWPerMK
        layersC = [Double](repeating: initialC, count: layers)
    }

    public var layerCount: Int { layersC.count }
    var layerCapacityKJPerK: Double { volumeM3 / Double(layersC.count) * Water.densityKgPerM3 * Water.cpKJPerKgK }
    public var topC: Double { layersC[0] }
    public var bottomC: Double { layersC[layersC.count - 1] }
    /// Temperature at a relative height 0 (bottom) … 1 (top), °C (the layer there).
    public func temperatureC(atRelativeHeight z: Double) -> Double {
        let n = layersC.count
        let i = min(n - 1, max(0, Int(((1 - z) * Double(n)).rounded(.down))))
        return layersC[i]
    }
    /// Heat stored relative to 0 °C, kJ.
    public var storedKJ: Double { layerCapacityKJPerK * layersC.reduce(0, +) }

    /// Advances by `dtS`. Hot inflow `hotInKgPerS` at `hotInC` into the top layer, matched by the
    /// same flow leaving the bottom to the boilers; network draw `networkKgPerS` from the top,
    /// matched by the return `networkKgPerS` at `returnInC` into the bottom.
    /// `bottomHeatKW`: heat an exchanger at the bottom gives the bottom layer (a solar coil).
    public mutating func step(dtS: Double, hotInKgPerS: Double, hotInC: Double,
                              networkKgPerS: Double, returnInC: Double, ambientC: Double, bottomHeatKW: Double = 0) {
        let n = layersC.count
        let cap = layerCapacityKJPerK
        let cp = Water.cpKJPerKgK
        // net downward flow between layers (charging positive)
        let down = hotInKgPerS - networkKgPerS
        let lossPerLayer = lossKWPerK / Double(n)
        let layerH = heightM / Double(n)
        let area = volumeM3 / heightM
        let cond = effectiveConductivityWPerMK * area / layerH / 1000   // kW/K between layers
        var loss = 0.0
        layersC.withUnsafeMutableBufferPointer { t in
            // explicit upwind; the step is small against the layer's residence time
            var prevOld = t[0]
            for i in 0..<n {
                let old = t[i]
                var q = 0.0   // kW into layer i
                if i == 0 { q += hotInKgPerS * cp * hotInC - networkKgPerS * cp * old }
                if i == n - 1 { q += networkKgPerS * cp * returnInC - hotInKgPerS * cp * old + bottomHeatKW }
                if down > 0 {
                    if i > 0 { q += down * cp * prevOld }
                    if i < n - 1 { q -= down * cp * old }
                } else if down < 0 {
                    let up = -down
                    if i < n - 1 { q += up * cp * t[i + 1] }
                    if i > 0 { q -= up * cp * old }
                }
                if i > 0 { q += cond * (prevOld - old) }
                if i < n - 1 { q += cond * (t[i + 1] - old) }
                let l = lossPerLayer * (old - ambientC)
                loss += l
                q -= l
                prevOld = old
                t[i] = old + q * dtS / cap
            }
            // buoyancy: a warmer layer below mixes upward
            var i = n - 1
            while i > 0 {
                if t[i] > t[i - 1] + 1e-9 {
                    let m = (t[i] + t[i - 1]) / 2
                    t[i] = m; t[i - 1] = m
                    var j = i - 1
                    while j > 0 && t[j] > t[j - 1] + 1e-9 {
                        // mix the whole unstable run above
                        var s = 0.0
                        for k in (j - 1)...i { s += t[k] }
                        let mm = s / Double(i - j + 2)
                        for k in (j - 1)...i { t[k] = mm }
                        j -= 1
                    }
                }
                i -= 1
            }
        }
        lossKW = loss
    }
}
