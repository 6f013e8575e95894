import ArgumentParser
import Foundation
import OGICommandLine
import OGILint
import OGIModel
import OGIOutput

struct ModelCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "model",
        abstract: "Print the report model read from a file (metadata, parts, every cell with its raw text and location).")

    enum Format: String, ExpressibleByArgument, CaseIterable { case yaml, json }

    @Argument(help: "A report file: .txt, .docx, .html, .pdf, .yml or .json.")
    var file: String

    @Option(help: "Output format: yaml or json.")
    var format: Format = .yaml

    @OptionGroup var rules: RuleOptions
    @OptionGroup var read: ReadOptions

    func run() throws {
        let linter = try rules.linter(read.lintOptions)
        let report: Report
        do { report = try linter.read(path: file) } catch { throw InputError(path: file, error: error) }
        let text: String
        do { text = try ModelWriter.write(report, format: format == .json ? .json : .yaml) } catch {
            throw OutputError.cannotWrite(path: "the model", reason: "\(error)")
        }
        try FileSink.standardOutput().writeAll(text)
    }
}
