import OGILint
import OGIModel
import OGIRules

// Whole-run entry points under the names the formatters had before the `OutputFormat` protocol, for callers
// that hold every result in memory (the web server, tests). Each renders through the format's protocol.

public enum JSONFormatter {
    public static func format(_ inputs: [CheckedInput], version: String) -> String {
        JSONFormat.render(inputs, run: RunStart(files: inputs.map(\.path)), options: OutputOptions(version: version))
    }
}

public enum SARIFFormatter {
    public static func format(_ inputs: [CheckedInput], rules: [Rule], version: String) -> String {
        SARIFFormat.render(inputs, run: RunStart(files: inputs.map(\.path), rules: rules), options: OutputOptions(version: version))
    }
}

public enum JUnitFormatter {
    public static func format(_ inputs: [CheckedInput], rules: [Rule], failOn: Severity?) -> String {
        JUnitFormat.render(inputs, run: RunStart(files: inputs.map(\.path), rules: rules), options: OutputOptions(failOn: failOn))
    }
}

public enum GitHubFormatter {
    public static func format(_ inputs: [CheckedInput]) -> String { GitHubFormat.render(inputs, run: RunStart(files: inputs.map(\.path))) }
}

public enum MarkdownFormatter {
    public static func format(_ inputs: [CheckedInput]) -> String {
        MarkdownFormat.render(inputs, run: RunStart(files: inputs.map(\.path)))
    }
}

public enum HTMLReportFormatter {
    public static func format(_ inputs: [CheckedInput], templates: TemplateSet, version: String) -> String {
        HTMLFormat.render(inputs, run: RunStart(files: inputs.map(\.path), templates: templates), options: OutputOptions(version: version))
    }
}
