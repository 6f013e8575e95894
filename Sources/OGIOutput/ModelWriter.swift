import Foundation
import OGIModel
import Yams

/// Writes a report model as YAML or JSON (format `ogilint_model: 1`), readable back by `ogilint check`.
public enum ModelWriter {
    public enum Format { case yaml, json }

    public static func write(_ report: Report, format: Format) throws -> String {
        switch format {
        case .json:
            let enc = JSONEncoder()
            enc.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
            return String(decoding: try enc.encode(report), as: UTF8.self) + "\n"
        case .yaml:
            let enc = YAMLEncoder()
            enc.options.allowUnicode = true
            enc.options.sortKeys = false
            return try enc.encode(report)
        }
    }
}
