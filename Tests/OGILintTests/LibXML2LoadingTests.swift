import Foundation
import OGITestSupport
import XCTest

/// The `ogilint` program loads libxml2 only for a file that needs it (HTML, or a DOCX its own scanner leaves to
/// libxml2), and says what to install when it cannot.
final class LibXML2LoadingTests: XCTestCase {
    /// The shared libraries the dynamic loader reported loading (LD_DEBUG=libs, glibc) while ogilint checked `file`.
    private func loadedLibraries(checking file: String) throws -> String {
        #if os(Linux)
            let result = try CLI.run(["check", "--fail-on", "never", file], env: ["LD_DEBUG": "libs"])
            XCTAssertEqual(result.code, 0, result.err)
            return result.err
        #else
            throw XCTSkip("LD_DEBUG is glibc's")
        #endif
    }

    func testTextAndDocxChecksDoNotLoadLibxml2() throws {
        for sample in ["samples/clean-2021-government.txt", "samples/clean-2019-department.docx"] {
            let loaded = try loadedLibraries(checking: sample)
            XCTAssertTrue(loaded.contains("libc.so"), "LD_DEBUG reported nothing for \(sample)")
            XCTAssertFalse(loaded.contains("libxml2"), "\(sample) loaded libxml2")
        }
    }

    func testHTMLCheckLoadsLibxml2() throws {
        XCTAssertTrue(try loadedLibraries(checking: "samples/clean-2021-government.html").contains("libxml2"))
    }

    /// Without libxml2 a text report is still checked; an HTML page is a tool error (exit 2) saying what to install.
    func testMissingLibxml2() throws {
        let env = ["OGILINT_LIBXML2": "/nonexistent/libxml2.so.2"]
        let text = try CLI.run(["check", "samples/clean-2021-government.txt"], env: env)
        XCTAssertEqual(text.code, 0, text.err)
        let html = try CLI.run(["check", "samples/clean-2021-government.html"], env: env)
        XCTAssertEqual(html.code, 2, html.out + html.err)
        XCTAssertTrue(html.err.contains("reading HTML needs libxml2, and /nonexistent/libxml2.so.2 could not be loaded"), html.err)
        XCTAssertTrue(html.err.contains("apt-get install libxml2"), html.err)
    }
}
