import Foundation
import OGIModel

/// A parsed rule expression, e.g. `applications.new[$col] + applications.carried_in[$col] == applications.results_total[$col]`.
///
/// Grammar (lowest precedence first):
/// `or` → `and` → `not` → comparison (`== != < <= > >=`) → `+ -` → `* /` → unary `-` → primary.
/// Primary: number, `"string"`, `null`, `true`, `false`, `(expr)`, `name(args)`, or a path such as
/// `year`, `$col`, `applications.new.natural`, `applications.new[$col]`, `reviews.cases.$g.total`.
public indirect enum Expr: Sendable, CustomStringConvertible {
    case number(Decimal)
    case string(String)
    case null
    case bool(Bool)
    case path([PathSegment])
    case call(String, [Expr])
    case unary(String, Expr)
    case binary(String, Expr, Expr)

    public enum PathSegment: Sendable {
        case name(String)
        case variable(String)
        case index(Expr)
    }

    public var description: String {
        switch self {
        case .number(let d): return ExactDecimal.format(d)
        case .string(let s): return "\"\(s)\""
        case .null: return "null"
        case .bool(let b): return b ? "true" : "false"
        case .path(let segs):
            var s = ""
            for seg in segs {
                switch seg {
                case .name(let n): s += s.isEmpty ? n : ".\(n)"
                case .variable(let v): s += s.isEmpty ? "$\(v)" : ".$\(v)"
                case .index(let e): s += "[\(e)]"
                }
            }
            return s
        case .call(let f, let args): return "\(f)(\(args.map(\.description).joined(separator: ", ")))"
        case .unary(let op, let e):
            let inner = e.precedence < (op == "not" ? 3 : 7) ? "(\(e))" : "\(e)"
            return op == "not" ? "not \(inner)" : "\(op)\(inner)"
        case .binary(let op, let a, let b):
            // Parentheses where the grammar needs them, so the text parses back to the same expression.
            let p = precedence
            let l = a.precedence < p ? "(\(a))" : "\(a)"
            let r = b.precedence <= p && !(b.precedence == p && (op == "and" || op == "or")) ? "(\(b))" : "\(b)"
            return "\(l) \(op) \(r)"
        }
    }

    /// Binding strength, as in the grammar: or 1, and 2, not 3, comparison 4, + - 5, * / 6, unary minus 7, primary 8.
    var precedence: Int {
        switch self {
        case .binary(let op, _, _):
            switch op {
            case "or": return 1
            case "and": return 2
            case "+", "-": return 5
            case "*", "/": return 6
            default: return 4
            }
        case .unary(let op, _): return op == "not" ? 3 : 7
        default: return 8
        }
    }
}

/// A syntax error in an expression, with the character offset where it was found.
public struct ExpressionError: Error, Sendable {
    public var offset: Int
    public var message: String
}

/// Recursive-descent parser for rule expressions.
public struct ExpressionParser {
    enum Tok: Equatable {
        case num(Decimal), str(String), ident(String), variable(String), op(String), lparen, rparen, lbracket, rbracket, comma, dot, end
    }

    private var toks: [(Tok, Int)] = []
    private var pos = 0

    /// The functions of the rule language.
    public static var functions: Set<String> { Set(functionNames) }

    /// The names of `ExpressionTypes.functions`, sorted, as a plain array: parsing a call looks its name up here,
    /// without building that table (a dictionary of tuples, whose first use costs a search of the runtime's type
    /// records) or a set for every call. A test checks the two stay the same.
    static let functionNames = [
        "abs", "all", "any", "ceil", "contains", "date", "decimals", "floor", "has_part", "len", "matches", "max", "min",
        "mod", "part_text", "round", "sum",
    ]

    /// Most tokens in one expression, and deepest nesting of parentheses, brackets, calls and unary operators:
    /// beyond these an expression is refused at load (a deeper one could exhaust the stack).
    public static let maxTokens = 600
    public static let maxDepth = 64

    private var depth = 0

