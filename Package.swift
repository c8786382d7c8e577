// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "Chaufferie",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "chaufferie", targets: ["chaufferie"]),
    ],
    dependencies: [
        .package(url: "https://github.com/jpsim/Yams", from: "5.0.1"),
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-nio-extras", from: "1.35.2"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        .package(url: "https://github.com/pointfreeco/swift-clocks", from: "1.1.1"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.1"),
    ],
    targets: [
        .target(name: "PlantModel"),
        .target(name: "Economics"),
        .target(name: "PlantControl", dependencies: ["PlantModel"]),
        .target(name: "YAMLFile", dependencies: [.product(name: "Yams", package: "Yams")]),
        .target(name: "Scenario", dependencies: ["PlantModel", "PlantControl", "YAMLFile", "Economics", .product(name: "Yams", package: "Yams")]),
        .target(name: "RegisterMap", dependencies: ["YAMLFile"]),
        .systemLibrary(name: "CModbus", pkgConfig: "libmodbus", providers: [.apt(["libmodbus-dev"])]),
        .target(name: "ModbusServer", dependencies: ["CModbus", "RegisterMap"]),
        .systemLibrary(name: "CSQLite", pkgConfig: "sqlite3", providers: [.apt(["libsqlite3-dev"])]),
        .target(name: "Historian", dependencies: ["CSQLite", .product(name: "Logging", package: "swift-log")]),
        // the runtime, one module per role: the simulation loop with its point catalogue and
        // retentive memory; recording (historian, replay log); reporting; training (exercises);
        // serving (Modbus daemon, control API, point lists)
        .target(name: "SimulationCore", dependencies: ["PlantModel", "PlantControl", "Scenario", "RegisterMap"]),
        .target(name: "PlantRecording", dependencies: ["SimulationCore", "PlantModel", "PlantControl", "Scenario", "Historian",
                                                      .product(name: "Logging", package: "swift-log")]),
        .target(name: "Reporting", dependencies: ["SimulationCore", "PlantModel", "PlantControl", "Scenario", "Historian", "Economics"]),
        .target(name: "Training", dependencies: ["SimulationCore", "PlantModel", "PlantControl", "Scenario", "YAMLFile"]),
        .target(name: "Serving", dependencies: ["SimulationCore", "PlantRecording", "Training", "PlantModel", "PlantControl", "Scenario",
                                               "RegisterMap", "ModbusServer", "Historian", "YAMLFile",
                                               .product(name: "Hummingbird", package: "hummingbird"),
                                               .product(name: "NIOCore", package: "swift-nio"), .product(name: "NIOHTTP1", package: "swift-nio"),
                                               .product(name: "NIOHTTPTypes", package: "swift-nio-extras"),
                                               .product(name: "Logging", package: "swift-log"),
                                               .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                                               .product(name: "UnixSignals", package: "swift-service-lifecycle"),
                                               .product(name: "Prometheus", package: "swift-prometheus")]),
        .executableTarget(name: "chaufferie", dependencies: [
            "SimulationCore", "PlantRecording", "Reporting", "Training", "Serving", "Historian", "ModbusServer", "Scenario", "RegisterMap",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
            .product(name: "Logging", package: "swift-log"),
            .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            .product(name: "UnixSignals", package: "swift-service-lifecycle"),
        ]),
        .executableTarget(name: "historian-bench", dependencies: ["Historian", .product(name: "Logging", package: "swift-log")]),
        .testTarget(name: "PlantModelTests", dependencies: ["PlantModel"]),
        .testTarget(name: "PlantControlTests", dependencies: ["PlantControl"]),
        .testTarget(name: "ScenarioTests", dependencies: ["Scenario", "Economics"]),
        .testTarget(name: "RegisterMapTests", dependencies: ["RegisterMap"]),
        .testTarget(name: "EconomicsTests", dependencies: ["Economics"]),
        .testTarget(name: "HistorianTests", dependencies: ["Historian", .product(name: "Logging", package: "swift-log")]),
        .testTarget(name: "ModbusServerTests", dependencies: ["ModbusServer", "RegisterMap", "YAMLFile"]),
        .testTarget(name: "RuntimeTests", dependencies: ["SimulationCore", "PlantRecording", "Reporting", "Training", "Serving", "CModbus", .product(name: "Logging", package: "swift-log"),
                                                     .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                                                     .product(name: "Clocks", package: "swift-clocks")]),
    ],
    swiftLanguageModes: [.v6]
)
