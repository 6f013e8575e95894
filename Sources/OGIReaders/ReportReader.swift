import Foundation
import OGIModel

/// How strongly a reader claims an input. The registry hands the input to the reader with the strongest
/// claim; on a tie, the reader listed first wins.
public enum ReaderClaim: Int, Comparable, Sendable {
    /// Not this reader's input.
    case none = 0
    /// Any input nobody else claims (plain text).
    case fallback = 10
    /// Only the file name's extension says so (`.docx` whose bytes are not a zip).
    case fileExtension = 20
    /// The first bytes look like this format (`<html`, `<table` …), or its usual extension (`.html`).
    case content = 30
    /// The input says what it is (`ogilint_model:` at the top, or a `.yml`/`.json` model extension).
    case declared = 40
    /// A magic number at the start of the bytes (`PK\3\4`, `%PDF`, the OLE2 signature).
    case signature = 50

    public static func < (a: ReaderClaim, b: ReaderClaim) -> Bool { a.rawValue < b.rawValue }
}

/// What a reader may look at to claim an input: the path and the first bytes, decoded once for all readers.
public struct InputSniffer: Sendable {
    public let path: String
    /// The file name's extension, lower case, without the dot.
    public let pathExtension: String
    /// The first bytes of the input (at most 2 KB).
    public let head: [UInt8]
    /// `head` as text (UTF-8, BOM removed), lower case. Computed on first use: a reader that claims the input
    /// by its signature (zip, PDF) is asked first, and the text of binary bytes is costly to lower-case.
    public var lowercasedText: String { textForms.forms.lowercased }
    /// `lowercasedText` without leading and trailing white space.
    public var trimmedText: String { textForms.forms.trimmed }
    private let textForms: TextForms

    public init(path: String, data: Data) {
        self.path = path
        pathExtension = PathParts.pathExtension(path).lowercased()
        // Copied from the bytes in place (a `Data` slice is copied into an array element by element).
        head = data.withUnsafeBytes { [UInt8](UnsafeRawBufferPointer(rebasing: $0.prefix(2048))) }
        textForms = TextForms(head: head)
    }

    /// The lower-cased and trimmed text of the head, computed once on first use (under a lock, so a sniffer
    /// may be shared between threads).
    final class TextForms: @unchecked Sendable {
        private let head: [UInt8]
        private var computed: (lowercased: String, trimmed: String)?
        private let lock = NSLock()

        init(head: [UInt8]) { self.head = head }

        var forms: (lowercased: String, trimmed: String) {
            lock.lock()
            defer { lock.unlock() }
            if let computed { return computed }
            var text = String(decoding: head, as: UTF8.self)
            if text.hasPrefix("\u{FEFF}") { text.removeFirst() }
            let result: (lowercased: String, trimmed: String)
            if let fast = InputSniffer.caselessLowercased(text) {
                result = fast
            } else {
                let lowered = text.lowercased()
                result = (lowered, lowered.trimmingCharacters(in: .whitespacesAndNewlines))
            }
            computed = result
            return result
        }
    }

    /// Lower case and trimmed forms of a text made only of ASCII and of blocks without letter case (CJK
    /// ideographs and punctuation, general punctuation, full-width digits and punctuation, U+FFFD), which are
    /// what `lowercased()` and `trimmingCharacters(in: .whitespacesAndNewlines)` give; nil for any other text
    /// (the general functions are used).
    ///
    /// Works on the UTF-8 bytes: every scalar of those blocks is one byte (ASCII) or three (U+0800 to U+FFFF),
    /// so a two- or four-byte sequence means another block. Only ASCII capitals change, and their bytes
    /// (0x41 to 0x5A) occur in no multi-byte sequence, so mapping those bytes maps the scalars.
    static func caselessLowercased(_ text: String) -> (lowercased: String, trimmed: String)? {
        // nil: a scalar of another block; an empty array: no capital (the text is its own lower case).
        let mapped = text.withUTF8Bytes { bytes -> [UInt8]? in
            var hasCapital = false
            var i = 0
            while i < bytes.count {
                let b = bytes[i]
                if b < 0x80 {
                    if b >= 0x41 && b <= 0x5A { hasCapital = true }
                    i += 1
                    continue
                }
                // A String is valid UTF-8: a lead byte from 0xE0 to 0xEF starts a complete three-byte scalar.
                guard b >= 0xE0 && b < 0xF0 else { return nil }
                let u = UInt32(b & 0x0F) << 12 | UInt32(bytes[i + 1] & 0x3F) << 6 | UInt32(bytes[i + 2] & 0x3F)
                guard isCaseless(u) else { return nil }
                i += 3
            }
            return hasCapital ? bytes.map { $0 >= 0x41 && $0 <= 0x5A ? $0 + 0x20 : $0 } : []
        }
        guard let mapped else { return nil }
        let lowered = mapped.isEmpty ? text : String(decoding: mapped, as: UTF8.self)
        // Trimmed by scalars with exactly Foundation's white space and newline set (U+200B included).
        return (lowered, ScalarTrim.whitespacesAndNewlines(lowered))
    }

