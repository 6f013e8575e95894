import Foundation
import OGITestSupport
import XCTest
import Yams

@testable import OGIRules

/// The rule loader reads YAML with libyaml's events instead of `Yams.compose`: it must read the same trees and
/// report the same errors at the same places. Yams is the reference here.
final class YAMLEventReaderTests: XCTestCase {
    func shape(_ v: YAMLValue) -> String { yamlShape(v) }

    func shape(_ n: Node) -> String {
        let mark = n.mark.map { "\($0.line):\($0.column)" } ?? "?"
        switch n {
        case .scalar(let s): return "S(\(s.string)|\(s.style.rawValue)@\(mark))"
        case .sequence(let l): return "L@\(mark)[" + l.map(shape).joined(separator: ",") + "]"
        case .mapping(let m): return "M@\(mark){" + m.map { shape($0.key) + "=" + shape($0.value) }.joined(separator: ",") + "}"
        case .alias: return "alias"
        }
    }

    /// What the loader reported before, from Yams' error (the mapping YNode.parse used).
    func yamsError(_ text: String) -> String? {
        do {
            _ = try Yams.compose(yaml: text, .basic, .default, .utf8)
            return nil
        } catch let YamlError.scanner(context, problem, mark, _) {
            return "\(mark.line):\(mark.column) " + [context?.text, problem].compactMap { $0 }.joined(separator: " ")
        } catch let YamlError.parser(context, problem, mark, _) {
            return "\(mark.line):\(mark.column) " + [context?.text, problem].compactMap { $0 }.joined(separator: " ")
        } catch let YamlError.composer(context, problem, mark, _) {
            return "\(mark.line):\(mark.column) " + [context?.text, problem].compactMap { $0 }.joined(separator: " ")
        } catch let YamlError.duplicatedKeysInMapping(duplicates, context) {
            return "\(context.mark.line):\(context.mark.column) duplicate keys: \(duplicates.joined(separator: ", "))"
        } catch let YamlError.reader(problem, offset, value, _) {
            let (line, column) = offset.map { YNode.position(ofByte: $0, in: text) } ?? (1, 1)
            return "\(line):\(column) \(problem) (character code \(value))"
        } catch {
            return "other: \(error)"
        }
    }

    func loaderError(_ text: String) -> String? {
        do {
            _ = try YNode.parse(text, file: "f.yml")
            return nil
        } catch let RulePackError.syntax(_, line, column, problem) {
            return "\(line):\(column) \(problem)"
        } catch {
            return "other: \(error)"
        }
    }

    func testTreesMatchYams() throws {
        let texts = [
            "", "---\n", "a: 1", "# only a comment\n",
            "id: X\nlist: [一, '二', \"三\"]\nnested:\n  k: |\n    literal\n  f: >\n    folded\n  g: [x, {y: z}]\n",
            "rules:\n  - id: A-B\n    when: 'x > 1'\n    tags: !!str 12\n  - id: C\n    empty:\n",
            "base: &b {x: 1, y: [2, 3]}\nuse: *b\nseq: &s [a]\nagain: *s\n",
            "? complex\n: value\n'quoted key': v\n",
            "中文键: 中文值\n  续行\n",
        ]
        for t in texts {
            let mine = try YAMLEventReader.document(t).map(shape)
            let yams = try Yams.compose(yaml: t, .basic, .default, .utf8).map(shape)
            XCTAssertEqual(mine, yams, t)
        }
        // Every rule file of the bundled pack reads to the same tree.
        for f in try RulePackLoader.ruleFiles(in: Repo.rules) {
            let t = try String(contentsOfFile: f, encoding: .utf8)
            XCTAssertEqual(try YAMLEventReader.document(t).map(shape), try Yams.compose(yaml: t, .basic, .default, .utf8).map(shape), f)
        }
    }

    func testErrorsMatchYams() {
        let texts = [
            "a: 1\n\tb: 2\n",  // tab indentation
            "a: 'unclosed\n", "a: [1, 2\n", "a:\n  - 1\n b: 2\n", "a: b: c\n",
            "a: 1\na: 2\nb: 3\nb: 4\n",  // duplicate keys, reported sorted at the first one
            "x: 1\nz: 1\ny: 1\nz: 2\ny: 3\n",
            "a: *nowhere\n",  // undefined alias
            "a: 1\n---\nb: 2\n",  // two documents
            "a: \u{07}bell\n",  // a control character: libyaml's reader error
            "中文: 1\n中文: 2\n", "key: \"bad \\q escape\"\n", "- a\nb: c\n", "!<tag> a: [\n",
        ]
        for t in texts {
            XCTAssertNotNil(yamsError(t), t)
            XCTAssertEqual(loaderError(t), yamsError(t), t)
        }
    }
}

/// A tree as text: kinds, scalar texts and styles, and every node's line and column.
func yamlShape(_ v: YAMLValue) -> String {
    switch v {
    case .scalar(let s): return "S(\(s.string)|\(s.style.rawValue)@\(s.mark.line):\(s.mark.column))"
    case .sequence(let l): return "L@\(l.mark.line):\(l.mark.column)[" + l.map(yamlShape).joined(separator: ",") + "]"
    case .mapping(let m):
        return "M@\(m.mark.line):\(m.mark.column){" + m.map { yamlShape($0.key) + "=" + yamlShape($0.value) }.joined(separator: ",") + "}"
    }
}
