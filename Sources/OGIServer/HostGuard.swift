import Foundation
import Hummingbird

/// Accepts a request only when its `Host` names this server, so a web page on another site cannot
/// reach the server by pointing a DNS name at 127.0.0.1 (DNS rebinding). Accepted: the bound host,
/// names given with `--allow-host`, loopback names when bound to loopback or to every interface, and
/// IP literals when bound to every interface (rebinding needs a DNS name). A cross-site `Origin` on
/// a request is refused the same way.
public struct HostGuard: Sendable {
    let boundHost: String
    let allowed: Set<String>

    public init(boundHost: String, allowedHosts: [String] = []) {
        self.boundHost = HostGuard.normalise(boundHost)
        var allowed = Set(allowedHosts.map(HostGuard.normalise))
        allowed.insert(self.boundHost)
        if HostGuard.isLoopback(self.boundHost) || HostGuard.isWildcard(self.boundHost) {
            allowed.formUnion(["localhost", "127.0.0.1", "::1"])
        }
        self.allowed = allowed
    }

    /// True when `authority` (`host`, `host:port`, `[v6]:port`) names this server.
    public func accepts(authority: String) -> Bool {
        guard let host = HostGuard.host(ofAuthority: authority) else { return false }
        if allowed.contains(host) { return true }
        if HostGuard.isWildcard(boundHost) && HostGuard.isIPLiteral(host) { return true }
        return false
    }

    /// The host part of an authority, lower-cased, brackets removed; nil when malformed.
    static func host(ofAuthority a: String) -> String? {
        let t = a.trimmingCharacters(in: .whitespaces)
        guard !t.isEmpty, !t.contains("@"), !t.contains("/") else { return nil }
        if t.hasPrefix("[") {
            guard let close = t.firstIndex(of: "]") else { return nil }
            let inner = t[t.index(after: t.startIndex)..<close]
            let rest = t[t.index(after: close)...]
            guard rest.isEmpty || (rest.hasPrefix(":") && rest.dropFirst().allSatisfy(\.isNumber)) else { return nil }
            return normalise(String(inner))
        }
        let pieces = t.split(separator: ":", omittingEmptySubsequences: false)
        guard pieces.count <= 2 else { return nil }
        if pieces.count == 2, !pieces[1].allSatisfy(\.isNumber) { return nil }
        return normalise(String(pieces[0]))
    }

    static func normalise(_ h: String) -> String {
        var s = h.lowercased()
        if s.hasPrefix("["), s.hasSuffix("]") { s = String(s.dropFirst().dropLast()) }
        if s.hasSuffix(".") { s.removeLast() }
        return s
    }

    static func isLoopback(_ h: String) -> Bool { h == "localhost" || h == "::1" || h.hasPrefix("127.") }
    static func isWildcard(_ h: String) -> Bool { h == "0.0.0.0" || h == "::" || h.isEmpty }

    static func isIPLiteral(_ h: String) -> Bool {
        if h.contains(":") { return h.allSatisfy { $0.isHexDigit || $0 == ":" || $0 == "." } }
        let parts = h.split(separator: ".", omittingEmptySubsequences: false)
        return parts.count == 4 && parts.allSatisfy { p in !p.isEmpty && p.count <= 3 && p.allSatisfy(\.isNumber) && Int(p)! <= 255 }
    }
}

/// Applies `HostGuard` to every request: 421 for a foreign `Host`, 403 for a foreign `Origin`.
struct HostGuardMiddleware<Context: RequestContext>: RouterMiddleware {
    let guardian: HostGuard

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let authority = request.head.authority ?? request.headers[.init("Host")!]
        guard let authority else {
            throw APIError(.badRequest, "the request has no Host header")
        }
        guard guardian.accepts(authority: authority) else {
            throw APIError(
                .misdirectedRequest,
                "this server does not answer to the host '\(authority)'; open it at the address 'ogilint serve' printed, or start it with --allow-host NAME"
            )
        }
        if let origin = request.headers[.origin], origin != "null" {
            let url = URL(string: origin)
            let host = url?.host.map { ($0.contains(":") && !$0.hasPrefix("[") ? "[\($0)]" : $0) + (url?.port.map { ":\($0)" } ?? "") }
            guard let host, guardian.accepts(authority: host) else {
                throw APIError(.forbidden, "requests from the page at '\(origin)' are refused; use the page this server serves")
            }
        }
        return try await next(request, context)
    }
}
