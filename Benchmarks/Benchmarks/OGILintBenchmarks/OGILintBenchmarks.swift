// In-process benchmarks: reading each format, evaluating the national pack, one whole check.
// Each measures one report per iteration, so throughput is reports/s and the instruction and allocation
// counts are per report. scripts/bench-check.sh runs them against the committed thresholds in Thresholds/.
import Benchmark
import Foundation
import OGILint
import OGIModel
import OGIOutput

/// The repository root: this file is Benchmarks/Benchmarks/OGILintBenchmarks/OGILintBenchmarks.swift.
let repositoryRoot = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path

/// Fails loudly: a benchmark that silently measured nothing would guard nothing.
func fixture(_ relative: String) -> (path: String, data: Data) {
    let path = relative.hasPrefix("/") ? relative : repositoryRoot + "/" + relative
    guard let data = FileManager.default.contents(atPath: path) else {
        fatalError("benchmark input missing: \(path) (run scripts/bench-check.sh, which also makes the PDF)")
    }
    return (path, data)
}

/// The sample PDF, made by scripts/bench-pdf.sh (called by scripts/bench-check.sh) and passed here.
let pdfPath = ProcessInfo.processInfo.environment["OGILINT_BENCH_PDF"]

// Names without spaces or slashes: benchmark 1.38.1 writes threshold files under a cleaned-up name but looks
// them up under the raw one, so a name with a space never finds its thresholds.
let benchmarks: @Sendable () -> Void = {
    /// Counts that do not depend on timing: these are the ones the thresholds guard. Instructions need the
    /// machine's performance counters (perf_event_open); where those are missing the metric reads zero.
    let guardedMetrics: [BenchmarkMetric] = [.instructions, .mallocCountTotal]
    /// More than 10% worse at the 90th percentile fails `thresholds check`.
    let tenPercent = BenchmarkThresholds(relative: [.p90: 10.0])

    Benchmark.defaultConfiguration = .init(
        metrics: [.throughput, .wallClock, .peakMemoryResident] + guardedMetrics,
        warmupIterations: 3,
        scalingFactor: .one,
        maxDuration: .seconds(3),
        maxIterations: 100,
        thresholds: Dictionary(uniqueKeysWithValues: guardedMetrics.map { ($0, tenPercent) })
    )

    let linter: Linter
    do { linter = try Linter(ruleDirectories: [repositoryRoot + "/rules"]) } catch {
        fatalError("cannot load the bundled rules: \(error)")
    }

    var inputs = [
        ("text", "samples/clean-2021-government.txt"),
        ("DOCX", "samples/clean-2021-government.docx"),
        ("HTML", "samples/clean-2021-government.html"),
    ]
    if let pdfPath { inputs.append(("PDF", pdfPath)) }

    for (format, relative) in inputs {
        let input = fixture(relative)
        Benchmark("read-\(format)") { benchmark in
            for _ in benchmark.scaledIterations {
                blackHole(try linter.read(path: input.path, data: input.data))
            }
        }
    }

    let report: Report
    do { report = try linter.read(path: fixture("samples/clean-2021-government.txt").path) } catch {
        fatalError("cannot read the text sample: \(error)")
    }
    Benchmark("evaluate-national-pack") { benchmark in
        for _ in benchmark.scaledIterations {
            blackHole(linter.check(report))
        }
    }

    // What one report costs inside `ogilint check --format json`: read the file, evaluate, render.
    let textSample = fixture("samples/clean-2021-government.txt").path
    Benchmark("whole-check-text-to-JSON") { benchmark in
        for _ in benchmark.scaledIterations {
            let result = try linter.check(path: textSample)
            let input = CheckedInput(path: textSample, report: result.report, findings: result.findings)
            blackHole(JSONFormatter.format([input], version: OGILintVersion.string))
        }
    }
}
