import Foundation
import XCTest

@testable import OGIModel

/// `PathParts` answers as Foundation's `NSString` does wherever Foundation answers, and answers (instead of
/// trapping, as swift-corelibs-foundation does) on a one-character path and on a doubled slash before a last
/// non-ASCII character. Foundation cannot be asked in this process where it may trap, so those answers were
/// recorded from it in a child process, one path at a time: `nil` marks a trap.
final class PathPartsTests: XCTestCase {
    /// (path, deletingLastPathComponent, pathExtension, lastPathComponent) as Foundation gave them.
    static let recorded: [(String, String?, String?, String?)] = [
        ("b", nil, "", "b"),
        ("报", nil, "", "报"),
        (".", nil, "", "."),
        ("a/", nil, "", "a"),
        ("//", "", "", ""),
        ("///", "", "", ""),
        ("/", "/", "", "/"),
        ("dir//é", nil, nil, nil),
        ("dir//.\u{301}", nil, nil, nil),
        ("a//b", "a", "", "b"),
        ("a//b/", "a", "", "b"),
        ("/a//", "/", "", "a"),
        ("d//报告.txt", "d", "txt", "报告.txt"),
        ("//é", nil, nil, nil),
        ("a//b//c.txt", "a/b", "txt", "c.txt"),
        ("\u{600}报告.docx//", "", "docx", "\u{600}报告.docx"),
        ("\u{d}\u{a}", "", "", "\u{d}\u{a}"),
        ("\u{200d}", nil, "", "\u{200d}"),
        ("\u{d}\u{a}\u{600}b.txt//", "", "txt", "\u{d}\u{a}\u{600}b.txt"),
        ("////é\u{600}b.txt", "/", "txt", "é\u{600}b.txt"),
        ("a\u{301}\u{301}", "", "", "a\u{301}\u{301}"),
        ("a//", nil, "", "a"),
        ("\u{d}\u{a}年报../", "", "", "\u{d}\u{a}年报.."),
        ("/", "/", "", "/"),
        (".", nil, "", "."),
        ("/\u{200d}/", "", "", "/\u{200d}"),
        ("//报告.docx.hidden\u{301}\u{301}", "/", "hidden\u{301}\u{301}", "报告.docx.hidden\u{301}\u{301}"),
        ("\u{600}", nil, "", "\u{600}"),
        ("a", nil, "", "a"),
        ("\u{600}//", "", "", "\u{600}/"),
        (".hiddenb.txt//年报b.txt", ".hiddenb.txt", "txt", "年报b.txt"),
        ("\u{301}", nil, "", "\u{301}"),
        ("///报告.docx\u{600}a", "/", "docx\u{600}a", "报告.docx\u{600}a"),
        ("报告.docx.hidden报告.docx////", "", "docx", "报告.docx.hidden报告.docx"),
        ("../", "", "", ".."),
        ("é", nil, "", "é"),
        ("//..", "/", "", ".."),
        ("报告.docxx.HTML/", "", "HTML", "报告.docxx.HTML"),
        ("年报//.b.txt", "年报", "txt", ".b.txt"),
        ("/b.txt//", "/", "txt", "b.txt"),
        ("./", nil, "", "."),
        ("x.HTML//", "", "HTML", "x.HTML"),
        ("////", "", "", ""),
        ("é/", nil, "", "é"),
        ("//年报/.hidden", "/年报", "", ".hidden"),
        ("//\u{200d}年报/.hidden", "//\u{200d}年报", "", ".hidden"),
        ("//..\u{200d}", "/", "", "..\u{200d}"),
        (".hidden年报//报告.docx", ".hidden年报", "docx", "报告.docx"),
        ("年报..//", "", "", "年报.."),
        ("/\u{200d}..//报告.docx", "/\u{200d}..", "docx", "报告.docx"),
        ("//é报告.docx//", "/", "docx", "é报告.docx"),
        ("//aa/a", "/aa", "", "a"),
        ("/\u{600}a//.hidden", "/\u{600}a", "", ".hidden"),
        ("\u{301}\u{301}", "", "", "\u{301}\u{301}"),
        ("/年报....//", "/", "", "年报...."),
        (".é\u{200d}报告.docx//", "", "docx", ".é\u{200d}报告.docx"),
        ("éx.HTML\u{301}/", "", "HTML\u{301}", "éx.HTML\u{301}"),
        ("//\u{200d}é", "/", "", "/\u{200d}é"),
        ("报告.docx/", "", "docx", "报告.docx"),
        ("////\u{600}..", nil, nil, nil),
        ("\u{301}x.HTML\u{600}报告.docx/", "", "docx", "\u{301}x.HTML\u{600}报告.docx"),
        ("/\u{600}a./", "/", "", "\u{600}a."),
        ("//", "", "", ""),
        ("é//é.hidden..", "é", "", "é.hidden.."),
        ("//\u{200d}\u{d}\u{a}\u{301}", "/", "", "/\u{200d}\u{d}\u{a}\u{301}"),
        ("é//报告.docx", "é", "docx", "报告.docx"),
        ("aa.hidden/", "", "hidden", "aa.hidden"),
        ("///\u{301}/.", "//\u{301}", "", "."),
        ("\u{200d}.hidden/", "", "hidden", "\u{200d}.hidden"),
        ("ax.HTMLé/", "", "HTMLé", "ax.HTMLé"),
        ("\u{301}\u{200d}", "", "", "\u{301}\u{200d}"),
        ("x.HTML/", "", "HTML", "x.HTML"),
        ("年报/", "", "", "年报"),
        ("//b.txt\u{301}", "/", "txt\u{301}", "b.txt\u{301}"),
        ("///\u{d}\u{a}.hidden.", "/", "", "\u{d}\u{a}.hidden."),
        ("x.HTML报告.docx//", "", "docx", "x.HTML报告.docx"),
        ("\u{301}\u{301}/", "", "", "\u{301}\u{301}"),
        ("..\u{d}\u{a}//\u{200d}", "..\u{d}\u{a}", "", "/\u{200d}"),
        ("年报年报\u{200d}//", "", "", "年报年报\u{200d}"),
        ("///x.HTMLé", "/", "HTMLé", "x.HTMLé"),
        ("a////\u{600}", "a", "", "\u{600}"),
        ("///年报", "/", "", "年报"),
        ("/x.HTML//x.HTML", "/x.HTML", "HTML", "x.HTML"),
        ("/.hidden///", "/", "", ".hidden"),
        ("年报//", "", "", "年报"),
        ("/\u{d}\u{a}.///", "/", "", "\u{d}\u{a}."),
        ("a////", nil, "", "a"),
        ("x.HTML\u{200d}/", "", "HTML\u{200d}", "x.HTML\u{200d}"),
        ("///.hidden\u{d}\u{a}//", "/", "", ".hidden\u{d}\u{a}"),
    ]

