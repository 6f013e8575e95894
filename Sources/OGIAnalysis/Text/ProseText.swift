import OGIModel

/// A half-open range of Unicode-scalar offsets into a `ProseText` (or into the string a detector was given).
public struct TextSpan: Hashable, Sendable, Comparable, CustomStringConvertible {
    public var start: Int
    public var end: Int
    public init(start: Int, end: Int) { self.start = start; self.end = end }
    public var length: Int { end - start }
    public static func < (a: TextSpan, b: TextSpan) -> Bool { (a.start, a.end) < (b.start, b.end) }
    public var description: String { "\(start)..<\(end)" }
}

/// Where an offset of a `ProseText` came from: the index of the source paragraph (line) it was built from and
/// the 1-based scalar column inside it. A rule turns this into a `SourceLocation` with the paragraph's location.
public struct TextOrigin: Hashable, Sendable {
    public var paragraph: Int
    public var column: Int
}

/// A source paragraph as `ProseText` reads it: its scalars and whether it starts with a numbering marker, worked
/// out once so that every text built from the paragraph shares them.
public struct ProseParagraph: Sendable {
    public let scalars: [Unicode.Scalar]
    public let location: SourceLocation?
    /// `NumberingMarker.startsWithMarker(scalars)`.
    let startsWithMarker: Bool

    public init(_ text: String, location: SourceLocation? = nil) {
        scalars = Self.scalars(of: text)
        self.location = location
        startsWithMarker = NumberingMarker.startsWithMarker(scalars)
    }

    public init(_ paragraph: Paragraph) { self.init(paragraph.text, location: paragraph.location) }

    /// `Array(text.unicodeScalars)`, decoded from the string's UTF-8 in one pass (a string's UTF-8 is always
    /// valid, so each lead byte says how many continuation bytes follow).
    static func scalars(of text: String) -> [Unicode.Scalar] {
        return text.withUTF8Bytes { b in
            let n = b.count
            return [Unicode.Scalar](writingAtMost: n) { out in
                var i = 0, k = 0
                while i < n {
                    let c = UInt32(b[i])
                    let v: UInt32
                    if c < 0x80 {
                        v = c
                        i += 1
                    } else if c < 0xE0 {
                        v = (c & 0x1F) << 6 | UInt32(b[i + 1] & 0x3F)
                        i += 2
                    } else if c < 0xF0 {
                        v = (c & 0x0F) << 12 | UInt32(b[i + 1] & 0x3F) << 6 | UInt32(b[i + 2] & 0x3F)
                        i += 3
                    } else {
                        v = (c & 0x07) << 18 | UInt32(b[i + 1] & 0x3F) << 12 | UInt32(b[i + 2] & 0x3F) << 6 | UInt32(b[i + 3] & 0x3F)
                        i += 4
                    }
                    (out.baseAddress! + k).initialize(to: Unicode.Scalar(v)!)
                    k += 1
                }
                return k
            }
        }
    }
}

/// The prose of one scope (a part, a whole report) as one scalar array that all analyses share, with a map back
/// to the source paragraphs. Logical paragraphs are separated by a single "\n".
///
/// Text extracted from PDF breaks lines in mid-sentence; with `joinWrappedLines` a source paragraph that does
/// not end a sentence is joined to the next one (unless the next one starts with a numbering marker or the previous
/// one is a short numbered heading), so a number and its unit split over two lines ("471" / "件") are read together.
public struct ProseText: Sendable {
    public let scalars: [Unicode.Scalar]
    /// Per source paragraph: the offset in `scalars` where it starts.
    public let paragraphStarts: [Int]
    /// Offsets where each logical paragraph starts (after joining).
    public let logicalParagraphStarts: [Int]
    /// Per source paragraph, where it was read (empty when built from plain strings).
    public var paragraphLocations: [SourceLocation?] {
        switch locations {
        case .given(let l): return l
        case .ofParagraphs(let ps): return ps.map(\.location)
        }
    }