    /// True for a scalar of U+0800 to U+FFFF in a block without letter case (listed above). Marks that join the
    /// character before them (U+200C, U+200D, U+302A to U+302F) are not: a joined space would not be trimmed alone.
    static func isCaseless(_ u: UInt32) -> Bool {
        switch u {
        case 0x200C, 0x200D, 0x302A...0x302F: return false
        case 0x2000...0x206F, 0x3000...0x303F, 0x3400...0x4DBF, 0x4E00...0x9FFF, 0xFF01...0xFF20, 0xFF3B...0xFF40, 0xFF5B...0xFF64, 0xFFFD:
            return true
        default: return false
        }
    }

    /// True when the bytes start with `signature`.
    public func starts(with signature: [UInt8]) -> Bool { head.starts(with: signature) }
}

/// One input format: what it accepts, how it recognises its input, and how it reads it into a `Report`.
///
/// To add a format, write a type conforming to this protocol in `Sources/OGIReaders/` and add it to
/// `ReaderRegistry.standard`. A reader throws `ReaderError` for input it cannot read, and stays within the
/// `ReadBudget` it was given.
public protocol ReportReader: Sendable {
    /// Short name of the format, e.g. `docx`; shown by `ogilint` where it names the reader used.
    var name: String { get }
    /// File name extensions (lower case, no dot) this reader is for.
    var extensions: [String] { get }
    /// How strongly this reader claims the input, from its path and first bytes only.
    func claim(_ input: InputSniffer) -> ReaderClaim
    /// Reads the whole input.
    func read(path: String, data: Data) throws -> Report
    /// Reads only what the input says about itself (title, agency, year, dates): what a batch needs to pair
    /// each report with last year's. It equals `read(path:data:).metadata`; a reader may skip the tables.
    func readMetadata(path: String, data: Data) throws -> Metadata
    /// Reads only the agency and year, what pairing needs (`PreviousPairing.key`): `readMetadata`'s agency and
    /// year in an otherwise empty `Metadata`; it throws exactly when `readMetadata` throws.
    func readPairingMetadata(path: String, data: Data) throws -> Metadata
    /// This reader as a `DraftingReader`, or nil when it is none: what `as? any DraftingReader` answers, without
    /// the run-time conformance search such a cast makes on every call (about 3,700 instructions for a reader
    /// that is not one).
    var drafting: (any DraftingReader)? { get }
}

extension ReportReader {
    public func readMetadata(path: String, data: Data) throws -> Metadata { try read(path: path, data: data).metadata }
    public var drafting: (any DraftingReader)? { nil }
}

/// The readers of a run, in order of precedence for equal claims.
public struct ReaderRegistry: Sendable {
    public let readers: [any ReportReader]

    public init(readers: [any ReportReader]) { self.readers = readers }

    /// Every format ogilint reads, plus the known formats it refuses with advice (legacy Word, images).
    public static func standard(context: ReaderContext, budget: ReadBudget) -> ReaderRegistry {
        ReaderRegistry(readers: [
            DocxReader(context: context, budget: budget),
            LegacyWordRefusal(),
            PDFReader(context: context, budget: budget),
            NonReportRefusal(),
            ModelReader(context: context, budget: budget, syntax: .json),
            ModelReader(context: context, budget: budget, syntax: .yaml),
            HTMLReader(context: context, budget: budget),
            TextReader(context: context, budget: budget),
        ])
    }

