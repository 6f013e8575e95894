/// What `ogilint serve` is, shared by its two halves: the `serve` entry of `ogilint` (which starts the server
/// program) and the server program `ogilint-server` (which parses the options and serves).
///
/// The server is a program of its own so that `ogilint check` does not carry SwiftNIO, Hummingbird and their
/// dependencies: every run of the checker would otherwise load their code and scan their runtime records.
public enum ServerProgram {
    /// The server program's file name; `ogilint serve` looks for it in the folder of the `ogilint` binary.
    public static let executableName = "ogilint-server"

    /// The command's name in usage lines and messages, as the user types it.
    public static let commandName = "ogilint serve"

    /// One line for `ogilint --help`.
    public static let abstract = "Serve a local web page to drop drafts on and see what to fix (and its HTTP API)."

    /// The paragraph under the abstract in `ogilint serve --help`.
    public static let discussion = """
        Listens on 127.0.0.1:8080 unless told otherwise; open the address it prints. Uploads are checked in
        memory and never stored. Stop it with Ctrl-C. The API is described in docs/openapi.yaml.
        """
}
