import Foundation
import Hummingbird
import HummingbirdTesting
import OGILint
import OGIOutput
import OGITestSupport
import XCTest

@testable import OGIServer

/// The HTTP API as a client uses it, through Hummingbird's test client.
final class ServerAPITests: XCTestCase {
    static let service: LintService = try! LintService(rulesRoot: Repo.rules, maxFileBytes: 50 * 1024 * 1024)

    func app(_ settings: ServerSettings = ServerSettings(), service: LintService = ServerAPITests.service) -> some ApplicationProtocol {
        Application(router: ReviewServer(service: service, settings: settings).router())
    }

    // MARK: The check endpoint gives exactly what `check` gives

    func testCheckTextEqualsTheCommandLineJSON() async throws {
        let (body, headers) = multipart([("app-balance.txt", try sample("samples/broken/app-balance.txt"))])
        let expected = try cliDocument("samples/broken/app-balance.txt")
        XCTAssertTrue(expected.contains("APP-BALANCE"))
        try await app().test(.router) { client in
            try await client.execute(uri: "/api/check", method: .post, headers: headers, body: body) { r in
                XCTAssertEqual(r.status, .ok)
                XCTAssertEqual(r.headers[.contentType], "application/json; charset=utf-8")
                XCTAssertEqual(String(buffer: r.body), expected)
            }
        }
    }

    func testCheckDocxAndABatchEqualTheCommandLine() async throws {
        let docx = try sample("samples/broken/app-balance.docx")
        let (body, headers) = multipart([("app-balance.docx", docx)])
        let expected = try cliDocument("samples/broken/app-balance.docx")
        try await app().test(.router) { client in
            try await client.execute(uri: "/api/check", method: .post, headers: headers, body: body) { r in
                XCTAssertEqual(r.status, .ok)
                XCTAssertEqual(String(buffer: r.body), expected)
            }
            // Two files: both reports, in order, and the summary over both.
            let (two, h2) = multipart([("clean.txt", try sample("samples/clean-2021-government.txt")), ("app-balance.docx", docx)])
            try await client.execute(uri: "/api/check", method: .post, headers: h2, body: two) { r in
                XCTAssertEqual(r.status, .ok)
                let json = try JSONSerialization.jsonObject(with: Data(buffer: r.body)) as! [String: Any]
                let reports = json["reports"] as! [[String: Any]]
                XCTAssertEqual(reports.map { $0["path"] as! String }, ["clean.txt", "app-balance.docx"])
                XCTAssertEqual((reports[0]["findings"] as! [Any]).count, 0)
                XCTAssertEqual((json["summary"] as! [String: Int])["reports"], 2)
                XCTAssertEqual((json["summary"] as! [String: Int])["errors"], 2)
            }
            // `only=1`: the document for the second file alone, as `check` gives for that file.
            try await client.execute(uri: "/api/check?only=1", method: .post, headers: h2, body: two) { r in
                XCTAssertEqual(String(buffer: r.body), expected)
            }
        }
    }

    func testOtherFormatsEqualTheCommandLine() async throws {
        let data = try sample("samples/broken/app-balance.txt")
        for format in [ServedFormat.sarif, .markdown, .html] {
            let (body, headers) = multipart([("app-balance.txt", data)])
            let expected = try cliDocument("samples/broken/app-balance.txt", format: format)
            try await app().test(.router) { client in
                try await client.execute(
                    uri: "/api/check?format=\(format.rawValue)&download=1", method: .post, headers: headers, body: body
                ) { r in
                    XCTAssertEqual(r.status, .ok)
                    XCTAssertEqual(r.headers[.contentType], format.contentType)
                    XCTAssertEqual(r.headers[.contentDisposition], "attachment; filename=\"ogilint-results.\(format.fileExtension)\"")
                    XCTAssertEqual(String(buffer: r.body), expected, format.rawValue)
                }
            }
        }
    }

