import Foundation
import OGIOutput
import OGITestSupport

@testable import OGILint

/// What a session writes for the inputs of `dir` checked on `workers` threads in `format` (the bundled rules, no
/// configuration file): the text, the inputs' paths in the order written, and how many linter replicas the run made.
func batchOutput(_ dir: URL, workers: Int, format: any OutputFormat.Type) throws -> (text: String, paths: [String], replicas: Int) {
    var o = LintSession.Options(rulesRoot: Repo.rules)
    o.workers = workers
    o.useConfiguration = false
    let session = LintSession(options: o)
    let plan = try session.plan([dir.path])
    let sink = StringSink()
    let collected = CollectedRun()
    try session.run(plan, to: RunConsumers([FormatWriter(format.init(options: OutputOptions(version: "t")), to: sink), collected]))
    return (sink.text, collected.inputs.map(\.path), session.lastReplicaCount)
}
