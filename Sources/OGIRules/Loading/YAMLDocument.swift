internal import CYaml

/// A position in a YAML file: 1-based line and column, as libyaml counts them.
public struct YAMLMark: Sendable, Equatable {
    public var line: Int
    public var column: Int
}

/// A node of a YAML document, read straight from libyaml's events: scalars keep their text and style,
/// aliases are replaced by the node they name, and no tags are resolved (rule files only need text).
public indirect enum YAMLValue: Sendable {
    case scalar(Scalar)
    case sequence(List)
    case mapping(Mapping)

    /// A scalar: its text, how it was written, and where.
    public struct Scalar: Sendable {
        /// How a scalar was written (libyaml's numbering).
        public enum Style: UInt32, Sendable { case any = 0, plain, singleQuoted, doubleQuoted, literal, folded }
        public var string: String
        public var style: Style
        public var mark: YAMLMark
        /// The explicit tag, when one other than `!!str` was written (`!!int 1`): keys equal only with equal tags.
        var tag: String?
    }

    /// A sequence's items in order.
    public struct List: Sendable, RandomAccessCollection {
        public var items: [YAMLValue]
        public var mark: YAMLMark
        public var startIndex: Int { 0 }
        public var endIndex: Int { items.count }
        public subscript(_ i: Int) -> YAMLValue { items[i] }
    }

    /// A mapping's pairs in document order.
    public struct Mapping: Sendable, Sequence {
        public var pairs: [(key: YAMLValue, value: YAMLValue)]
        public var mark: YAMLMark
        public var keys: [YAMLValue] { pairs.map(\.key) }
        /// The value of the first pair whose key is the scalar `key`.
        public subscript(_ key: String) -> YAMLValue? {
            for p in pairs { if case let .scalar(s) = p.key, s.string == key { return p.value } }
            return nil
        }
        public func makeIterator() -> IndexingIterator<[(key: YAMLValue, value: YAMLValue)]> { pairs.makeIterator() }
    }

    public var mark: YAMLMark {
        switch self {
        case .scalar(let s): s.mark
        case .sequence(let l): l.mark
        case .mapping(let m): m.mark
        }
    }

    /// The text of a scalar; nil for a sequence or mapping.
    public var string: String? {
        if case let .scalar(s) = self { return s.string }
        return nil
    }
}

/// Why a YAML text could not be read, with what libyaml says and where.
struct YAMLSyntaxError: Error {
    enum Kind { case reader(offset: Int?, value: Int32), located(YAMLMark), other }
    var kind: Kind
    var context: String?
    var problem: String
}

/// Reads one YAML document with libyaml's event parser into `YAMLValue`s, without building Yams nodes.
/// It reports the same errors as `Yams.compose` (syntax, duplicate keys, undefined aliases, several documents).
struct YAMLEventReader {
    private var parser = yaml_parser_t()
    private var anchors: [String: YAMLValue] = [:]
    private let text: String

    /// The document's root, or nil for an empty text.
    static func document(_ text: String) throws -> YAMLValue? {
        return try text.withUTF8Bytes { (buffer: UnsafeBufferPointer<UInt8>) throws -> YAMLValue? in
            var reader = YAMLEventReader(text: text)
            return try reader.read(buffer)
        }
    }

    private init(text: String) { self.text = text }

    private mutating func read(_ buffer: UnsafeBufferPointer<UInt8>) throws -> YAMLValue? {
        guard yaml_parser_initialize(&parser) == 1 else { throw YAMLSyntaxError(kind: .other, problem: "libyaml could not start") }
        defer { yaml_parser_delete(&parser) }
        yaml_parser_set_encoding(&parser, YAML_UTF8_ENCODING)
        let empty: [UInt8] = [0]
        return try empty.withUnsafeBufferPointer { (zero: UnsafeBufferPointer<UInt8>) throws -> YAMLValue? in
            let start = buffer.count == 0 ? zero.baseAddress : buffer.baseAddress
            yaml_parser_set_input_string(&parser, start, buffer.count)
            var event = try next()  // stream start
            yaml_event_delete(&event)
            event = try next()
            if event.type == YAML_STREAM_END_EVENT { yaml_event_delete(&event); return nil }
            yaml_event_delete(&event)  // document start
            let first = try next()
            let root = try node(first)
            var end = try next()  // document end
            yaml_event_delete(&end)
            var after = try next()
            defer { yaml_event_delete(&after) }
            if after.type != YAML_STREAM_END_EVENT {
                throw YAMLSyntaxError(
                    kind: .located(Self.mark(after.start_mark)), context: "expected a single document in the stream",
                    problem: "but found another document")
            }
            return root
        }
    }

    private static func mark(_ m: yaml_mark_t) -> YAMLMark { YAMLMark(line: Int(m.line) + 1, column: Int(m.column) + 1) }