    func testAReportModelSentAsJSON() async throws {
        let model = try sample("samples/clean-2021-government.json")
        try await app().test(.router) { client in
            try await client.execute(
                uri: "/api/check?name=draft.json", method: .post, headers: [.contentType: "application/json"],
                body: ByteBuffer(bytes: model)
            ) { r in
                XCTAssertEqual(r.status, .ok)
                let json = try JSONSerialization.jsonObject(with: Data(buffer: r.body)) as! [String: Any]
                let report = (json["reports"] as! [[String: Any]])[0]
                XCTAssertEqual(report["path"] as? String, "draft.json")
                XCTAssertEqual(report["template"] as? String, "2021")
                XCTAssertEqual((report["findings"] as! [Any]).count, 0)
            }
            try await client.execute(
                uri: "/api/check", method: .post, headers: [.contentType: "application/json"],
                body: ByteBuffer(string: "{\"ogilint_model\": 1, \"tables\": 3}")
            ) { r in
                XCTAssertEqual(r.status, .unprocessableContent)
                XCTAssertTrue(try errorMessage(r.body).contains("invalid report model"), String(buffer: r.body))
            }
        }
    }

    func testInspectGivesTheCheckPlusTablesLayoutAndText() async throws {
        let (body, headers) = multipart([("app-balance.txt", try sample("samples/broken/app-balance.txt"))])
        let expected = try cliDocument("samples/broken/app-balance.txt")
        try await app().test(.router) { client in
            try await client.execute(uri: "/api/inspect", method: .post, headers: headers, body: body) { r in
                XCTAssertEqual(r.status, .ok)
                let json = try JSONSerialization.jsonObject(with: Data(buffer: r.body)) as! [String: Any]
                let check = try JSONSerialization.data(withJSONObject: json["check"]!, options: [.sortedKeys])
                let cli = try JSONSerialization.data(
                    withJSONObject: try JSONSerialization.jsonObject(with: Data(expected.utf8)), options: [.sortedKeys])
                XCTAssertEqual(check, cli)
                let detail = (json["details"] as! [[String: Any]])[0]
                XCTAssertEqual((detail["metadata"] as! [String: Any])["agency"] as? String, "示例市人民政府")
                XCTAssertNotNil(detail["deadline"] as? String)
                let layout = detail["layout"] as! [[String: Any]]
                XCTAssertTrue(layout.contains { $0["key"] as? String == "applications" })
                // The cell the finding names is among the cells read, with its value.
                let tables = detail["tables"] as! [[String: Any]]
                let applications = try XCTUnwrap(tables.first { $0["key"] as? String == "applications" })
                let row = try XCTUnwrap((applications["rows"] as! [[String: Any]]).first { $0["key"] as? String == "results_total" })
                let cell = try XCTUnwrap((row["cells"] as! [[String: Any]]).first { $0["column"] as? String == "natural" })
                XCTAssertEqual(cell["raw"] as? String, "3375")
                XCTAssertFalse((detail["text"] as! [Any]).isEmpty)
            }
        }
    }

    // MARK: Errors: JSON with a message and the status that means what exit code 2 means

    func testRefusedInputsGiveTheSameMessagesAsCheck() async throws {
        let small = try LintService(rulesRoot: Repo.rules, maxFileBytes: 1000)
        try await app(service: small).test(.router) { client in
            let (big, h1) = multipart([("big.txt", Data(repeating: 0x41, count: 2000))])
            try await client.execute(uri: "/api/check", method: .post, headers: h1, body: big) { r in
                XCTAssertEqual(r.status, .contentTooLarge)
                XCTAssertEqual(
                    try errorMessage(r.body),
                    "big.txt: refused: the file is 2000 bytes, over the 1000-byte limit; is this really a report? If it is, raise the limit with --max-size"
                )
            }
            let (doc, h2) = multipart([("old.doc", Data([0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]))])
            try await client.execute(uri: "/api/check", method: .post, headers: h2, body: doc) { r in
                XCTAssertEqual(r.status, .unsupportedMediaType)
                XCTAssertTrue(try errorMessage(r.body).contains("save it as .docx"))
            }
            let (entities, h3) = multipart([("e.html", Data("<html><!DOCTYPE x [<!ENTITY a \"b\">]><body>&a;</body></html>".utf8))])
            try await client.execute(uri: "/api/check", method: .post, headers: h3, body: entities) { r in
                XCTAssertEqual(r.status, .unprocessableContent)
                XCTAssertTrue(try errorMessage(r.body).contains("refused for safety"), String(buffer: r.body))
            }
            let (empty, h4) = multipart([("empty.txt", Data())])
            try await client.execute(uri: "/api/check", method: .post, headers: h4, body: empty) { r in
                XCTAssertEqual(r.status, .unprocessableContent)
                XCTAssertTrue(try errorMessage(r.body).contains("the file is empty"))
            }
            // In a batch, an unreadable file is an entry with its error, as in `check --format json`.
            let (mixed, h5) = multipart([("empty.txt", Data()), ("ok.txt", try sample("samples/clean-2021-government.txt"))])
            try await client.execute(uri: "/api/check", method: .post, headers: h5, body: mixed) { r in
                // ok.txt is a whole report, over this server's 1000-byte cap: both entries carry their errors.
                XCTAssertEqual(r.status, .ok)
                let json = try JSONSerialization.jsonObject(with: Data(buffer: r.body)) as! [String: Any]
                let reports = json["reports"] as! [[String: Any]]
                XCTAssertTrue((reports[0]["error"] as? String)?.contains("the file is empty") ?? false)
                XCTAssertTrue((reports[1]["error"] as? String)?.contains("over the 1000-byte limit") ?? false)
            }
        }
    }

