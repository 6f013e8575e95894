import Foundation
import Hummingbird

/// Settings of `ogilint serve`: where to listen and the limits that keep one client from exhausting it.
public struct ServerSettings: Sendable {
    public var host = "127.0.0.1"
    public var port = 8080
    /// Names besides the bound host that the `Host` header may carry (e.g. a reverse proxy's name).
    public var allowedHosts: [String] = []
    /// Largest request body, all files together, in bytes.
    public var maxRequestBytes = 100 * 1024 * 1024
    /// Most files in one request.
    public var maxFilesPerRequest = 100
    /// Checks that run at once, and requests that may wait for one before the server answers 429.
    public var maxConcurrentChecks = max(2, ProcessInfo.processInfo.activeProcessorCount)
    public var maxWaitingChecks = 64
    /// Longest time one request's checks may take before the server answers 503.
    public var checkTimeLimit: TimeInterval = 30

    public init() {}

    /// The address to open in a browser.
    public var url: String {
        let h = host.contains(":") ? "[\(host)]" : host
        return "http://\(h == "0.0.0.0" || h == "[::]" ? "127.0.0.1" : h):\(port)/"
    }
}

/// The reviewer's web server: the page, its assets and the HTTP API (docs/openapi.yaml).
public struct ReviewServer: Sendable {
    public let settings: ServerSettings
    let service: LintService
    let gate: CheckGate

    public init(service: LintService, settings: ServerSettings) {
        self.service = service; self.settings = settings
        gate = CheckGate(
            maxRunning: settings.maxConcurrentChecks, maxWaiting: settings.maxWaitingChecks, timeLimit: settings.checkTimeLimit)
    }

    /// The routes, behind the error and host middleware.
    public func router() -> Router<BasicRequestContext> {
        let router = Router(context: BasicRequestContext.self)
        router.add(middleware: ErrorAndHeadersMiddleware())
        router.add(middleware: HostGuardMiddleware(guardian: HostGuard(boundHost: settings.host, allowedHosts: settings.allowedHosts)))
        router.get("/") { _, _ in Self.asset(PageAssets.html, type: "text/html; charset=utf-8") }
        router.get("/index.html") { _, _ in Self.asset(PageAssets.html, type: "text/html; charset=utf-8") }
        router.get("/assets/app.css") { _, _ in Self.asset(PageAssets.css, type: "text/css; charset=utf-8") }
        router.get("/assets/app.js") { _, _ in Self.asset(PageAssets.js, type: "text/javascript; charset=utf-8") }
        router.get("/healthz") { _, _ in
            let load = gate.load
            return Self.json(
                "{\"status\": \"ok\", \"version\": \"\(LintService.version)\", \"checks_running\": \(load.running), \"checks_waiting\": \(load.waiting)}\n"
            )
        }
        router.get("/api/rules") { _, _ in Self.json(service.rulesDocument()) }
        router.get("/api/rules/:id") { _, context in
            let id = try context.parameters.require("id")
            guard let doc = service.ruleDocument(id: id) else {
                throw APIError(.notFound, "no rule '\(id)'; GET /api/rules lists them")
            }
            return Self.json(doc)
        }
        router.post("/api/check") { request, _ in try await check(request, page: false) }
        router.post("/api/inspect") { request, _ in try await check(request, page: true) }
        return router
    }

    /// The application, listening on the configured address; `onRunning` is called once it listens.
    public func application(onRunning: @escaping @Sendable () async -> Void = {}) -> some ApplicationProtocol {
        Application(
            router: router(),
            configuration: .init(address: .hostname(settings.host, port: settings.port), serverName: "ogilint"),
            onServerRunning: { _ in await onRunning() })
    }

    /// Serves until SIGINT or SIGTERM, then finishes the requests in flight and returns.
    public func run(onRunning: @escaping @Sendable () async -> Void = {}) async throws {
        try await application(onRunning: onRunning).runService(gracefulShutdownSignals: [.sigterm, .sigint])
    }

    // MARK: Checking

