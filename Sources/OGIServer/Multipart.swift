import Foundation

/// A minimal `multipart/form-data` reader (RFC 7578) for uploads held in memory: it returns each part
/// that carries a file name, with the bytes as sent. Fields without a file name are ignored.
enum MultipartForm {
    struct Part {
        var fieldName: String?
        var fileName: String?
        var data: Data
    }

    /// The boundary named in a `Content-Type: multipart/form-data; boundary=…` header, or nil.
    static func boundary(contentType: String) -> String? {
        let pieces = contentType.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces) }
        guard let first = pieces.first, first.lowercased() == "multipart/form-data" else { return nil }
        for p in pieces.dropFirst() {
            let kv = p.split(separator: "=", maxSplits: 1).map(String.init)
            guard kv.count == 2, kv[0].lowercased() == "boundary" else { continue }
            var b = kv[1]
            if b.hasPrefix("\""), b.hasSuffix("\""), b.count >= 2 { b = String(b.dropFirst().dropLast()) }
            return b.isEmpty || b.utf8.count > 200 ? nil : b
        }
        return nil
    }

    /// Splits `body` into parts. Throws `APIError` (400) when the body is not well-formed multipart.
    static func parse(_ body: [UInt8], boundary: String) throws -> [Part] {
        let dash = Array("--\(boundary)".utf8)
        let delimiter = Array("\r\n--\(boundary)".utf8)
        guard var pos = find(dash, in: body, from: 0) else {
            throw APIError.badRequest("the request body is not multipart/form-data with the boundary its Content-Type names")
        }
        pos += dash.count
        var parts: [Part] = []
        while true {
            // After a boundary: "--" ends the body, CRLF starts a part.
            if body.count >= pos + 2, body[pos] == UInt8(ascii: "-"), body[pos + 1] == UInt8(ascii: "-") { break }
            guard body.count >= pos + 2, body[pos] == 13, body[pos + 1] == 10 else {
                throw APIError.badRequest("malformed multipart body: a boundary is not followed by a line break")
            }
            pos += 2
            guard let headerEnd = find([13, 10, 13, 10], in: body, from: pos) else {
                throw APIError.badRequest("malformed multipart body: a part has no end of headers")
            }
            let headerText = String(decoding: body[pos..<headerEnd], as: UTF8.self)
            let contentStart = headerEnd + 4
            guard let next = find(delimiter, in: body, from: contentStart) else {
                throw APIError.badRequest("malformed multipart body: the closing boundary is missing (was the upload cut off?)")
            }
            var part = Part(fieldName: nil, fileName: nil, data: Data(body[contentStart..<next]))
            for line in headerText.components(separatedBy: "\r\n") {
                let kv = line.split(separator: ":", maxSplits: 1).map(String.init)
                guard kv.count == 2, kv[0].trimmingCharacters(in: .whitespaces).lowercased() == "content-disposition" else { continue }
                let params = dispositionParameters(kv[1])
                part.fieldName = params["name"]
                part.fileName = params["filename*"].flatMap(decodeExtended) ?? params["filename"]
            }
            parts.append(part)
            pos = next + delimiter.count
        }
        return parts
    }

    /// `form-data; name="files"; filename="a.txt"` → ["name": "files", "filename": "a.txt"].
    static func dispositionParameters(_ value: String) -> [String: String] {
        var out: [String: String] = [:]
        var i = value.startIndex
        func skipSpaces() { while i < value.endIndex, value[i] == " " || value[i] == "\t" { i = value.index(after: i) } }
        // Skip the disposition type.
        while i < value.endIndex, value[i] != ";" { i = value.index(after: i) }
        while i < value.endIndex {
            i = value.index(after: i)  // past ';'
            skipSpaces()
            var key = ""
            while i < value.endIndex, value[i] != "=", value[i] != ";" { key.append(value[i]); i = value.index(after: i) }
            key = key.trimmingCharacters(in: .whitespaces).lowercased()
            guard i < value.endIndex, value[i] == "=" else { continue }
            i = value.index(after: i)
            skipSpaces()
            var v = ""
            if i < value.endIndex, value[i] == "\"" {
                i = value.index(after: i)
                while i < value.endIndex, value[i] != "\"" {
                    if value[i] == "\\", value.index(after: i) < value.endIndex { i = value.index(after: i) }
                    v.append(value[i]); i = value.index(after: i)
                }
                if i < value.endIndex { i = value.index(after: i) }
                while i < value.endIndex, value[i] != ";" { i = value.index(after: i) }
            } else {
                while i < value.endIndex, value[i] != ";" { v.append(value[i]); i = value.index(after: i) }
                v = v.trimmingCharacters(in: .whitespaces)
            }
            if !key.isEmpty { out[key] = v }
        }
        return out
    }

    /// RFC 5987 `UTF-8''%E6%8A%A5.txt` → `报.txt`.
    static func decodeExtended(_ v: String) -> String? {
        let pieces = v.components(separatedBy: "''")
        guard pieces.count == 2, pieces[0].lowercased() == "utf-8" else { return nil }
        return pieces[1].removingPercentEncoding
    }

    /// The first index of `needle` in `haystack` at or after `from`.
    static func find(_ needle: [UInt8], in haystack: [UInt8], from: Int) -> Int? {
        guard !needle.isEmpty, haystack.count >= needle.count else { return nil }
        let first = needle[0]
        var i = from
        let last = haystack.count - needle.count
        while i <= last {
            if haystack[i] == first {
                var j = 1
                while j < needle.count, haystack[i + j] == needle[j] { j += 1 }
                if j == needle.count { return i }
            }
            i += 1
        }
        return nil
    }

    /// A client's file name made into a label: control characters removed, `\` read as `/`, no leading `/`,
    /// no `.` or `..` segments. It is only ever shown and written into results, never opened.
    static func label(_ name: String?, index: Int) -> String {
        let raw = (name ?? "").unicodeScalars.filter { $0.value >= 0x20 && $0.value != 0x7F }
        let cleaned = String(String.UnicodeScalarView(raw)).replacingOccurrences(of: "\\", with: "/")
        let segments = cleaned.split(separator: "/").filter { $0 != "." && $0 != ".." && !$0.trimmingCharacters(in: .whitespaces).isEmpty }
        let joined = segments.joined(separator: "/")
        if joined.isEmpty { return "upload-\(index + 1)" }
        return String(joined.prefix(255))
    }
}