    func testADecompressionBombIsRefusedAsCheckRefusesIt() async throws {
        let bomb = try zipped("word/document.xml", Data(repeating: UInt8(ascii: " "), count: 3_000_000))
        XCTAssertLessThan(bomb.count, 100_000)
        let service = try LintService(rulesRoot: Repo.rules, maxFileBytes: 100_000)
        let (body, headers) = multipart([("bomb.docx", bomb)])
        try await app(service: service).test(.router) { client in
            try await client.execute(uri: "/api/check", method: .post, headers: headers, body: body) { r in
                XCTAssertEqual(r.status, .unprocessableContent)
                let message = try errorMessage(r.body)
                XCTAssertTrue(message.hasPrefix("bomb.docx: refused: word/document.xml"), message)
            }
            try await client.execute(uri: "/healthz", method: .get) { r in XCTAssertEqual(r.status, .ok, "the server keeps serving") }
        }
    }

    func testRequestCapsAndBadRequests() async throws {
        var settings = ServerSettings()
        settings.maxFilesPerRequest = 2
        settings.maxRequestBytes = 5000
        try await app(settings).test(.router) { client in
            let (three, h1) = multipart([("a.txt", Data("x".utf8)), ("b.txt", Data("y".utf8)), ("c.txt", Data("z".utf8))])
            try await client.execute(uri: "/api/check", method: .post, headers: h1, body: three) { r in
                XCTAssertEqual(r.status, .contentTooLarge)
                XCTAssertTrue(try errorMessage(r.body).contains("over the limit of 2"))
            }
            let (big, h2) = multipart([("a.txt", Data(repeating: 0x41, count: 6000))])
            try await client.execute(uri: "/api/check", method: .post, headers: h2, body: big) { r in
                XCTAssertEqual(r.status, .contentTooLarge)
                XCTAssertTrue(try errorMessage(r.body).contains("5000-byte limit per request"))
            }
            try await client.execute(
                uri: "/api/check", method: .post, headers: [.contentType: "text/plain"], body: ByteBuffer(string: "hello")
            ) { r in
                XCTAssertEqual(r.status, .unsupportedMediaType)
                XCTAssertTrue(try errorMessage(r.body).contains("multipart/form-data"))
            }
            try await client.execute(
                uri: "/api/check", method: .post, headers: [.contentType: "multipart/form-data; boundary=zzz"],
                body: ByteBuffer(string: "garbage")
            ) { r in
                XCTAssertEqual(r.status, .badRequest)
                XCTAssertTrue(try errorMessage(r.body).contains("not multipart/form-data"))
            }
            let (one, h3) = multipart([("a.txt", Data("x".utf8))])
            try await client.execute(uri: "/api/check?format=pdf", method: .post, headers: h3, body: one) { r in
                XCTAssertEqual(r.status, .badRequest)
                XCTAssertTrue(try errorMessage(r.body).contains("unknown format 'pdf'"))
            }
            try await client.execute(uri: "/no/such/page", method: .get) { r in
                XCTAssertEqual(r.status, .notFound)
                XCTAssertTrue(try errorMessage(r.body).contains("no such page"))
            }
        }
    }