    public static func parse(_ source: String) throws -> Expr {
        var p = ExpressionParser()
        p.toks = try lex(source)
        if p.toks.count > maxTokens + 1 {
            throw ExpressionError(
                offset: p.toks[maxTokens].1, message: "the expression has more than \(maxTokens) tokens; split the rule into smaller ones")
        }
        let e = try p.parseOr()
        guard case .end = p.toks[p.pos].0 else {
            throw ExpressionError(offset: p.toks[p.pos].1, message: "unexpected \(p.describe(p.toks[p.pos].0)) after a complete expression")
        }
        return e
    }

    static func lex(_ s: String) throws -> [(Tok, Int)] {
        // Most expressions are ASCII: read as bytes, where a byte is a character (no CR, which joins LF into
        // one character), with the same tokens, offsets and errors as the character reading below.
        if !s.utf8.contains(where: { $0 >= 0x80 || $0 == 0x0D }) { return try lexASCII(Array(s.utf8)) }
        return try lexCharacters(s)
    }

    /// `lex` of an ASCII text without CR, byte by byte.
    static func lexASCII(_ b: [UInt8]) throws -> [(Tok, Int)] {
        func text(_ r: Range<Int>) -> String { String(decoding: b[r], as: UTF8.self) }
        func isDigit(_ c: UInt8) -> Bool { c >= 0x30 && c <= 0x39 }
        func isLetter(_ c: UInt8) -> Bool { (c | 0x20) >= 0x61 && (c | 0x20) <= 0x7A }
        func isIdent(_ c: UInt8) -> Bool { c == 0x5F || isLetter(c) || isDigit(c) }
        var out: [(Tok, Int)] = []
        var i = 0
        while i < b.count {
            let c = b[i]
            // Character.isWhitespace in ASCII: tab, LF, VT, FF, CR and space.
            if (c >= 0x09 && c <= 0x0D) || c == 0x20 { i += 1; continue }
            let start = i
            if isDigit(c) {
                var j = i
                while j < b.count, isDigit(b[j]) || b[j] == 0x2E {
                    if b[j] == 0x2E, j + 1 < b.count, !isDigit(b[j + 1]) { break }
                    j += 1
                }
                guard let d = OGIModel.ExactDecimal.parse(text(i..<j)) else {
                    throw ExpressionError(offset: i, message: "'\(text(i..<j))' is not a number")
                }
                out.append((.num(d), start)); i = j; continue
            }
            if c == 0x22 || c == 0x27 {
                var j = i + 1
                while j < b.count, b[j] != c { j += 1 }
                guard j < b.count else { throw ExpressionError(offset: i, message: "unterminated string") }
                out.append((.str(text((i + 1)..<j)), start)); i = j + 1; continue
            }
            if c == 0x24 {
                var j = i + 1
                while j < b.count, isIdent(b[j]) { j += 1 }
                guard j > i + 1 else { throw ExpressionError(offset: i, message: "'$' must be followed by a variable name, e.g. $col") }
                out.append((.variable(text((i + 1)..<j)), start)); i = j; continue
            }
            if c == 0x5F || isLetter(c) {
                var j = i
                while j < b.count, isIdent(b[j]) { j += 1 }
                out.append((.ident(text(i..<j)), start)); i = j; continue
            }
            if i + 1 < b.count, b[i + 1] == 0x3D, c == 0x3D || c == 0x21 || c == 0x3C || c == 0x3E {
                out.append((.op(text(i..<(i + 2))), start)); i += 2; continue
            }
            switch c {
            case 0x3C, 0x3E, 0x2B, 0x2D, 0x2A, 0x2F: out.append((.op(text(i..<(i + 1))), start))
            case 0x28: out.append((.lparen, start))
            case 0x29: out.append((.rparen, start))
            case 0x5B: out.append((.lbracket, start))
            case 0x5D: out.append((.rbracket, start))
            case 0x2C: out.append((.comma, start))
            case 0x2E: out.append((.dot, start))
            case 0x3D: throw ExpressionError(offset: i, message: "'=' is not an operator; use '==' to compare")
            default: throw ExpressionError(offset: i, message: "unexpected character '\(text(i..<(i + 1)))'")
            }
            i += 1
        }
        out.append((.end, b.count))
        return out
    }