    /// Where `paragraphLocations` come from: given, or the locations of the prepared paragraphs the text was made
    /// of, read only when a location is asked for (most texts are read for no finding, and copying every
    /// paragraph's location into an array of their own went through the optional's value witness, about a
    /// hundred instructions a paragraph).
    private enum Locations: Sendable {
        case given([SourceLocation?])
        case ofParagraphs([ProseParagraph])
    }
    private let locations: Locations

    /// `paragraphLocations[k]` when there is one, read in place.
    private func location(ofParagraph k: Int) -> SourceLocation? {
        switch locations {
        case .given(let l): return k < l.count ? l[k] : nil
        case .ofParagraphs(let ps): return k < ps.count ? ps[k].location : nil
        }
    }

    public init(paragraphs: [String], joinWrappedLines: Bool = false) {
        self.init(paragraphs: paragraphs, locations: [], joinWrappedLines: joinWrappedLines)
    }

    /// Paragraphs with where they were read, so offsets can become `SourceLocation`s.
    public init(paragraphs: [Paragraph], joinWrappedLines: Bool = false) {
        self.init(paragraphs: paragraphs.map(\.text), locations: paragraphs.map(\.location), joinWrappedLines: joinWrappedLines)
    }

    /// The paragraphs of one part (its heading left out).
    public init(part: Part, joinWrappedLines: Bool = false) {
        self.init(paragraphs: part.paragraphs, joinWrappedLines: joinWrappedLines)
    }

    init(paragraphs: [String], locations: [SourceLocation?], joinWrappedLines: Bool) {
        self.init(prepared: paragraphs.map { ProseParagraph($0) }, locations: locations, joinWrappedLines: joinWrappedLines)
    }

    /// Paragraphs whose scalars were read once (`ProseParagraph`), e.g. shared by the several texts of one report
    /// (the whole report, its body, each part, joined or line by line).
    public init(prepared paragraphs: [ProseParagraph], joinWrappedLines: Bool = false) {
        self.init(prepared: paragraphs, locations: .ofParagraphs(paragraphs), joinWrappedLines: joinWrappedLines)
    }

    init(prepared paragraphs: [ProseParagraph], locations: [SourceLocation?], joinWrappedLines: Bool) {
        self.init(prepared: paragraphs, locations: .given(locations), joinWrappedLines: joinWrappedLines)
    }

    private init(prepared paragraphs: [ProseParagraph], locations: Locations, joinWrappedLines: Bool) {
        var out: [Unicode.Scalar] = []
        var starts: [Int] = []
        var logical: [Int] = []
        // Room for every paragraph's scalars and a separator after each, made once (grown by doubling, the text
        // of a whole report was copied a dozen times).
        var room = 0
        for p in paragraphs { room += p.scalars.count + 1 }
        out.reserveCapacity(room)
        starts.reserveCapacity(paragraphs.count)
        logical.reserveCapacity(paragraphs.count)
        var previousIsHeading = false
        for (i, p) in paragraphs.enumerated() {
            let ps = p.scalars
            let isHeading = ps.count <= ProseText.headingLength && p.startsWithMarker
            defer { previousIsHeading = isHeading }
            if i > 0 {
                let joins =
                    joinWrappedLines && !out.isEmpty && !ProseText.endsSentence(out) && !ps.isEmpty
                    && !p.startsWithMarker && !previousIsHeading
                if joins {
                    if let a = out.last, let b = ps.first, CharClass.isASCIIAlnum(a), CharClass.isASCIIAlnum(b) {
                        out.append(" ")
                    }
                } else {
                    out.append("\n")
                    logical.append(out.count)
                }
            } else {
                logical.append(0)
            }
            starts.append(out.count)
            out.append(contentsOf: ps)
        }
        if paragraphs.isEmpty { logical = [0] }
        scalars = out
        paragraphStarts = starts
        logicalParagraphStarts = logical
        self.locations = locations
    }

    /// A single text, e.g. one paragraph or a whole plain file.
    public init(_ text: String) { self.init(paragraphs: [text]) }