    // MARK: Rules, health, the page

    func testRulesHealthAndPage() async throws {
        try await app().test(.router) { client in
            try await client.execute(uri: "/healthz", method: .get) { r in
                XCTAssertEqual(r.status, .ok)
                XCTAssertTrue(String(buffer: r.body).contains("\"status\": \"ok\""))
            }
            try await client.execute(uri: "/api/rules", method: .get) { r in
                let json = try JSONSerialization.jsonObject(with: Data(buffer: r.body)) as! [String: Any]
                let ids = (json["rules"] as! [[String: Any]]).map { $0["id"] as! String }
                XCTAssertEqual(ids, Repo.linter.ruleSet.rules.map(\.id))
            }
            try await client.execute(uri: "/api/rules/APP-BALANCE", method: .get) { r in
                XCTAssertEqual(r.status, .ok)
                let json = try JSONSerialization.jsonObject(with: Data(buffer: r.body)) as! [String: Any]
                XCTAssertEqual(json["id"] as? String, "APP-BALANCE")
                XCTAssertEqual(json["category"] as? String, "arithmetic")
                XCTAssertFalse((json["checks"] as! [Any]).isEmpty)
            }
            try await client.execute(uri: "/api/rules/NO-SUCH-RULE", method: .get) { r in
                XCTAssertEqual(r.status, .notFound)
                XCTAssertTrue(try errorMessage(r.body).contains("no rule 'NO-SUCH-RULE'"))
            }
            try await client.execute(uri: "/", method: .get) { r in
                XCTAssertEqual(r.status, .ok)
                let html = String(buffer: r.body)
                XCTAssertTrue(html.contains("lang=\"zh-CN\""))
                XCTAssertTrue(html.contains("/assets/app.js"))
                XCTAssertFalse(html.contains("http://") || html.contains("https://"), "the page loads nothing from outside")
                XCTAssertTrue(r.headers[.contentSecurityPolicy]?.contains("default-src 'self'") ?? false)
                XCTAssertEqual(r.headers[.xContentTypeOptions], "nosniff")
            }
            for asset in ["/assets/app.js", "/assets/app.css"] {
                try await client.execute(uri: asset, method: .get) { r in
                    XCTAssertEqual(r.status, .ok)
                    XCTAssertGreaterThan(r.body.readableBytes, 1000)
                    XCTAssertFalse(String(buffer: r.body).contains("https://"), asset)
                }
            }
            // No directory listing and no files from the server's disk.
            for uri in ["/assets/", "/assets/../Package.swift", "/samples/clean-2021-government.txt"] {
                try await client.execute(uri: uri, method: .get) { r in XCTAssertEqual(r.status, .notFound, uri) }
            }
        }
    }

    /// Every path in docs/openapi.yaml is served with the method it documents, and nothing undocumented is.
    func testTheOpenAPIFileDescribesTheRoutes() async throws {
        let spec = try String(contentsOfFile: Repo.path("docs/openapi.yaml"), encoding: .utf8)
        var documented: [(String, String)] = []
        var path: String?
        for line in spec.components(separatedBy: "\n") {
            if line.hasPrefix("  /"), line.hasSuffix(":") { path = String(line.dropFirst(2).dropLast()); continue }
            if let p = path, ["    get:", "    post:"].contains(line) { documented.append((String(line.dropFirst(4).dropLast()), p)) }
            if line.hasPrefix("components:") { break }
        }
        XCTAssertEqual(
            documented.map { "\($0.0) \($0.1)" }.sorted(),
            ["get /api/rules", "get /api/rules/{id}", "get /healthz", "post /api/check", "post /api/inspect"])
        let routes = documented
        try await app().test(.router) { client in
            for (method, p) in routes {
                let uri = p.replacingOccurrences(of: "{id}", with: "APP-BALANCE")
                let (body, headers) = multipart([("a.txt", try sample("samples/clean-2021-government.txt"))])
                try await client.execute(
                    uri: uri, method: method == "get" ? .get : .post, headers: method == "get" ? [:] : headers,
                    body: method == "get" ? nil : body
                ) { r in
                    XCTAssertEqual(r.status, .ok, "\(method) \(uri)")
                }
            }
        }
    }