    private static func string(_ p: UnsafeMutablePointer<yaml_char_t>?) -> String? {
        guard let p else { return nil }
        return String(cString: p)
    }

    private mutating func next() throws -> yaml_event_t {
        var event = yaml_event_t()
        guard yaml_parser_parse(&parser, &event) == 1 else { throw error() }
        return event
    }

    /// The node that starts with `first` (consumed, like every event up to the node's end).
    private mutating func node(_ first: yaml_event_t) throws -> YAMLValue {
        var first = first
        defer { yaml_event_delete(&first) }
        let mark = Self.mark(first.start_mark)
        switch first.type {
        case YAML_ALIAS_EVENT:
            let name = Self.string(first.data.alias.anchor) ?? ""
            guard let target = anchors[name] else {
                throw YAMLSyntaxError(kind: .located(mark), context: nil, problem: "found undefined alias")
            }
            return target
        case YAML_SCALAR_EVENT:
            let s = first.data.scalar
            let text = s.value.map { String(decoding: UnsafeBufferPointer(start: $0, count: s.length), as: UTF8.self) } ?? ""
            let tag = s.quoted_implicit == 1 ? nil : Self.string(s.tag).flatMap { $0 == "tag:yaml.org,2002:str" ? nil : $0 }
            let value = YAMLValue.scalar(
                .init(string: text, style: YAMLValue.Scalar.Style(rawValue: s.style.rawValue) ?? .any, mark: mark, tag: tag))
            if let a = Self.string(s.anchor) { anchors[a] = value }
            return value
        case YAML_SEQUENCE_START_EVENT:
            var items: [YAMLValue] = []
            while true {
                var e = try next()
                if e.type == YAML_SEQUENCE_END_EVENT { yaml_event_delete(&e); break }
                items.append(try node(e))
            }
            let value = YAMLValue.sequence(.init(items: items, mark: mark))
            if let a = Self.string(first.data.sequence_start.anchor) { anchors[a] = value }
            return value
        case YAML_MAPPING_START_EVENT:
            var pairs: [(key: YAMLValue, value: YAMLValue)] = []
            while true {
                var e = try next()
                if e.type == YAML_MAPPING_END_EVENT { yaml_event_delete(&e); break }
                let key = try node(e)
                let value = try node(try next())
                pairs.append((key, value))
            }
            try Self.checkDuplicates(pairs)
            let value = YAMLValue.mapping(.init(pairs: pairs, mark: mark))
            if let a = Self.string(first.data.mapping_start.anchor) { anchors[a] = value }
            return value
        default:
            throw YAMLSyntaxError(kind: .located(mark), context: nil, problem: "unexpected YAML event")
        }
    }

    /// Scalar keys that occur more than once (same text and tag), named in sorted order at the first one's place.
    private static func checkDuplicates(_ pairs: [(key: YAMLValue, value: YAMLValue)]) throws {
        guard pairs.count > 1 else { return }
        var repeated: [YAMLValue.Scalar] = []  // the first occurrence of each repeated key
        for i in 1..<pairs.count {
            guard case let .scalar(s) = pairs[i].key else { continue }
            for j in 0..<i {
                guard case let .scalar(earlier) = pairs[j].key, earlier.string == s.string, earlier.tag == s.tag else { continue }
                if !repeated.contains(where: { $0.string == s.string && $0.tag == s.tag }) { repeated.append(earlier) }
                break
            }
        }
        guard !repeated.isEmpty else { return }
        let keys = repeated.sorted { $0.string < $1.string }
        throw YAMLSyntaxError(
            kind: .located(keys[0].mark), context: nil, problem: "duplicate keys: \(keys.map(\.string).joined(separator: ", "))")
    }

    /// libyaml's error, with the line and column it gives (for a reader error, the character offset).
    private func error() -> YAMLSyntaxError {
        let problem = parser.problem.map { String(cString: $0) } ?? "unknown problem"
        switch parser.error {
        case YAML_READER_ERROR:
            let index = text.utf8.index(text.utf8.startIndex, offsetBy: parser.problem_offset, limitedBy: text.utf8.endIndex)?
                .samePosition(in: text)
            let offset = index.map { text.distance(from: text.startIndex, to: $0) }
            return YAMLSyntaxError(kind: .reader(offset: offset, value: parser.problem_value), context: nil, problem: problem)
        case YAML_SCANNER_ERROR, YAML_PARSER_ERROR, YAML_COMPOSER_ERROR:
            return YAMLSyntaxError(
                kind: .located(Self.mark(parser.problem_mark)), context: parser.context.map { String(cString: $0) }, problem: problem)
        default:
            return YAMLSyntaxError(kind: .other, context: nil, problem: problem)
        }
    }
}