    /// The reader with the strongest claim on the input (the first listed wins a tie); nil when none claims it.
    public func reader(forPath path: String, data: Data) -> (any ReportReader)? {
        let input = InputSniffer(path: path, data: data)
        var best: (any ReportReader)?
        var bestClaim = ReaderClaim.none
        for r in readers {
            let c = r.claim(input)
            if c > bestClaim { best = r; bestClaim = c }
            // The strongest claim there is: a later reader could only tie, and the first listed wins a tie.
            if bestClaim == .signature { break }
        }
        return best
    }

    /// Reads the input with the reader that claims it.
    public func read(path: String, data: Data) throws -> Report {
        try claimant(path: path, data: data).read(path: path, data: data)
    }

    /// Reads the input's metadata only, with the reader that claims it (`ReportReader.readMetadata`).
    public func readMetadata(path: String, data: Data) throws -> Metadata {
        try claimant(path: path, data: data).readMetadata(path: path, data: data)
    }

    /// The reader that claims the input, or the error that says none does.
    func claimant(path: String, data: Data) throws -> any ReportReader {
        guard let reader = reader(forPath: path, data: data) else {
            throw ReaderError.unsupportedFormat(
                path: path, detail: "no reader recognises this file; pass a .txt, .docx, .html, .pdf or a report model (.yml/.json)")
        }
        return reader
    }

    /// The reader named `name`, if there is one.
    public func reader(named name: String) -> (any ReportReader)? { readers.first { $0.name == name } }
}

/// Refuses the legacy Word/WPS binary format (.doc/.wps) with advice to save it as DOCX.
public struct LegacyWordRefusal: ReportReader {
    public init() {}
    public var name: String { "legacy-word" }
    public var extensions: [String] { ["doc", "wps"] }
    public func claim(_ input: InputSniffer) -> ReaderClaim {
        input.starts(with: [0xD0, 0xCF, 0x11, 0xE0]) ? .signature : .none
    }
    public func read(path: String, data: Data) throws -> Report {
        throw ReaderError.unsupportedFormat(
            path: path, detail: "this is a legacy Word/WPS binary file (.doc/.wps); open it in Word or WPS and save it as .docx")
    }
}

/// Refuses files that are recognisably not report text (images, archives other than zip), saying what
/// the file is and what to pass instead.
public struct NonReportRefusal: ReportReader {
    public init() {}
    public var name: String { "non-report" }
    public var extensions: [String] { ["png", "jpg", "jpeg", "gif", "bmp", "tif", "tiff", "webp", "gz", "7z", "rar", "ofd"] }

    /// Magic numbers of formats that are never a report's text.
    static let kinds: [(signature: [UInt8], what: String)] = [
        ([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A], "a PNG image"),
        ([0xFF, 0xD8, 0xFF], "a JPEG image"),
        (Array("GIF8".utf8), "a GIF image"),
        ([0x49, 0x49, 0x2A, 0x00], "a TIFF image"),
        ([0x4D, 0x4D, 0x00, 0x2A], "a TIFF image"),
        ([0x1F, 0x8B], "a gzip archive"),
        ([0x37, 0x7A, 0xBC, 0xAF, 0x27, 0x1C], "a 7-Zip archive"),
        (Array("Rar!".utf8), "a RAR archive"),
    ]

    static func kind(of head: [UInt8]) -> String? {
        if head.count >= 12, head.starts(with: Array("RIFF".utf8)), Array(head[8..<12]) == Array("WEBP".utf8) { return "a WebP image" }
        // "BM" alone could start a text; a BMP also has four zero bytes at offset 6.
        if head.count >= 14, head.starts(with: Array("BM".utf8)), head[6..<10].allSatisfy({ $0 == 0 }) { return "a BMP image" }
        return kinds.first { head.starts(with: $0.signature) }?.what
    }

    public func claim(_ input: InputSniffer) -> ReaderClaim {
        Self.kind(of: input.head) != nil ? .signature : .none
    }

    public func read(path: String, data: Data) throws -> Report {
        let what = Self.kind(of: [UInt8](data.prefix(16))) ?? "not a text document"
        throw ReaderError.notAReport(path: path, what: what)
    }
}