    func check(_ request: Request, page: Bool) async throws -> Response {
        let uploads = try await readUploads(request)
        let format: ServedFormat
        if page {
            format = .json
        } else {
            let name = request.uri.queryParameters.get("format") ?? "json"
            guard let f = ServedFormat(rawValue: name) else {
                throw APIError.badRequest(
                    "unknown format '\(name)'; use one of: \(ServedFormat.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            format = f
        }
        let only = request.uri.queryParameters.get("only").flatMap { Int($0) }
        let service = self.service
        let outcome = try await gate.run { () -> (CheckedBatch, String) in
            let batch = service.check(uploads)
            let text = page ? service.pageDocument(batch) : service.document(batch, format: format, only: only)
            return (batch, text)
        }
        guard case let .done((batch, text)) = outcome else {
            throw APIError.unavailable(
                "the check took longer than \(Int(settings.checkTimeLimit)) s and was abandoned; split the batch or check the file with 'ogilint check'"
            )
        }
        // One file that could not be read: an error status with the reader's message, as `check` exits 2.
        if batch.count == 1, let failure = batch.failures[0] {
            switch failure.kind {
            case .tooLarge: throw APIError.tooLarge(failure.message)
            case .unsupported: throw APIError.unsupported(failure.message)
            case .unreadable: throw APIError.unprocessable(failure.message)
            }
        }
        var headers: HTTPFields = [.contentType: page ? "application/json; charset=utf-8" : format.contentType]
        if !page, request.uri.queryParameters.get("download") != nil {
            headers[.contentDisposition] = "attachment; filename=\"ogilint-results.\(format.fileExtension)\""
        }
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(string: text)))
    }

    /// The files of a multipart request, or one report model sent as JSON, checked against the caps.
    func readUploads(_ request: Request) async throws -> [Upload] {
        let contentType = request.headers[.contentType] ?? ""
        let isJSON = contentType.lowercased().hasPrefix("application/json")
        let boundary = MultipartForm.boundary(contentType: contentType)
        guard isJSON || boundary != nil else {
            throw APIError.unsupported("send the reports as multipart/form-data (field 'files'), or one report model as application/json")
        }
        if let length = request.headers[.contentLength].flatMap(Int.init), length > settings.maxRequestBytes {
            throw APIError.tooLarge(
                "the request is \(length) bytes, over the \(settings.maxRequestBytes)-byte limit per request; send fewer files at once")
        }
        var body: [UInt8] = []
        for try await chunk in request.body {
            if body.count + chunk.readableBytes > settings.maxRequestBytes {
                throw APIError.tooLarge(
                    "the request is over the \(settings.maxRequestBytes)-byte limit per request; send fewer files at once")
            }
            body.append(contentsOf: chunk.readableBytesView)
        }
        if isJSON {
            guard !body.isEmpty else {
                throw APIError.badRequest("the request body is empty; send a report model (ogilint_model: 1) as JSON")
            }
            let name = MultipartForm.label(request.uri.queryParameters.get("name") ?? "model.json", index: 0)
            return [Upload(name: name.lowercased().hasSuffix(".json") ? name : name + ".json", data: Data(body))]
        }
        let parts = try MultipartForm.parse(body, boundary: boundary!).filter { $0.fileName != nil }
        guard !parts.isEmpty else {
            throw APIError.badRequest("the request carries no file; attach reports in the multipart field 'files'")
        }
        guard parts.count <= settings.maxFilesPerRequest else {
            throw APIError.tooLarge(
                "\(parts.count) files in one request, over the limit of \(settings.maxFilesPerRequest); send them in smaller batches")
        }
        return parts.enumerated().map { i, p in Upload(name: MultipartForm.label(p.fileName, index: i), data: p.data) }
    }

    // MARK: Responses

    static func json(_ text: String) -> Response {
        Response(status: .ok, headers: [.contentType: "application/json; charset=utf-8"], body: .init(byteBuffer: ByteBuffer(string: text)))
    }

    static func asset(_ text: String, type: String) -> Response {
        Response(status: .ok, headers: [.contentType: type, .cacheControl: "no-cache"], body: .init(byteBuffer: ByteBuffer(string: text)))
    }
}