    /// `lex` by characters (any text).
    static func lexCharacters(_ s: String) throws -> [(Tok, Int)] {
        let chars = Array(s)
        // The characters `chars[r]` as a text, appended one by one: `String(chars[r])` is the same text, but the
        // generic initialiser's first use costs a search of the runtime's conformance records.
        func text(_ r: Range<Int>) -> String {
            var out = ""
            for i in r { out.append(chars[i]) }
            return out
        }
        var out: [(Tok, Int)] = []
        var i = 0
        func isIdentStart(_ c: Character) -> Bool { c == "_" || c.isLetter }
        func isIdent(_ c: Character) -> Bool { c == "_" || c.isLetter || c.isNumber }
        while i < chars.count {
            let c = chars[i]
            if c.isWhitespace { i += 1; continue }
            let start = i
            if c.isASCII && c.isNumber {
                var j = i
                while j < chars.count, (chars[j].isASCII && chars[j].isNumber) || chars[j] == "." {
                    // A dot followed by a letter is a path separator, not a decimal point.
                    if chars[j] == ".", j + 1 < chars.count, !(chars[j + 1].isASCII && chars[j + 1].isNumber) { break }
                    j += 1
                }
                guard let d = OGIModel.ExactDecimal.parse(text(i..<j)) else {
                    throw ExpressionError(offset: i, message: "'\(text(i..<j))' is not a number")
                }
                out.append((.num(d), start)); i = j; continue
            }
            if c == "\"" || c == "'" {
                var j = i + 1
                var str = ""
                while j < chars.count, chars[j] != c { str.append(chars[j]); j += 1 }
                guard j < chars.count else { throw ExpressionError(offset: i, message: "unterminated string") }
                out.append((.str(str), start)); i = j + 1; continue
            }
            if c == "$" {
                var j = i + 1
                while j < chars.count, isIdent(chars[j]) { j += 1 }
                guard j > i + 1 else { throw ExpressionError(offset: i, message: "'$' must be followed by a variable name, e.g. $col") }
                out.append((.variable(text((i + 1)..<j)), start)); i = j; continue
            }
            if isIdentStart(c) {
                var j = i
                while j < chars.count, isIdent(chars[j]) { j += 1 }
                out.append((.ident(text(i..<j)), start)); i = j; continue
            }
            let two = i + 1 < chars.count ? text(i..<(i + 2)) : ""
            if ["==", "!=", "<=", ">="].contains(two) { out.append((.op(two), start)); i += 2; continue }
            switch c {
            case "<", ">", "+", "-", "*", "/": out.append((.op(String(c)), start))
            case "(": out.append((.lparen, start))
            case ")": out.append((.rparen, start))
            case "[": out.append((.lbracket, start))
            case "]": out.append((.rbracket, start))
            case ",": out.append((.comma, start))
            case ".": out.append((.dot, start))
            case "=": throw ExpressionError(offset: i, message: "'=' is not an operator; use '==' to compare")
            default: throw ExpressionError(offset: i, message: "unexpected character '\(c)'")
            }
            i += 1
        }
        out.append((.end, chars.count))
        return out
    }

    func describe(_ t: Tok) -> String {
        switch t {
        case .num(let d): return "number \(d)"
        case .str(let s): return "string \"\(s)\""
        case .ident(let s): return "'\(s)'"
        case .variable(let v): return "'$\(v)'"
        case .op(let o): return "'\(o)'"
        case .lparen: return "'('"
        case .rparen: return "')'"
        case .lbracket: return "'['"
        case .rbracket: return "']'"
        case .comma: return "','"
        case .dot: return "'.'"
        case .end: return "the end of the expression"
        }
    }

    private var cur: Tok { toks[pos].0 }
    private var offset: Int { toks[pos].1 }

    private mutating func expect(_ t: Tok, _ what: String) throws {
        guard cur == t else { throw ExpressionError(offset: offset, message: "expected \(what), found \(describe(cur))") }
        pos += 1
    }

