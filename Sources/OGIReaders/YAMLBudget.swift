import CYaml
import Foundation

/// Measures a YAML document from libyaml's event stream, before Yams builds any node: how many aliases it
/// uses and how large it becomes when every alias is expanded into a copy of what it names. A small file
/// that aliases one large string thousands of times (or nests aliases of aliases) is refused here instead
/// of being expanded.
enum YAMLBudget {
    /// Size of a node with everything under it expanded.
    struct Size { var nodes = 0; var bytes = 0 }

    /// Throws `ReaderError.overLimit` when the expanded document or its alias count is over the budget.
    /// Syntax errors are left for the YAML parser proper to report, with its line and column.
    static func check(_ text: String, path: String, budget: ReadBudget) throws {
        var bytes = Array(text.utf8)
        var parser = yaml_parser_t()
        guard yaml_parser_initialize(&parser) == 1 else { return }
        defer { yaml_parser_delete(&parser) }
        var anchors: [String: Size] = [:]
        // Open collections: their expanded size so far and their anchor.
        var stack: [(size: Size, anchor: String?)] = [(Size(), nil)]
        var aliases = 0
        func anchorName(_ p: UnsafeMutablePointer<yaml_char_t>?) -> String? {
            p.map { String(cString: UnsafeRawPointer($0).assumingMemoryBound(to: CChar.self)) }
        }
        func add(_ s: Size, line: Int) throws {
            var top = stack[stack.count - 1].size
            top.nodes += s.nodes
            top.bytes += s.bytes
            stack[stack.count - 1].size = top
            // Every collection is part of the document, so none may exceed what the whole may reach.
            try budget.check(
                top.nodes, budget.maxModelNodes, path,
                "expanding its YAML aliases (up to line \(line)) gives the model more values", unit: "values")
            try budget.check(
                top.bytes, budget.maxDecodedBytes, path,
                "expanding its YAML aliases (up to line \(line)) gives the model more text", unit: "bytes")
        }
        try bytes.withUnsafeMutableBufferPointer { buf in
            yaml_parser_set_input_string(&parser, buf.baseAddress, buf.count)
            var done = false
            while !done {
                var event = yaml_event_t()
                guard yaml_parser_parse(&parser, &event) == 1 else { return }
                defer { yaml_event_delete(&event) }
                let line = Int(event.start_mark.line) + 1
                switch event.type {
                case YAML_STREAM_END_EVENT:
                    done = true
                case YAML_SCALAR_EVENT:
                    let s = Size(nodes: 1, bytes: Int(event.data.scalar.length))
                    if let a = anchorName(event.data.scalar.anchor) { anchors[a] = s }
                    try add(s, line: line)
                case YAML_ALIAS_EVENT:
                    aliases += 1
                    try budget.check(
                        aliases, budget.maxYAMLAliases, path, "the model uses more YAML aliases (line \(line))", unit: "aliases")
                    if let a = anchorName(event.data.alias.anchor), let s = anchors[a] { try add(s, line: line) }
                case YAML_SEQUENCE_START_EVENT:
                    stack.append((Size(), anchorName(event.data.sequence_start.anchor)))
                case YAML_MAPPING_START_EVENT:
                    stack.append((Size(), anchorName(event.data.mapping_start.anchor)))
                case YAML_SEQUENCE_END_EVENT, YAML_MAPPING_END_EVENT:
                    guard stack.count > 1 else { return }
                    var (s, anchor) = stack.removeLast()
                    s.nodes += 1
                    if let anchor { anchors[anchor] = s }
                    try add(s, line: line)
                default:
                    break
                }
            }
        }
    }
}