    func testRecordedFoundationAnswersWhereItAnswers() {
        var compared = 0
        for (path, parent, ext, last) in Self.recorded {
            if let parent {
                XCTAssertEqual(PathParts.deletingLastPathComponent(path), parent, "parent of \(path.debugDescription)"); compared += 1
            }
            if let ext { XCTAssertEqual(PathParts.pathExtension(path), ext, "extension of \(path.debugDescription)"); compared += 1 }
            if let last {
                XCTAssertEqual(PathParts.lastPathComponent(path), last, "last component of \(path.debugDescription)"); compared += 1
            }
        }
        XCTAssertGreaterThan(compared, 200)
    }

    /// Where Foundation traps, the answer is the one the same rule gives every other path. The same holds where
    /// its slash clean-up loses its place (two or more runs of doubled slashes, or a character of several UTF-16
    /// units such as CR LF before one): it gives the parent of `//\r\n//\r\n` as `/\r\n/` and of `a///b//c` as
    /// `a/b/`.
    func testAnswersWhereFoundationTraps() {
        let cases: [(String, String, String, String)] = [
            ("b", "", "", "b"),
            ("报", "", "", "报"),
            (".", "", "", "."),
            ("a/", "", "", "a"),
            ("dir//é", "dir", "", "é"),
            ("dir//.\u{301}", "dir", "", ".\u{301}"),
            ("//é", "/", "", "é"),
            ("a//b//报", "a/b", "", "报"),
            ("//\r\n//\r\n", "/\r\n", "", "\r\n"),
            ("a///b//c", "a/b", "", "c"),
            ("d//é//r.txt", "d/é", "txt", "r.txt"),
        ]
        for (path, parent, ext, last) in cases {
            XCTAssertEqual(PathParts.deletingLastPathComponent(path), parent, path.debugDescription)
            XCTAssertEqual(PathParts.pathExtension(path), ext, path.debugDescription)
            XCTAssertEqual(PathParts.lastPathComponent(path), last, path.debugDescription)
        }
        // Every recorded trap gets an answer (the call returns).
        for (path, parent, ext, last) in Self.recorded where parent == nil || ext == nil || last == nil {
            _ = (PathParts.deletingLastPathComponent(path), PathParts.pathExtension(path), PathParts.lastPathComponent(path))
        }
    }

    /// On paths Foundation reads without trapping in this process (two characters or more, no doubled or
    /// trailing slash), the character reading and the byte shortcuts give Foundation's answers.
    func testGeneratedPathsAnswerLikeFoundation() {
        let pieces = ["/", ".", "..", "a", "b.txt", "年报", "\u{301}", "\u{600}", "\u{200D}", "\r\n", "e\u{301}", "x.HTML", ".hidden", " "]
        var state: UInt64 = 7
        func next(_ n: Int) -> Int {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int((state >> 33) % UInt64(n))
        }
        var compared = 0
        for _ in 0..<20_000 {
            let path = (0..<(1 + next(7))).map { _ in pieces[next(pieces.count)] }.joined()
            guard path.count >= 2, !path.contains("//"), !path.hasSuffix("/") else { continue }
            let ns = path as NSString
            XCTAssertEqual(PathParts.lastPathComponent(path), ns.lastPathComponent, path.debugDescription)
            let chars = PathParts.cleanedCharacters(path)
            XCTAssertEqual(String(chars), path, "nothing to clean in \(path.debugDescription)")
            XCTAssertEqual(PathParts.deletingLastPathComponent(path), ns.deletingLastPathComponent, path.debugDescription)
            XCTAssertEqual(PathParts.pathExtension(path), ns.pathExtension, path.debugDescription)
            compared += 1
        }
        XCTAssertGreaterThan(compared, 5_000)
    }
}
