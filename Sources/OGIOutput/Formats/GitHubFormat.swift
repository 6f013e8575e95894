import OGILint
import OGIModel

/// GitHub Actions workflow commands: annotations on the files of a pull request.
public final class GitHubFormat: OutputFormat {
    public static let name = "github"
    public static let purpose = "GitHub Actions annotations on the files of a pull request"

    public init(options: OutputOptions) {}

    public func begin(_ run: RunStart, to out: OutputSink) throws {}

    public func add(_ input: CheckedInput, to out: OutputSink) throws {
        var text = ""
        if let e = input.error { text += "::error file=\(Self.prop(input.path)),title=ogilint::\(Self.data(e.description))\n" }
        for f in input.findings {
            let command = f.severity == .error ? "error" : f.severity == .warning ? "warning" : "notice"
            var props = "file=\(Self.prop(input.path))"
            if let line = f.location.line { props += ",line=\(line)" }
            let place = TextLayout.position(f.location, in: input.report)
            let shown = place == "-" || f.location.line.map(String.init) == place ? "" : " \(place)"
            props += ",title=\(Self.prop("\(f.rule) (\(f.category.rawValue))\(shown)"))"
            var message = f.message
            if let fix = f.fix { message += "\n建议：\(fix)" }
            text += "::\(command) \(props)::\(Self.data(message))\n"
        }
        try out.write(text)
    }

    public func finish(_ summary: RunSummary, to out: OutputSink) throws {}

    static func data(_ s: String) -> String {
        s.replacingOccurrences(of: "%", with: "%25").replacingOccurrences(of: "\r", with: "%0D").replacingOccurrences(of: "\n", with: "%0A")
    }

    static func prop(_ s: String) -> String {
        data(s).replacingOccurrences(of: ":", with: "%3A").replacingOccurrences(of: ",", with: "%2C")
    }
}
