import Foundation
import OGILint

/// Arguments as the shell gave them, made unambiguous before parsing.
enum CommandLineArguments {
    static func prepare(_ args: [String]) throws -> [String] { args }
}
