public enum OGILintVersion { public static let string = "0.1.0" }
