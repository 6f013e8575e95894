import Foundation

/// Foundation's `NSString` path answers (`pathExtension`, `deletingLastPathComponent`, `lastPathComponent`,
/// `appendingPathComponent`) without bridging every path to `NSString`, and without Foundation's traps.
///
/// Speed: a folder scan of 100,000 files asks these of every path; the bridging, and the slash clean-up and
/// grapheme walk behind it, cost about a second. Each byte shortcut (`fast…`) answers only for a path where a
/// plain byte reading provably gives Foundation's answer. Foundation reads a path by characters (grapheme
/// clusters), so a `/` or `.` glued to a neighbouring mark is not a separator to it; the shortcuts therefore
/// require that the separators they rely on stand between ASCII bytes (an ASCII scalar never joins a `/` or `.`
/// into a larger cluster, except as part of `\r\n`, which holds neither), and leave paths with doubled or
/// trailing slashes (which Foundation cleans up first) to the character reading.
///
/// Safety: the other paths are read here by characters, as Foundation reads them, not handed to Foundation.
/// swift-corelibs-foundation traps (a crash, not an error) in `deletingLastPathComponent` on a path of one
/// character (`b`, a file in the current folder), and in all three answers on a path that ends in a doubled
/// slash and one non-ASCII character (`dir//é`). Its slash clean-up also loses its place in a path with two or
/// more runs of doubled slashes, or a character of several UTF-16 units before one: it gives the parent of
/// `a///b//c` as `a/b/`. The character reading cleans the slashes as Foundation means to (every run of `/` made
/// one, a trailing `/` dropped) and then gives, on the cleaned path, exactly Foundation's answer (`PathPartsTests`
/// compares them on generated paths and on answers recorded from Foundation in a child process); where
/// Foundation traps or misplaces the cut, the answer is the one the same rule gives every other path.
package enum PathParts {
    /// `(path as NSString).pathExtension`.
    package static func pathExtension(_ path: String) -> String {
        if let fast = fastPathExtension(path) { return fast }
        let chars = cleanedCharacters(path)
        if chars.count <= 1 { return "" }
        // The text after the last component's last dot, unless that dot starts the component (a hidden file, "..").
        let start = (chars.lastIndex(of: "/") ?? -1) + 1
        guard let dot = chars[start...].lastIndex(of: "."), dot > start else { return "" }
        return String(chars[(dot + 1)...])
    }

    /// `(path as NSString).deletingLastPathComponent`.
    package static func deletingLastPathComponent(_ path: String) -> String {
        if let fast = fastDeletingLastPathComponent(path) { return fast }
        let chars = cleanedCharacters(path)
        if chars.isEmpty || chars == ["/"] { return String(chars) }
        guard let last = chars.lastIndex(of: "/") else { return "" }  // one relative component
        if last == 0 { return "/" }
        return String(chars[..<last])
    }

    /// `(path as NSString).lastPathComponent`.
    package static func lastPathComponent(_ path: String) -> String {
        let chars = cleanedCharacters(path)
        if chars.count <= 1 { return String(chars) }
        guard let last = chars.lastIndex(of: "/") else { return String(chars) }
        return String(chars[(last + 1)...])
    }

    /// `(directory as NSString).appendingPathComponent(name)` for a directory entry's `name` (no `/` in it).
    package static func appending(_ name: String, to directory: String) -> String {
        if let fast = fastAppending(name, to: directory) { return fast }
        return (directory as NSString).appendingPathComponent(name)
    }

    /// The path's characters after Foundation's slash clean-up: every run of `/` made one, and then, when the
    /// path has more than one character, a trailing `/` dropped (so `//` becomes empty and `/` stays).
    static func cleanedCharacters(_ path: String) -> [Character] {
        var out: [Character] = []
        var count = 0
        for c in path {
            count += 1
            if c == "/" && out.last == "/" { continue }
            out.append(c)
        }
        if count > 1 && out.last == "/" { out.removeLast() }
        return out
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
    /// nil: read by characters.
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
