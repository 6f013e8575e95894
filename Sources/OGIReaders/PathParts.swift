import Foundation

/// Foundation's `NSString` path answers (`pathExtension`, `deletingLastPathComponent`, `appendingPathComponent`)
/// for the paths a folder scan produces, without bridging every path to `NSString`: that bridging, and the
/// slash clean-up and grapheme walk behind it, cost a scan of 100,000 files about a second.
///
/// Each shortcut answers only for a path where a plain byte reading provably gives Foundation's answer, and asks
/// Foundation otherwise. Foundation reads a path by characters (grapheme clusters), so a `/` or `.` glued to a
/// neighbouring mark is not a separator to it; the shortcuts therefore require that the separators they rely on
/// stand between ASCII bytes (an ASCII scalar never joins a `/` or `.` into a larger cluster, except as part of
/// `\r\n`, which holds neither), and leave paths with doubled or trailing slashes (which Foundation cleans up
/// first) to Foundation.
package enum PathParts {
    /// `(path as NSString).pathExtension`.
    package static func pathExtension(_ path: String) -> String {
        if let fast = fastPathExtension(path) { return fast }
        return (path as NSString).pathExtension
    }

    /// `(path as NSString).deletingLastPathComponent`.
    package static func deletingLastPathComponent(_ path: String) -> String {
        if let fast = fastDeletingLastPathComponent(path) { return fast }
        return (path as NSString).deletingLastPathComponent
    }

    /// `(directory as NSString).appendingPathComponent(name)` for a directory entry's `name` (no `/` in it).
    package static func appending(_ name: String, to directory: String) -> String {
        if let fast = fastAppending(name, to: directory) { return fast }
        return (directory as NSString).appendingPathComponent(name)
    }

    private static let slash = UInt8(ascii: "/"), dot = UInt8(ascii: ".")

    /// True when the byte at `offset` (a UTF-8 offset) is a whole character on its own equal to `c`: a `/` or
    /// `.` that Foundation's character walk also sees, not one glued to a mark before or after it.
    private static func stands(_ c: Character, in path: String, at offset: Int) -> Bool {
        let i = path.utf8.index(path.utf8.startIndex, offsetBy: offset)
        guard let start = i.samePosition(in: path) else { return false }  // inside a character
        return path[start] == c && path.index(after: start) == path.utf8.index(after: i)
    }

    /// The byte offset of the last `/` when the path is one the shortcuts may read: at least two bytes, no
    /// trailing or doubled slash, and the last slash a character of its own. `.some(nil)`: no slash at all.
    /// nil: ask Foundation.
    private static func lastSlash(_ path: String) -> Int?? {
        var last: Int?
        var previous: UInt8 = 0
        var count = 0
        for b in path.utf8 {
            if b == slash {
                if previous == slash { return nil }
                last = count
            }
            previous = b
            count += 1
        }
        guard count >= 2, previous != slash else { return nil }
        if let last, !stands("/", in: path, at: last) { return nil }
        return .some(last)
    }

    package static func fastPathExtension(_ path: String) -> String? {
        guard let found = lastSlash(path) else { return nil }
        let componentStart = found.map { $0 + 1 } ?? 0
        let bytes = Array(path.utf8)
        // Foundation: the text after the last path component's last dot, unless that dot starts the component
        // (a hidden file) or the component is "..".
        guard let p = bytes[componentStart...].lastIndex(of: dot) else { return "" }
        guard stands(".", in: path, at: p) else { return nil }
        if p == componentStart { return "" }
        if p == bytes.count - 1 && p - 1 == componentStart && bytes[p - 1] == dot { return "" }
        return String(decoding: bytes[(p + 1)...], as: UTF8.self)
    }

    package static func fastDeletingLastPathComponent(_ path: String) -> String? {
        guard let found = lastSlash(path) else { return nil }
        guard let last = found else { return "" }
        if last == 0 { return "/" }
        return String(decoding: Array(path.utf8)[..<last], as: UTF8.self)
    }

    package static func fastAppending(_ name: String, to directory: String) -> String? {
        guard !name.isEmpty, let tail = directory.utf8.last, tail != slash else { return nil }
        return directory + "/" + name
    }
}