    /// Enters one level of nesting, refusing more than `maxDepth`.
    private mutating func enter() throws {
        depth += 1
        if depth > Self.maxDepth {
            throw ExpressionError(
                offset: offset,
                message:
                    "the expression nests more than \(Self.maxDepth) levels deep (parentheses, brackets, calls, 'not' or '-'); simplify it")
        }
    }

    mutating func parseOr() throws -> Expr {
        try enter()
        defer { depth -= 1 }
        var e = try parseAnd()
        while cur == .ident("or") { pos += 1; e = .binary("or", e, try parseAnd()) }
        return e
    }

    mutating func parseAnd() throws -> Expr {
        var e = try parseNot()
        while cur == .ident("and") { pos += 1; e = .binary("and", e, try parseNot()) }
        return e
    }

    mutating func parseNot() throws -> Expr {
        if cur == .ident("not") { pos += 1; try enter(); defer { depth -= 1 }; return .unary("not", try parseNot()) }
        return try parseComparison()
    }

    /// The comparison operators, built once rather than as an array literal on every comparison parsed.
    static let comparisons = ["==", "!=", "<", "<=", ">", ">="]

    mutating func parseComparison() throws -> Expr {
        let e = try parseAdditive()
        if case .op(let o) = cur, Self.comparisons.contains(o) {
            pos += 1
            return .binary(o, e, try parseAdditive())
        }
        return e
    }

    mutating func parseAdditive() throws -> Expr {
        var e = try parseMultiplicative()
        while case .op(let o) = cur, o == "+" || o == "-" { pos += 1; e = .binary(o, e, try parseMultiplicative()) }
        return e
    }

    mutating func parseMultiplicative() throws -> Expr {
        var e = try parseUnary()
        while case .op(let o) = cur, o == "*" || o == "/" { pos += 1; e = .binary(o, e, try parseUnary()) }
        return e
    }

    mutating func parseUnary() throws -> Expr {
        if cur == .op("-") { pos += 1; try enter(); defer { depth -= 1 }; return .unary("-", try parseUnary()) }
        return try parsePrimary()
    }

    mutating func parsePrimary() throws -> Expr {
        let t = cur
        switch t {
        case .num(let d): pos += 1; return .number(d)
        case .str(let s): pos += 1; return .string(s)
        case .lparen:
            pos += 1
            let e = try parseOr()
            try expect(.rparen, "')'")
            return e
        case .variable, .ident:
            if case .ident(let name) = t {
                switch name {
                case "null": pos += 1; return .null
                case "true": pos += 1; return .bool(true)
                case "false": pos += 1; return .bool(false)
                case "and", "or", "not":
                    throw ExpressionError(offset: offset, message: "expected a value, found '\(name)'")
                default: break
                }
                if toks[pos + 1].0 == .lparen {
                    guard Self.functionNames.contains(name) else {
                        throw ExpressionError(
                            offset: offset,
                            message: "unknown function '\(name)'; available: \(Self.functionNames.joined(separator: ", "))")
                    }
                    pos += 2
                    var args: [Expr] = []
                    if cur != .rparen {
                        args.append(try parseOr())
                        while cur == .comma { pos += 1; args.append(try parseOr()) }
                    }
                    try expect(.rparen, "')' after the arguments of \(name)")
                    return .call(name, args)
                }
            }
            return try parsePath()
        default:
            throw ExpressionError(offset: offset, message: "expected a value, found \(describe(t))")
        }
    }

    mutating func parsePath() throws -> Expr {
        var segs: [Expr.PathSegment] = []
        func segment() throws {
            switch cur {
            case .ident(let n): segs.append(.name(n)); pos += 1
            case .variable(let v): segs.append(.variable(v)); pos += 1
            case .num(let d):
                // Keys never start with digits, but allow them for completeness (e.g. a row key "2").
                segs.append(.name(ExactDecimal.format(d))); pos += 1
            default: throw ExpressionError(offset: offset, message: "expected a name after '.', found \(describe(cur))")
            }
        }
        try segment()
        while true {
            if cur == .dot {
                pos += 1; try segment()
            } else if cur == .lbracket {
                pos += 1
                segs.append(.index(try parseOr()))
                try expect(.rbracket, "']'")
            } else {
                break
            }
        }
        return .path(segs)
    }
}
