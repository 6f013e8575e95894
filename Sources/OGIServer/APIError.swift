import Foundation
import Hummingbird
import OGIOutput

/// An error the API answers with: an HTTP status and a message that says what to do. Rendered as
/// `{"error": {"status": 413, "message": "…"}}`, never with a stack trace.
public struct APIError: Error, Sendable {
    public var status: HTTPResponse.Status
    public var message: String
    /// Extra headers, e.g. `Retry-After` on 429/503.
    public var headers: HTTPFields = [:]

    public init(_ status: HTTPResponse.Status, _ message: String, headers: HTTPFields = [:]) {
        self.status = status; self.message = message; self.headers = headers
    }

    static func badRequest(_ m: String) -> APIError { APIError(.badRequest, m) }
    static func tooLarge(_ m: String) -> APIError { APIError(.contentTooLarge, m) }
    static func unsupported(_ m: String) -> APIError { APIError(.unsupportedMediaType, m) }
    static func unprocessable(_ m: String) -> APIError { APIError(.unprocessableContent, m) }
    static func busy(_ m: String) -> APIError { APIError(.tooManyRequests, m, headers: [.retryAfter: "1"]) }
    static func unavailable(_ m: String) -> APIError { APIError(.serviceUnavailable, m, headers: [.retryAfter: "5"]) }

    /// The JSON body of the error response.
    var body: String {
        JSONValue.object([("error", .object([("status", .int(Int(status.code))), ("message", .string(message))]))]).render() + "\n"
    }

    func response() -> Response {
        var headers = self.headers
        headers[.contentType] = "application/json; charset=utf-8"
        headers[.cacheControl] = "no-store"
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(string: body)))
    }
}

/// Turns every error into a JSON error response: `APIError` as it is, Hummingbird's own errors (no route,
/// wrong method) with their status, anything else as a 500 with a generic message. Also adds the
/// headers every response carries (no caching of results, no sniffing, no framing, no outside resources).
struct ErrorAndHeadersMiddleware<Context: RequestContext>: RouterMiddleware {
    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var response: Response
        do {
            response = try await next(request, context)
        } catch let e as APIError {
            response = e.response()
        } catch let e as HTTPError {
            let message: String
            switch e.status {
            case .notFound: message = "no such page or API endpoint: \(request.method) \(request.uri.path); see docs/openapi.yaml"
            case .methodNotAllowed: message = "\(request.method) is not allowed on \(request.uri.path); see docs/openapi.yaml"
            case .contentTooLarge: message = "the request body is too large"
            default: message = e.body ?? e.status.reasonPhrase
            }
            response = APIError(e.status, message).response()
        } catch {
            response = APIError(
                .internalServerError, "internal error while handling the request; the server keeps running, try again or report it"
            ).response()
        }
        response.headers[.xContentTypeOptions] = "nosniff"
        response.headers[.init("Referrer-Policy")!] = "no-referrer"
        response.headers[.init("X-Frame-Options")!] = "DENY"
        response.headers[.contentSecurityPolicy] =
            "default-src 'self'; img-src 'self' data: blob:; script-src 'self'; style-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'none'"
        if response.headers[.cacheControl] == nil { response.headers[.cacheControl] = "no-store" }
        return response
    }
}