    /// The report's preamble and parts in order (headings included), ready for document-wide analyses.
    public init(report: Report, joinWrappedLines: Bool = false) {
        var ps = report.preamble
        for part in report.parts {
            ps.append(Paragraph(text: part.heading, location: part.location))
            ps.append(contentsOf: part.paragraphs)
        }
        self.init(paragraphs: ps, joinWrappedLines: joinWrappedLines)
    }

    public var count: Int { scalars.count }

    /// A numbered line at most this long is a heading: the next line is never joined to it.
    static let headingLength = 30

    public func text(_ span: TextSpan) -> String {
        let lo = max(0, span.start), hi = min(scalars.count, span.end)
        guard lo < hi else { return "" }
        return scalars.string(lo..<hi)
    }

    public var string: String { text(TextSpan(start: 0, end: scalars.count)) }

    /// The source paragraph and column an offset came from.
    public func origin(of offset: Int) -> TextOrigin {
        guard !paragraphStarts.isEmpty else { return TextOrigin(paragraph: 0, column: 1) }
        var lo = 0, hi = paragraphStarts.count - 1
        while lo < hi {
            let mid = (lo + hi + 1) / 2
            if paragraphStarts[mid] <= offset { lo = mid } else { hi = mid - 1 }
        }
        return TextOrigin(paragraph: lo, column: offset - paragraphStarts[lo] + 1)
    }

    /// Where an offset was read: the source paragraph's location with the column moved to the offset when the
    /// location has a line (columns count Unicode scalars from the paragraph's first character; white space the
    /// reader trimmed is not counted). Nil when the text was built without locations.
    public func location(of offset: Int) -> SourceLocation? {
        let o = origin(of: offset)
        guard var loc = location(ofParagraph: o.paragraph) else { return nil }
        if loc.line != nil { loc.column = (loc.column ?? 1) + o.column - 1 }
        return loc
    }

    /// The logical paragraph that holds an offset.
    public func logicalParagraph(of offset: Int) -> Int {
        var lo = 0, hi = logicalParagraphStarts.count - 1
        while lo < hi {
            let mid = (lo + hi + 1) / 2
            if logicalParagraphStarts[mid] <= offset { lo = mid } else { hi = mid - 1 }
        }
        return lo
    }

    static func endsSentence(_ s: [Unicode.Scalar]) -> Bool {
        var i = s.count - 1
        while i >= 0, FastText.isSpace(s[i]) { i -= 1 }
        while i >= 0, CharClass.isCloser(s[i]) { i -= 1 }
        guard i >= 0 else { return true }
        return CharClass.isSentenceEnder(s[i]) || s[i] == "；" || s[i] == "：" || s[i] == ":"
    }
}

/// Character classes used by the scanners (typography, not report wording).
public enum CharClass {
    public static let sentenceEnders: Set<Unicode.Scalar> = ["。", "！", "？", "!", "?"]
    /// Closing quotes and brackets that may follow a sentence end and belong to the sentence.
    public static let closers: Set<Unicode.Scalar> = ["”", "’", "）", ")", "」", "』", "》", "】", "〕"]
    public static let openBrackets: Set<Unicode.Scalar> = ["（", "(", "【", "[", "《", "「", "『", "〔", "“", "‘"]
    public static let closeBrackets: Set<Unicode.Scalar> = ["）", ")", "】", "]", "》", "」", "』", "〕", "”", "’"]
    /// Opening bracket for each closing one.
    public static let pairOf: [Unicode.Scalar: Unicode.Scalar] = [
        "）": "（", ")": "(", "】": "【", "]": "[", "》": "《", "」": "「", "』": "『", "〕": "〔", "”": "“", "’": "‘",
    ]

    /// Membership tests of the sets above without hashing (the scanners ask them of every scalar).
    @inline(__always) public static func isSentenceEnder(_ u: Unicode.Scalar) -> Bool {
        switch u.value {
        case 0x3002, 0xFF01, 0xFF1F, 0x21, 0x3F: return true
        default: return false
        }
    }

