import ArgumentParser
import Foundation
import Runtime

Chaufferie.main()