    // MARK: Host and Origin checks (DNS rebinding, cross-site posts)

    func testForeignHostAndOriginAreRefused() async throws {
        // The test client always sends Host: localhost; a server bound to another address refuses it.
        var settings = ServerSettings()
        settings.host = "192.0.2.10"
        try await app(settings).test(.router) { client in
            try await client.execute(uri: "/healthz", method: .get) { r in
                XCTAssertEqual(r.status, .misdirectedRequest)
                XCTAssertTrue(try errorMessage(r.body).contains("does not answer to the host 'localhost'"))
            }
        }
        try await app().test(.router) { client in
            try await client.execute(uri: "/healthz", method: .get, headers: [.origin: "http://evil.example"]) { r in
                XCTAssertEqual(r.status, .forbidden)
            }
            try await client.execute(uri: "/healthz", method: .get, headers: [.origin: "http://localhost:8080"]) { r in
                XCTAssertEqual(r.status, .ok)
            }
        }
    }

    func testHostGuardRules() {
        let loopback = HostGuard(boundHost: "127.0.0.1")
        XCTAssertTrue(loopback.accepts(authority: "127.0.0.1:8080"))
        XCTAssertTrue(loopback.accepts(authority: "localhost:8080"))
        XCTAssertTrue(loopback.accepts(authority: "[::1]:8080"))
        XCTAssertFalse(loopback.accepts(authority: "evil.example:8080"), "DNS rebinding: a name that resolves to 127.0.0.1")
        XCTAssertFalse(loopback.accepts(authority: "127.0.0.1.evil.example"))
        XCTAssertFalse(loopback.accepts(authority: "192.168.1.2:8080"))
        XCTAssertFalse(loopback.accepts(authority: "localhost:8080:1"))
        XCTAssertFalse(loopback.accepts(authority: ""))
        let everywhere = HostGuard(boundHost: "0.0.0.0", allowedHosts: ["review.example"])
        XCTAssertTrue(everywhere.accepts(authority: "192.168.1.2:8080"))
        XCTAssertTrue(everywhere.accepts(authority: "review.example"))
        XCTAssertFalse(everywhere.accepts(authority: "evil.example"))
    }

    // MARK: Concurrency cap and time limit

    func testCheckGateRefusesBeyondItsQueueAndGivesUpAfterTheTimeLimit() async throws {
        let gate = CheckGate(maxRunning: 1, maxWaiting: 0, timeLimit: 0.2)
        let release = DispatchSemaphore(value: 0)
        let first = Task {
            try await gate.run {
                release.wait(); return 1
            }
        }
        // Wait until the first check holds the only slot.
        while gate.load.running == 0 { try await Task.sleep(for: .milliseconds(5)) }
        do {
            _ = try await gate.run { 2 }
            XCTFail("a second check with no free slot and no queue must be refused")
        } catch let e as APIError {
            XCTAssertEqual(e.status, .tooManyRequests)
            XCTAssertEqual(e.headers[.retryAfter], "1")
        }
        // The first overruns its time limit: the caller gets `timedOut`, the slot stays taken until it ends.
        guard case .timedOut = try await first.value else { return XCTFail("expected a time-out") }
        XCTAssertEqual(gate.load.running, 1)
        release.signal()
        while gate.load.running == 1 { try await Task.sleep(for: .milliseconds(5)) }
        guard case .done(let v) = try await gate.run({ 3 }) else { return XCTFail("the slot is free again") }
        XCTAssertEqual(v, 3)
    }

    // MARK: Multipart

