// The floor program for scripts/bench.sh: it starts, loads Foundation and libyaml (through Yams), reads the
// file named on its command line and parses a small YAML document, then prints one line and exits.
// Nothing of ogilint is in it: whatever ogilint costs above this is ogilint's own work.
import Foundation
import Yams

let arguments = CommandLine.arguments
guard arguments.count == 2 else {
    FileHandle.standardError.write(Data("usage: floor FILE\n".utf8))
    exit(2)
}
guard let contents = FileManager.default.contents(atPath: arguments[1]) else {
    FileHandle.standardError.write(Data("floor: cannot read \(arguments[1])\n".utf8))
    exit(2)
}
// A small document shaped like a rule: a mapping with a scalar, a list and a nested mapping.
let document = """
id: floor
severity: error
labels: [一, 二, 三]
when:
  kind: sum
  cells: [a, b]
"""
do {
    let node = try Yams.compose(yaml: document)
    let keys = node?.mapping?.keys.count ?? 0
    print("\(contents.count) bytes, \(keys) keys")
} catch {
    FileHandle.standardError.write(Data("floor: \(error)\n".utf8))
    exit(2)
}
