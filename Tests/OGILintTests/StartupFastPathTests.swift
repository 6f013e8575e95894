import ArgumentParser
import Foundation
import OGICommandLine
import OGITestSupport
import XCTest

@testable import ogilint

/// The hand parser of `check`'s common argument shapes (`CheckArgumentsFastPath`) against ArgumentParser:
/// whatever it accepts, ArgumentParser must accept with the same values; whatever ArgumentParser refuses, it
/// must leave to ArgumentParser.
final class StartupFastPathTests: XCTestCase {
    /// Parses shell arguments both ways, as `OGILintCommand.main` would; returns whether the fast path took them.
    @discardableResult
    func compare(_ argv: [String], file: StaticString = #filePath, line: UInt = #line) -> Bool {
        guard let prepared = try? CommandLineArguments.prepare(argv), let rest = CommandLineArguments.checkOnly(prepared) else {
            return false
        }
        let fast = CheckArgumentsFastPath.parse(rest)
        let parsed: CheckArguments?
        do {
            let command = try CheckCommand.parseAsRoot(rest)
            guard let check = command as? CheckCommand else {
                XCTFail("\(argv): ArgumentParser made \(type(of: command))", file: file, line: line)
                return false
            }
            parsed = check.arguments
        } catch {
            parsed = nil
        }
        guard let fast else { return false }
        XCTAssertEqual(fast, parsed, "\(argv) (prepared: \(rest))", file: file, line: line)
        // The root parser, which the main function falls back to, agrees too.
        if let root = try? OGILintCommand.parseAsRoot(prepared) as? CheckCommand {
            XCTAssertEqual(fast, root.arguments, "\(argv) from the root", file: file, line: line)
        } else {
            XCTFail("\(argv): the root parser refuses what the fast path takes", file: file, line: line)
        }
        return true
    }

    func testCommonShapesTakeTheFastPathWithTheParsersValues() {
        let common: [[String]] = [
            ["samples/clean-2021-government.txt"],
            ["check", "samples/clean-2021-government.txt"],
            ["check", "--fail-on", "never", "samples/clean-2021-government.txt"],
            ["check", "--fail-on=warning", "samples/a.txt", "samples/b.docx"],
            ["check", "--format", "json", "samples/"],
            ["check", "--format", "text", "--format", "sarif=out.sarif", "--format=html=r.html", "-q", "x/y.txt"],
            ["check", "--quiet", "--no-config", "--no-pairing", "--max-size", "10k", "x/y.txt"],
            ["check", "--rules", "r1", "--rules=r2", "--rules-root", "/tmp/rules", "x/y.txt"],
            ["check", "--agency-kind", "department", "--year", "2023", "--previous", "p/2022.txt", "x/2023.txt"],
            ["check", "--config", "c.yml", "--baseline", "b.json", "x/y.txt"],
            ["check", "--write-baseline", "b.json", "--", "x/y.txt", "-"],
            ["check", "x/y.txt", "--fail-on", "info"],
        ]
        for argv in common {
            XCTAssertTrue(compare(argv), "\(argv) should take the fast path")
        }
        let expected = CheckArguments(
            files: ["x/2023.txt"], formats: ["json"], failOn: FailThreshold(argument: "never"), quiet: true,
            agencyKind: .department, year: 2023, maxSize: ByteSize(bytes: 10 << 20))
        XCTAssertEqual(
            CheckArgumentsFastPath.parse(
                [
                    "--format", "json", "--fail-on", "never", "-q", "--agency-kind", "department", "--year", "2023", "--max-size", "10M",
                    "--", "x/2023.txt",
                ]),
            expected)
    }

    func testUnusualShapesAreLeftToArgumentParser() {
        let unusual: [[String]] = [
            ["check", "--help", "x/y.txt"], ["check", "-h"], ["--version"], ["check", "--version", "x/y.txt"],
            ["check"], ["check", "--fail-on", "never"],
            ["check", "--fail-on", "sometimes", "x/y.txt"], ["check", "--fail-on", "x/y.txt"],
            ["check", "--year", "twenty", "x/y.txt"], ["check", "--year", "-3", "x/y.txt"], ["check", "--year=", "x/y.txt"],
            ["check", "--max-size", "0", "x/y.txt"], ["check", "--agency-kind", "county", "x/y.txt"],
            ["check", "--format", "xml", "x/y.txt"], ["check", "--format", "text", "--format", "json", "x/y.txt"],
            ["check", "--config", "c.yml", "--no-config", "x/y.txt"],
            ["check", "--fail-on", "never", "--fail-on", "error", "x/y.txt"], ["check", "-q", "-q", "x/y.txt"],
            ["check", "-qq", "x/y.txt"], ["check", "--quiet=yes", "x/y.txt"], ["check", "--unknown", "x/y.txt"],
            ["check", "--config", "--", "x/y.txt"], ["check", "x/y.txt", "--format"],
            ["check", "--generate-completion-script", "bash"], ["rules"], ["model", "x/y.txt"],
        ]
        for argv in unusual {
            XCTAssertFalse(compare(argv), "\(argv) should be left to ArgumentParser")
        }
    }

    func testSubcommandNamesAreTheRootConfigurations() {
        XCTAssertEqual(CommandLineArguments.subcommands, OGILintCommand.configuration.subcommands.map { $0._commandName } + ["help"])
    }

    /// Random argument vectors from a pool of good, bad and odd words: the fast path never disagrees with
    /// ArgumentParser, and takes a good share of them.
    func testRandomVectorsAgreeWithArgumentParser() {
        let words: [[String]] = [
            ["--format", "text"], ["--format", "json"], ["--format", "sarif=o.sarif"], ["--format", "junit=o.xml"],
            ["--format", "html=o.html"], ["--format", "bogus"], ["--format=text"], ["--format="], ["--format", "json="],
            ["--fail-on", "never"], ["--fail-on", "error"], ["--fail-on", "warning"], ["--fail-on", "info"],
            ["--fail-on", "Error"], ["--fail-on=info"], ["-q"], ["--quiet"], ["--no-config"], ["--no-pairing"],
            ["--config", "c.yml"], ["--config=c.yml"], ["--baseline", "b.json"], ["--write-baseline", "w.json"],
            ["--previous", "p/2022.txt"], ["--rules", "extra"], ["--rules=more"], ["--rules-root", "root"],
            ["--agency-kind", "government"], ["--agency-kind", "department"], ["--agency-kind", "Government"],
            ["--year", "2023"], ["--year", "+2023"], ["--year", "2023.0"], ["--year", " 2023"], ["--year", "99999999999999999999"],
            ["--max-size", "50M"], ["--max-size", "1g"], ["--max-size", "12"], ["--max-size", "1.5M"],
            ["--max-size", "99999999999999G"], ["--max-size", " 7k "], ["--max-size", "-1"],
            ["x/a.txt"], ["x/b.docx"], ["dir/"], ["-"], ["--"], ["-h"], ["--bogus"], ["--quiet=1"], ["-x"], ["check"],
        ]
        var generator = SplitMix(seed: 0x0615_1A7E)
        var taken = 0
        let count = 600
        for _ in 0..<count {
            var argv: [String] = Int.random(in: 0..<3, using: &generator) == 0 ? [] : ["check"]
            for _ in 0..<Int.random(in: 1...6, using: &generator) {
                argv += words[Int.random(in: 0..<words.count, using: &generator)]
            }
            if compare(argv) { taken += 1 }
        }
        XCTAssertGreaterThan(taken, count / 10, "the fast path took too few vectors to test it")
    }
}