    func testMultipartNamesAreLabelsNeverPaths() throws {
        let boundary = "b"
        let body =
            "--b\r\nContent-Disposition: form-data; name=\"files\"; filename=\"../../etc/passwd\"\r\n\r\nA\r\n"
            + "--b\r\nContent-Disposition: form-data; name=\"files\"; filename*=UTF-8''%E6%8A%A5%E5%91%8A.txt\r\n\r\nB\r\n"
            + "--b\r\nContent-Disposition: form-data; name=\"note\"\r\n\r\nnot a file\r\n--b--\r\n"
        let parts = try MultipartForm.parse(Array(body.utf8), boundary: boundary)
        XCTAssertEqual(parts.count, 3)
        XCTAssertEqual(MultipartForm.label(parts[0].fileName, index: 0), "etc/passwd")
        XCTAssertEqual(MultipartForm.label(parts[1].fileName, index: 1), "报告.txt")
        XCTAssertEqual(parts[1].data, Data("B".utf8))
        XCTAssertNil(parts[2].fileName)
        XCTAssertEqual(MultipartForm.label("C:\\drafts\\a.txt", index: 0), "C:/drafts/a.txt")
        XCTAssertEqual(MultipartForm.label("\u{0}\u{1}", index: 4), "upload-5")
        XCTAssertEqual(MultipartForm.boundary(contentType: "multipart/form-data; boundary=\"x y\""), "x y")
        XCTAssertNil(MultipartForm.boundary(contentType: "text/plain"))
        XCTAssertThrowsError(
            try MultipartForm.parse(
                Array("--b\r\nContent-Disposition: form-data; name=\"f\"; filename=\"a\"\r\n\r\ncut off".utf8), boundary: "b"))
    }
}

/// A multipart body with the given files in the field `files`.
func multipart(_ files: [(String, Data)], boundary: String = "ogilint-test-boundary") -> (ByteBuffer, HTTPFields) {
    var body = Data()
    for (name, data) in files {
        body += Data(
            "--\(boundary)\r\nContent-Disposition: form-data; name=\"files\"; filename=\"\(name)\"\r\nContent-Type: application/octet-stream\r\n\r\n"
                .utf8)
        body += data
        body += Data("\r\n".utf8)
    }
    body += Data("--\(boundary)--\r\n".utf8)
    return (ByteBuffer(bytes: body), [.contentType: "multipart/form-data; boundary=\(boundary)"])
}

func sample(_ relative: String) throws -> Data { try Data(contentsOf: URL(fileURLWithPath: Repo.path(relative))) }

/// What `ogilint check --format <format> --no-config FILE` writes, with the path shown as the file's name.
func cliDocument(_ relative: String, format: ServedFormat = .json) throws -> String {
    var options = LintSession.Options(rulesRoot: Repo.rules)
    options.useConfiguration = false
    let result = try LintSession(options: options).run([Repo.path(relative)])
    let inputs = result.inputs.map { i in
        CheckedInput(path: (relative as NSString).lastPathComponent, report: i.report, findings: i.findings, error: i.error)
    }
    switch format {
    case .json: return JSONFormatter.format(inputs, version: OGILintVersion.string)
    case .sarif: return SARIFFormatter.format(inputs, rules: result.rules, version: OGILintVersion.string)
    case .markdown: return MarkdownFormatter.format(inputs)
    case .html: return HTMLReportFormatter.format(inputs, templates: result.templates, version: OGILintVersion.string)
    }
}

func errorMessage(_ body: ByteBuffer) throws -> String {
    let json = try JSONSerialization.jsonObject(with: Data(buffer: body)) as? [String: Any]
    let error = try XCTUnwrap(json?["error"] as? [String: Any], "error responses are {\"error\": {...}}")
    return try XCTUnwrap(error["message"] as? String)
}

/// A zip with one entry, made by Python's zipfile in memory (stdin to stdout).
func zipped(_ name: String, _ data: Data) throws -> Data {
    let p = Process()
    p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    p.arguments = [
        "python3", "-c",
        "import io,sys,zipfile\nb=io.BytesIO()\nz=zipfile.ZipFile(b,'w',zipfile.ZIP_DEFLATED)\nz.writestr(sys.argv[1],sys.stdin.buffer.read())\nz.close()\nsys.stdout.buffer.write(b.getvalue())",
        name,
    ]
    let input = Pipe(), output = Pipe()
    p.standardInput = input
    p.standardOutput = output
    try p.run()
    input.fileHandleForWriting.write(data)
    try input.fileHandleForWriting.close()
    let zip = output.fileHandleForReading.readDataToEndOfFile()
    p.waitUntilExit()
    return zip
}
