// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "Chaufferie",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "chaufferie", targets: ["chaufferie"]),
    ],
    dependencies: [
        .package(url: "https://github.com/jpsim/Yams", from: "5.0.1"),
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
    ],
    targets: [
        .target(name: "PlantModel"),
        .target(name: "PlantControl", dependencies: ["PlantModel"]),
        .target(name: "YAMLFile", dependencies: [.product(name: "Yams", package: "Yams")]),
        .target(name: "Scenario", dependencies: ["PlantModel", "PlantControl", "YAMLFile", .product(name: "Yams", package: "Yams")]),
        .target(name: "RegisterMap", dependencies: ["YAMLFile"]),
        .target(name: "Economics"),
        .systemLibrary(name: "CModbus", pkgConfig: "libmodbus", providers: [.apt(["libmodbus-dev"])]),
        .target(name: "ModbusServer", dependencies: ["CModbus", "RegisterMap"]),
        .systemLibrary(name: "CSQLite", pkgConfig: "sqlite3", providers: [.apt(["libsqlite3-dev"])]),
        .target(name: "Historian", dependencies: ["CSQLite"]),
        .target(name: "Runtime", dependencies: ["PlantModel", "PlantControl", "Scenario", "RegisterMap", "ModbusServer", "Historian", "Economics"]),
        .executableTarget(name: "chaufferie", dependencies: [
            "Runtime", "Historian", .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ]),
        .executableTarget(name: "historian-bench", dependencies: ["Historian"]),
        .testTarget(name: "PlantModelTests", dependencies: ["PlantModel"]),
        .testTarget(name: "PlantControlTests", dependencies: ["PlantControl"]),
        .testTarget(name: "ScenarioTests", dependencies: ["Scenario"]),
        .testTarget(name: "RegisterMapTests", dependencies: ["RegisterMap"]),
        .testTarget(name: "EconomicsTests", dependencies: ["Economics"]),
        .testTarget(name: "HistorianTests", dependencies: ["Historian"]),
        .testTarget(name: "ModbusServerTests", dependencies: ["ModbusServer", "RegisterMap", "YAMLFile"]),
        .testTarget(name: "RuntimeTests", dependencies: ["Runtime", "CModbus"]),
    ],
    swiftLanguageModes: [.v6]
)
