import Foundation

extension String {
    /// `Range(range, in: self)`: the string indices of a range in UTF-16 units, as a regular expression's match
    /// gives it, or nil when an end is not the start of a character (or is past the end, where Foundation traps).
    /// Read from the UTF-8 bytes in one pass. Foundation's conversion walks the string's UTF-16 view for each
    /// end, a few thousand instructions for a line of Chinese text, and a report asks it for every year, date
    /// and period its patterns find.
    public func indexRange(utf16 range: NSRange) -> Range<String.Index>? {
        guard range.location != NSNotFound, range.location >= 0, range.length >= 0 else { return nil }
        let lower = range.location, upper = range.location + range.length
        let offsets: (Int, Int)? = withUTF8Bytes { b in
            var units = 0, at = 0
            var lowerAt = -1
            let n = b.count
            while true {
                if units == lower && lowerAt < 0 { lowerAt = at }
                if units == upper { return lowerAt < 0 ? nil : (lowerAt, at) }
                if units > upper || at >= n { return nil }
                // A scalar of four bytes takes two UTF-16 units; every other scalar one.
                let length = UTF8Scan.scalar(b, at).length
                units += length == 4 ? 2 : 1
                at += length
            }
        }
        // An end inside a scalar (between the two halves of a surrogate pair) starts no character either; an end
        // past the string is refused too (where Foundation's conversion stops the process).
        guard let (l, u) = offsets else { return nil }
        // Foundation gives nil unless both ends start a character (a grapheme cluster), as `Index(_:within:)`.
        let start = utf8.startIndex
        guard let lowerIndex = String.Index(utf8.index(start, offsetBy: l), within: self),
            let upperIndex = String.Index(utf8.index(start, offsetBy: u), within: self)
        else { return nil }
        return lowerIndex..<upperIndex
    }
}