    @inline(__always) public static func isCloser(_ u: Unicode.Scalar) -> Bool {
        switch u.value {
        case 0x201D, 0x2019, 0xFF09, 0x29, 0x300D, 0x300F, 0x300B, 0x3011, 0x3015: return true
        default: return false
        }
    }

    /// `pairOf[u]` without hashing: the opening bracket of a closing one, nil for any other scalar.
    @inline(__always) public static func opener(of u: Unicode.Scalar) -> Unicode.Scalar? {
        switch u.value {
        case 0xFF09: return "（"
        case 0x29: return "("
        case 0x3011: return "【"
        case 0x5D: return "["
        case 0x300B: return "《"
        case 0x300D: return "「"
        case 0x300F: return "『"
        case 0x3015: return "〔"
        case 0x201D: return "“"
        case 0x2019: return "‘"
        default: return nil
        }
    }

    @inline(__always) public static func isOpenBracket(_ u: Unicode.Scalar) -> Bool {
        switch u.value {
        case 0xFF08, 0x28, 0x3010, 0x5B, 0x300A, 0x300C, 0x300E, 0x3014, 0x201C, 0x2018: return true
        default: return false
        }
    }

    /// True for the CJK Unified Ideographs block (U+4E00...U+9FFF), most of a Chinese text: one range test, the
    /// quick first test of the scans that act on no ideograph (`isCJK` holds these and the rarer blocks, in more
    /// comparisons).
    @inline(__always) public static func isUnifiedIdeograph(_ u: Unicode.Scalar) -> Bool { u.value >= 0x4E00 && u.value <= 0x9FFF }

    @inline(__always) public static func isCJK(_ u: Unicode.Scalar) -> Bool {
        switch u.value {
        case 0x3400...0x4DBF, 0x4E00...0x9FFF, 0xF900...0xFAFF, 0x20000...0x2FA1F: return true
        default: return false
        }
    }

    /// ASCII or full-width digit.
    @inline(__always) public static func digitValue(_ u: Unicode.Scalar) -> Int? {
        switch u.value {
        case 0x30...0x39: return Int(u.value - 0x30)
        case 0xFF10...0xFF19: return Int(u.value - 0xFF10)
        default: return nil
        }
    }

    @inline(__always) public static func isASCIIAlnum(_ u: Unicode.Scalar) -> Bool {
        switch u.value {
        case 0x30...0x39, 0x41...0x5A, 0x61...0x7A: return true
        default: return false
        }
    }

    /// Chinese or ASCII/full-width punctuation (not letters, digits, CJK ideographs or spaces).
    public static func isPunctuation(_ u: Unicode.Scalar) -> Bool {
        if isCJK(u) || isASCIIAlnum(u) || digitValue(u) != nil || FastText.isSpace(u) { return false }
        switch u.value {
        case 0x21...0x2F, 0x3A...0x40, 0x5B...0x60, 0x7B...0x7E, 0x2010...0x206F, 0x3000...0x303F, 0xFF01...0xFF0F,
            0xFF1A...0xFF20, 0xFF3B...0xFF40, 0xFF5B...0xFF65, 0x00B7, 0x00D7:
            return true
        default:
            return false
        }
    }
}

extension Array where Element == Unicode.Scalar {
    /// True when `needle` occurs at offset `i`.
    @inline(__always) func matches(_ needle: [Unicode.Scalar], at i: Int) -> Bool {
        guard i >= 0, i + needle.count <= count else { return false }
        var j = 0
        while j < needle.count {
            if self[i + j] != needle[j] { return false }
            j += 1
        }
        return true
    }

    /// The scalars in `r` as a string, encoded as UTF-8 straight into the string's storage (no byte array, no
    /// append per scalar).
    func string(_ r: Range<Int>) -> String {
        guard !r.isEmpty else { return "" }
        return withUnsafeBufferPointer { sc in
            String(knownValidUTF8Capacity: r.count * 4) { buf in
                var n = 0
                for i in r { n = UTF8Scan.write(sc[i].value, to: buf, at: n) }
                return n
            }
        }
    }
}
