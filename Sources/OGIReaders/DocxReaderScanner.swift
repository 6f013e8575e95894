import Foundation

/// Streams a DOCX part (`word/document.xml` to a `DocxLineariser`, `word/numbering.xml` to a
/// `ListNumberingReading`) without libxml2, for parts written in the plain subset of XML that Word, WPS and
/// LibreOffice write; any other part is left to libxml2 (`XMLTree.streamXML`), which is then loaded.
///
/// libxml2 spends about 100 instructions a byte on a document part (a 28 KB part costs 2.8 M instructions, and a
/// batch reads each DOCX twice: once for its pairing key, once to check it). This scanner hands the lineariser
/// exactly the calls libxml2's parse does — element starts with their local names and attributes, element ends,
/// and the text between tags with its references replaced — for every document it accepts, and accepts only
/// documents that libxml2 reads as well-formed, with every element and attribute prefix bound. White space is
/// XML's, carriage returns included: Word and WPS end the XML declaration with CR LF. It gives up
/// (`stream` returns false, the lineariser is then discarded) at the first thing outside the subset:
/// - a byte-order mark; an XML declaration other than `<?xml version="1.0"` with an optional UTF-8 `encoding` and
///   `standalone` (libxml2 is told the part is UTF-8 whatever it says); comments, processing instructions,
///   CDATA sections, DOCTYPE, anything before or after the root element but white space;
/// - names that are not ASCII `[A-Za-z_][A-Za-z0-9_.-]*`, optionally with one prefix of the same form; a prefix
///   bound to no namespace (libxml2 then hands over no name); prefixes `xmlns` on elements or `xml` redeclared;
///   a namespace declared empty or as the `xml`/`xmlns` namespace; two attributes with one local name, or two
///   declarations of one prefix or of the default namespace, on an element;
/// - an attribute value with `<` or a reference other than those allowed in text (below), a namespace
///   declaration with a reference, tab, line feed or carriage return in its value, or missing white space
///   between attributes (values with references, tabs and line ends are handed over as libxml2 rewrites them);
/// - in text: a control character but tab, line feed and carriage return (a CR LF or a lone CR is handed over as
///   a line feed, as libxml2 does), `]]>`, a reference other than the five predefined entities and character
///   references to XML characters;
/// - bytes that are not UTF-8, or the non-characters U+FFFE and U+FFFF, anywhere;
/// - elements nested deeper than 200 (libxml2 stops at 256), names over 1,000 bytes, text runs over 1 MB (libxml2
///   limits text to 10 MB), more than 256 attributes on an element, an end tag that does not close the element
///   open, or a document that ends before its root element does.
/// `DocxScannerTests` compares the two on every DOCX sample and on generated variants (pretty-printed, with
/// references, cut short, mutated byte by byte).
enum DocxReaderScanner {
    /// Streams `data` to the reading `reader` drives (`XMLStreamDriver`); false when the document is outside the
    /// subset (the reader must then be discarded: it may have been handed part of the document).
    static func stream<Reading: XMLStreamReading>(_ data: Data, into reader: XMLStreamDriver<Reading>) -> Bool {
        streamCountingElements(data, into: reader) != nil
    }

    /// As `stream`, with the number of elements (start tags) of a document it accepts; nil when it does not, or
    /// when the document has more than `maxElements` (the caller's budget then refuses it without a full scan).
    /// `terminated`: the byte after `data`'s bytes, in the same allocation, is NUL (`ZipStructure.inflate`'s
    /// output), so the scan reads them in place (for 64 bytes and more: a `Data` copies fewer into itself);
    /// otherwise it reads a terminated copy.
    static func streamCountingElements<Reading: XMLStreamReading>(
        _ data: Data, terminated: Bool = false, into reader: XMLStreamDriver<Reading>, maxElements: Int = .max
    ) -> Int? {
        withExtendedLifetime(reader) {
            data.withUnsafeBytes { buffer -> Int? in
                if terminated, buffer.count >= 64, let base = buffer.baseAddress?.assumingMemoryBound(to: UInt8.self),
                    base[buffer.count] == 0
                {
                    return stream(base, count: buffer.count, into: reader.reading, maxElements: maxElements)
                }
                let count = buffer.count
                let bytes = UnsafeMutablePointer<UInt8>.allocate(capacity: count + 1)
                defer { bytes.deallocate() }
                if count > 0, let base = buffer.baseAddress {
                    bytes.initialize(from: base.assumingMemoryBound(to: UInt8.self), count: count)
                }
                bytes[count] = 0
                return stream(UnsafePointer(bytes), count: count, into: reader.reading, maxElements: maxElements)
            }
        }
    }

    /// Streams the `count` bytes at `bytes`, followed by a NUL, to the reading at `reading`, which the caller keeps
    /// alive; the number of elements, or nil as above. The bytes are only read.
    static func stream<Reading: XMLStreamReading>(
        _ bytes: UnsafePointer<UInt8>, count: Int, into reading: UnsafeMutablePointer<Reading>, maxElements: Int
    ) -> Int? {
        var scanner = Scan(bytes, count: count, reading: reading)
        scanner.maxElements = maxElements
        defer { scanner.deallocate() }
        return scanner.document() ? scanner.elements : nil
    }

    static let maxDepth = 200
    /// The line feed a line end in text is handed over as.
    static let lineFeed: UInt8 = 0x0A

    /// Byte classes, one table lookup per byte in the name and value loops: `nameStart` (`[A-Za-z_]`), `nameByte`
    /// (those, digits, `.` and `-`), `plainValue` (printable ASCII that an attribute value holds as it is: not `<`,
    /// `&` or a quote). NUL is in no class, so a loop stops at the terminator after the document.
    static let nameStart: UInt8 = 1, nameByte: UInt8 = 2, plainValue: UInt8 = 4
    nonisolated(unsafe) static let byteClasses: UnsafePointer<UInt8> = {
        let table = UnsafeMutablePointer<UInt8>.allocate(capacity: 256)
        table.initialize(repeating: 0, count: 256)
        for b in 0..<256 {
            let c = UInt8(b)
            var bits: UInt8 = 0
            let letter = ((c | 0x20) >= 0x61 && (c | 0x20) <= 0x7A) || c == 0x5F
            if letter { bits |= nameStart | nameByte }
            if (c >= 0x30 && c <= 0x39) || c == 0x2E || c == 0x2D { bits |= nameByte }
            if c >= 0x20, c < 0x7F, c != 0x3C, c != 0x26, c != 0x22, c != 0x27 { bits |= plainValue }
            table[b] = bits
        }
        return UnsafePointer(table)
    }()
    /// Writes the UTF-8 of `scalar`, an XML character (a reference's, checked by `referenceScalar`), at `out`;
    /// the number of bytes written (1 to 4).
    @inline(__always) static func encodeUTF8(_ scalar: UInt32, into out: UnsafeMutablePointer<UInt8>) -> Int {
        var k = 0
        for unit in UTF8.encode(Unicode.Scalar(scalar) ?? "\u{FFFD}")! {
            out[k] = unit
            k += 1
        }
        return k
    }

    static let maxNameBytes = 1_000
    static let maxTextBytes = 1_000_000
    static let maxAttributes = 256
    static let maxDeclarations = 1_024

    /// A name in the document: the prefix (empty when none) and the local name, as byte offsets.
    struct QName {
        var start: Int
        /// Offset of the local name (`start` when there is no prefix).
        var local: Int
        var end: Int
        var hasPrefix: Bool { local != start }
    }

    /// An attribute of the tag being read.
    struct Attribute {
        var name: QName
        var valueStart: Int
        var valueEnd: Int
        /// The value holds a reference or a tab, line feed or carriage return, which libxml2 rewrites.
        var rewritten: Bool
    }

    /// The content of an element the reading ignored (from after its start tag to after its end tag), found
    /// well-formed: the same bytes after another start tag of that name, under the same declarations, are
    /// well-formed too and hand the reading nothing, so they are compared instead of scanned. Word writes the
    /// same run properties (`w:rPr`) around most runs, about half of a document's bytes.
    struct IgnoredContent {
        /// The element's name, and where its content is.
        var name: QName
        var start: Int
        var count: Int
        /// The content's first eight bytes and the eight before its last eight (quick filters: Word's run
        /// properties share long beginnings and all end in the same end tag, and differ near the end, in a font
        /// size or a colour; zero for a content shorter than sixteen bytes), its start tags and how many levels it
        /// nests below the element, and `declarationsVersion` when it was read.
        var head: UInt64
        var tail: UInt64
        var elements: Int
        var levels: Int
        var version: Int
    }

    static let maxIgnoredContents = 16

    /// A namespace prefix declared by an open element.
    struct Declaration {
        var start: Int
        var count: Int
        var depth: Int
    }

    struct Scan<Reading: XMLStreamReading> {
        let p: UnsafePointer<UInt8>
        let n: Int
        /// The reading, driven directly (no class dispatch or reference counting per call).
        let reading: UnsafeMutablePointer<Reading>
        var i = 0
        /// The open elements' names (`depth` of them), the prefixes they declare, the attributes of the tag
        /// being read: fixed buffers, as the subset bounds each.
        let open: UnsafeMutablePointer<QName>
        var depth = 0
        let declarations: UnsafeMutablePointer<Declaration>
        var declarationCount = 0
        let attributes: UnsafeMutablePointer<Attribute>
        var attributeCount = 0
        /// The last prefix found bound (offset and length), forgotten when a declaration goes out of scope.
        var boundPrefix = (start: 0, count: -1)
        /// libxml2's SAX2 attribute array (local name, prefix, namespace, value start, value end for each).
        let sax: UnsafeMutablePointer<UnsafePointer<XMLChar>?>
        /// A non-nil pointer standing for a prefix or namespace (the lineariser only asks whether there is one).
        let bound: UnsafePointer<XMLChar>
        /// `DocxReaderScanner.byteClasses`.
        let classes = DocxReaderScanner.byteClasses
        /// The values libxml2 rewrites (`rewrittenValue`) of the tag being handed over, made when first needed: a
        /// tag's rewritten values fit in the document's length.
        var values: UnsafeMutablePointer<UInt8>?
        /// The level of the open element whose content the reading ignores (`XMLStreamReading.ignoresContent`),
        /// `Int.max` when none: inside it the document is still checked in full, but nothing is handed over.
        var muteLevel = Int.max
        /// Ignored contents found well-formed (`IgnoredContent`), replaced in turn; and the one being read: where
        /// it starts, the start tags before it, the levels it nests, the declarations version (-1: not kept).
        let ignored: UnsafeMutablePointer<IgnoredContent>
        var ignoredCount = 0, ignoredNext = 0
        var muteStart = 0, muteElements = 0, muteLevels = 0, muteVersion = -1
        /// Changes whenever a declaration comes into or goes out of scope.
        var declarationsVersion = 0
        /// Start tags read, and the most the scan reads before giving up.
        var elements = 0
        var maxElements = Int.max

        init(_ p: UnsafePointer<UInt8>, count: Int, reading: UnsafeMutablePointer<Reading>) {
            self.p = p
            self.n = count
            self.reading = reading
            open = .allocate(capacity: DocxReaderScanner.maxDepth + 1)
            declarations = .allocate(capacity: DocxReaderScanner.maxDeclarations)
            attributes = .allocate(capacity: DocxReaderScanner.maxAttributes)
            sax = .allocate(capacity: 5 * DocxReaderScanner.maxAttributes)
            ignored = .allocate(capacity: DocxReaderScanner.maxIgnoredContents)
            bound = p
        }

        func deallocate() {
            values?.deallocate()
            ignored.deallocate()
            open.deallocate()
            declarations.deallocate()
            attributes.deallocate()
            sax.deallocate()
        }

        @inline(__always) func byte(_ k: Int) -> UInt8 { k < n ? p[k] : 0 }

        /// XML's white space: space, tab, line feed and carriage return. Word ends the XML declaration with CR LF.
        @inline(__always) static func isSpace(_ b: UInt8) -> Bool { b == 0x20 || b == 0x09 || b == 0x0A || b == 0x0D }

        @inline(__always) mutating func skipSpace() { while i < n, Self.isSpace(p[i]) { i += 1 } }

        /// True when the bytes at `k` are `s` (an ASCII literal: read through its pointer, as a closure over
        /// `withUTF8Buffer` would copy the scan's state at every call).
        @inline(__always) func matches(_ s: StaticString, at k: Int) -> Bool {
            let count = s.utf8CodeUnitCount
            guard k + count <= n else { return false }
            let w = s.utf8Start
            var j = 0
            while j < count {
                if p[k + j] != w[j] { return false }
                j += 1
            }
            return true
        }

        @inline(__always) func equal(_ a: Int, _ b: Int, count: Int) -> Bool {
            // Most names are eight bytes or fewer (`w:rPr`, `w:sectPr`): one word from each place, the bytes past
            // `count` shifted out (the first byte is the low one, read as little-endian), when both words lie in the
            // document; else the C library's `memcmp`.
            if count <= 8, a + 8 <= n, b + 8 <= n {
                let x = UInt64(littleEndian: UnsafeRawPointer(p + a).loadUnaligned(as: UInt64.self))
                let y = UInt64(littleEndian: UnsafeRawPointer(p + b).loadUnaligned(as: UInt64.self))
                return count <= 0 || (x ^ y) << UInt64(64 - 8 * count) == 0
            }
            return count <= 0 || memcmp(p + a, p + b, count) == 0
        }

        /// `equal` byte by byte (the reference its word and `memcmp` readings are compared with).
        func equalByBytes(_ a: Int, _ b: Int, count: Int) -> Bool {
            var k = 0
            while k < count {
                if p[a + k] != p[b + k] { return false }
                k += 1
            }
            return true
        }

        /// Inlined, as every non-mutating method: a call would copy the scan's state (self) for the callee.
        @inline(__always) func equalsLiteral(_ start: Int, _ count: Int, _ s: StaticString) -> Bool {
            count == s.utf8CodeUnitCount && matches(s, at: start)
        }

        /// The whole document; false when it is outside the subset.
        mutating func document() -> Bool {
            if matches("<?xml", at: 0) { guard declaration() else { return false } }
            skipSpace()
            guard i < n, p[i] == 0x3C, startsName(byte(i + 1)) else { return false }
            while i < n {
                if p[i] == 0x3C {
                    let next = byte(i + 1)
                    if next == 0x2F {
                        guard endTag() else { return false }
                        if depth == 0 {
                            skipSpace()
                            return i == n
                        }
                    } else if startsName(next) {
                        guard startTag() else { return false }
                        if depth == 0 { skipSpace(); return i == n }
                    } else {
                        return false
                    }
                } else {
                    guard text() else { return false }
                }
            }
            return false
        }

        /// `<?xml version="1.0" [encoding="UTF-8"] [standalone="yes"|"no"] ?>` at the start.
        mutating func declaration() -> Bool {
            i = 5
            var seen = 0  // 1: version, 2: encoding, 3: standalone
            while true {
                let hadSpace = i < n && Self.isSpace(p[i])
                skipSpace()
                if matches("?>", at: i) { i += 2; return seen >= 1 }
                guard hadSpace else { return false }
                let nameStart = i
                while i < n, (p[i] | 0x20) >= 0x61, (p[i] | 0x20) <= 0x7A { i += 1 }
                let nameCount = i - nameStart
                skipSpace()
                guard byte(i) == 0x3D else { return false }
                i += 1
                skipSpace()
                let quote = byte(i)
                guard quote == 0x22 || quote == 0x27 else { return false }
                let valueStart = i + 1
                i = valueStart
                while i < n, p[i] != quote {
                    guard p[i] >= 0x21, p[i] < 0x7F, p[i] != 0x3C, p[i] != 0x26 else { return false }
                    i += 1
                }
                guard i < n else { return false }
                let valueCount = i - valueStart
                i += 1
                if seen == 0, equalsLiteral(nameStart, nameCount, "version") {
                    guard equalsLiteral(valueStart, valueCount, "1.0") else { return false }
                    seen = 1
                } else if seen == 1, equalsLiteral(nameStart, nameCount, "encoding") {
                    guard valueCount == 5, (p[valueStart] | 0x20) == 0x75, (p[valueStart + 1] | 0x20) == 0x74,
                        (p[valueStart + 2] | 0x20) == 0x66, p[valueStart + 3] == 0x2D, p[valueStart + 4] == 0x38
                    else { return false }
                    seen = 2
                } else if seen >= 1, seen < 3, equalsLiteral(nameStart, nameCount, "standalone") {
                    guard equalsLiteral(valueStart, valueCount, "yes") || equalsLiteral(valueStart, valueCount, "no") else { return false }
                    seen = 3
                } else {
                    return false
                }
            }
        }

        /// True when `b` may begin a name (`DocxReaderScanner.byteClasses`).
        @inline(__always) func startsName(_ b: UInt8) -> Bool { classes[Int(b)] & DocxReaderScanner.nameStart != 0 }

        /// A name with at most one prefix, at `i`. The loops need no bound: the byte after the document is NUL, in no
        /// class.
        @inline(__always) mutating func qname() -> QName? {
            let start = i
            guard startsName(p[i]) else { return nil }
            i += 1
            while classes[Int(p[i])] & DocxReaderScanner.nameByte != 0 { i += 1 }
            var local = start
            if p[i] == 0x3A {
                i += 1
                local = i
                guard startsName(p[i]) else { return nil }
                i += 1
                while classes[Int(p[i])] & DocxReaderScanner.nameByte != 0 { i += 1 }
            }
            guard i - start <= DocxReaderScanner.maxNameBytes else { return nil }
            return QName(start: start, local: local, end: i)
        }

        /// True when the prefix of `name` is declared by an open element or the one being read, or is `xml`.
        @inline(__always) mutating func isBound(_ name: QName) -> Bool {
            let count = name.local - 1 - name.start
            if count == boundPrefix.count, equal(boundPrefix.start, name.start, count: count) { return true }
            return isBoundOtherThanLast(name, count)
        }

        /// `isBound` for a prefix other than the last one found bound.
        mutating func isBoundOtherThanLast(_ name: QName, _ count: Int) -> Bool {
            if count == 3, p[name.start] == 0x78, p[name.start + 1] == 0x6D, p[name.start + 2] == 0x6C { return true }  // xml
            var k = declarationCount - 1
            while k >= 0 {
                let d = declarations[k]
                if d.count == count, equal(d.start, name.start, count: count) {
                    boundPrefix = (name.start, count)
                    return true
                }
                k -= 1
            }
            return false
        }

        mutating func startTag() -> Bool {
            i += 1
            elements += 1
            guard elements <= maxElements else { return false }
            guard let name = qname(), depth < DocxReaderScanner.maxDepth else { return false }
            let level = depth + 1
            attributeCount = 0
            let firstDeclaration = declarationCount
            var declaresDefault = false
            var empty = false
            while true {
                let hadSpace = i < n && Self.isSpace(p[i])
                skipSpace()
                guard i < n else { return false }
                if p[i] == 0x3E { i += 1; break }
                if p[i] == 0x2F {
                    guard byte(i + 1) == 0x3E else { return false }
                    i += 2
                    empty = true
                    break
                }
                guard hadSpace, let attribute = qname() else { return false }
                skipSpace()
                guard byte(i) == 0x3D else { return false }
                i += 1
                skipSpace()
                let quote = byte(i)
                guard quote == 0x22 || quote == 0x27 else { return false }
                i += 1
                let valueStart = i
                var rewritten = false
                while true {
                    while classes[Int(p[i])] & DocxReaderScanner.plainValue != 0 { i += 1 }
                    let b = p[i]
                    if b == quote { break }
                    if b < 0x80 {
                        if b == 0x26 {
                            guard referenceScalar() != nil else { return false }
                            rewritten = true
                        } else if b == 0x09 || b == 0x0A || b == 0x0D {
                            rewritten = true
                            i += 1
                        } else {
                            // The other quote; or `<`, another control character or the end (NUL).
                            guard b == 0x22 || b == 0x27 else { return false }
                            i += 1
                        }
                    } else {
                        let length = Self.utf8Length(p, i, n)
                        guard length > 0 else { return false }
                        i += length
                    }
                }
                guard i < n, i - valueStart <= DocxReaderScanner.maxTextBytes else { return false }
                let valueEnd = i
                i += 1
                if !attribute.hasPrefix, equalsLiteral(attribute.start, attribute.end - attribute.start, "xmlns") {
                    // The default namespace: it binds no prefix; declared twice on one element, libxml2 refuses it.
                    guard !declaresDefault, !rewritten, !isReservedNamespace(valueStart, valueEnd - valueStart) else { return false }
                    declaresDefault = true
                } else if attribute.hasPrefix, equalsLiteral(attribute.start, attribute.local - 1 - attribute.start, "xmlns") {
                    let count = attribute.end - attribute.local
                    guard !rewritten, valueEnd > valueStart, !isReservedNamespace(valueStart, valueEnd - valueStart),
                        !equalsLiteral(attribute.local, count, "xml"), !equalsLiteral(attribute.local, count, "xmlns")
                    else { return false }
                    guard declarationCount < DocxReaderScanner.maxDeclarations else { return false }
                    for k in firstDeclaration..<declarationCount
                    where declarations[k].count == count && equal(declarations[k].start, attribute.local, count: count) {
                        return false
                    }
                    declarations[declarationCount] = Declaration(start: attribute.local, count: count, depth: level)
                    declarationCount += 1
                    declarationsVersion += 1
                } else {
                    guard attributeCount < DocxReaderScanner.maxAttributes else { return false }
                    let count = attribute.end - attribute.local
                    for k in 0..<attributeCount {
                        let a = attributes[k].name
                        if a.end - a.local == count, equal(a.local, attribute.local, count: count) { return false }
                    }
                    attributes[attributeCount] = Attribute(
                        name: attribute, valueStart: valueStart, valueEnd: valueEnd, rewritten: rewritten)
                    attributeCount += 1
                }
            }
            if name.hasPrefix {
                let prefixCount = name.local - 1 - name.start
                guard !equalsLiteral(name.start, prefixCount, "xmlns"), !equalsLiteral(name.start, prefixCount, "xml"), isBound(name) else {
                    return false
                }
            }
            for k in 0..<attributeCount where attributes[k].name.hasPrefix { guard isBound(attributes[k].name) else { return false } }
            if depth >= muteLevel {
                if level - muteLevel > muteLevels { muteLevels = level - muteLevel }
                if empty {
                    closeDeclarations(level)
                } else {
                    open[depth] = name
                    depth = level
                }
                return true
            }
            // Names are handed over where they stand, each ended by its delimiter (white space, `>`, `/` or `=`: see
            // `XMLTree.endsName`), not by a NUL as libxml2 ends them; the document is only read.
            let elementName = p + name.local
            var used = 0
            for k in 0..<attributeCount {
                let a = attributes[k]
                sax[5 * k] = p + a.name.local
                sax[5 * k + 1] = a.name.hasPrefix ? bound : nil
                sax[5 * k + 2] = a.name.hasPrefix ? bound : nil
                if a.rewritten {
                    let (start, end) = rewrittenValue(a.valueStart, a.valueEnd, at: &used)
                    sax[5 * k + 3] = start
                    sax[5 * k + 4] = end
                } else {
                    sax[5 * k + 3] = p + a.valueStart
                    sax[5 * k + 4] = p + a.valueEnd
                }
            }
            reading.pointee.start(XMLStreamElement(name: elementName, attributeCount: attributeCount, attributes: sax))
            if empty {
                reading.pointee.end()
                closeDeclarations(level)
            } else {
                open[depth] = name
                depth = level
                if reading.pointee.ignoresContent {
                    muteLevel = level
                    muteVersion = -1
                    // An element that declares nothing: its content may be one read before, else it is kept.
                    if declarationCount == firstDeclaration {
                        if let seen = ignoredContent(named: name), level + seen.levels <= DocxReaderScanner.maxDepth,
                            elements + seen.elements <= maxElements
                        {
                            i += seen.count
                            elements += seen.elements
                            reading.pointee.end()
                            muteLevel = .max
                            depth = level - 1
                            return true
                        }
                        muteStart = i
                        muteElements = elements
                        muteLevels = 0
                        muteVersion = declarationsVersion
                    }
                }
            }
            return true
        }

        /// The value from `start` to `end` as libxml2's SAX2 parse hands it over, written into `values` at `used`: each
        /// tab, line feed and carriage return (a CR LF as one) a space; each reference its character, but `&` as the
        /// reference `&#38;` (which `XMLStreamElement.attribute` turns back into `&`). Never longer than the value.
        mutating func rewrittenValue(_ start: Int, _ end: Int, at used: inout Int) -> (UnsafePointer<UInt8>, UnsafePointer<UInt8>) {
            if values == nil { values = .allocate(capacity: n + 1) }
            let out = values! + used
            var k = 0
            let resume = i
            i = start
            while i < end {
                let b = p[i]
                if b == 0x26 {
                    // Checked when the tag was read.
                    let scalar = referenceScalar() ?? 0xFFFD
                    if scalar == 0x26 {
                        for c in "&#38;".utf8 {
                            out[k] = c
                            k += 1
                        }
                    } else {
                        k += DocxReaderScanner.encodeUTF8(scalar, into: out + k)
                    }
                    continue
                }
                if b == 0x09 || b == 0x0A || b == 0x0D {
                    out[k] = 0x20
                    if b == 0x0D, i + 1 < end, p[i + 1] == 0x0A { i += 1 }
                } else {
                    out[k] = b
                }
                k += 1
                i += 1
            }
            i = resume
            used += k
            return (UnsafePointer(out), UnsafePointer(out + k))
        }

        /// The eight bytes sixteen from the end of the `count` bytes at `k` (which must lie in the document), as a
        /// filter; zero when `count` is under sixteen.
        @inline(__always) func tail(at k: Int, count: Int) -> UInt64 {
            count < 16 ? 0 : UnsafeRawPointer(p + k + count - 16).loadUnaligned(as: UInt64.self)
        }

        /// The first eight bytes at `k` (fewer, then zeros, near the end), as a filter.
        @inline(__always) func head(at k: Int) -> UInt64 {
            if k + 8 <= n { return UnsafeRawPointer(p + k).loadUnaligned(as: UInt64.self) }
            var h: UInt64 = 0
            for j in 0..<8 { h = h << 8 | UInt64(byte(k + j)) }
            return h
        }

        /// A kept ignored content of an element named `name` whose bytes are those at `i`, under the declarations now
        /// in scope.
        func ignoredContent(named name: QName) -> IgnoredContent? {
            let h = head(at: i)
            let nameCount = name.end - name.start
            for k in 0..<ignoredCount {
                let seen = ignored[k]
                guard seen.head == h, seen.version == declarationsVersion, seen.count <= n - i, tail(at: i, count: seen.count) == seen.tail,
                    seen.name.end - seen.name.start == nameCount, seen.name.local - seen.name.start == name.local - name.start,
                    equal(seen.name.start, name.start, count: nameCount), memcmp(p + i, p + seen.start, seen.count) == 0
                else { continue }
                return seen
            }
            return nil
        }

        /// True when the value is the `xml` or `xmlns` namespace, which no prefix may be bound to.
        func isReservedNamespace(_ start: Int, _ count: Int) -> Bool {
            equalsLiteral(start, count, "http://www.w3.org/XML/1998/namespace")
                || equalsLiteral(start, count, "http://www.w3.org/2000/xmlns/")
        }

        mutating func closeDeclarations(_ level: Int) {
            guard declarationCount > 0, declarations[declarationCount - 1].depth >= level else { return }
            while declarationCount > 0, declarations[declarationCount - 1].depth >= level { declarationCount -= 1 }
            declarationsVersion += 1
            boundPrefix = (0, -1)
        }

        mutating func endTag() -> Bool {
            i += 2
            guard depth > 0, let name = qname() else { return false }
            let top = open[depth - 1]
            guard name.end - name.start == top.end - top.start, name.local - name.start == top.local - top.start,
                equal(name.start, top.start, count: name.end - name.start)
            else { return false }
            skipSpace()
            guard byte(i) == 0x3E else { return false }
            i += 1
            if depth <= muteLevel {
                reading.pointee.end()
                if depth == muteLevel {
                    muteLevel = .max
                    // Nothing was declared from the element's start to its end: its content is kept.
                    if muteVersion == declarationsVersion {
                        ignored[ignoredNext] = IgnoredContent(
                            name: top, start: muteStart, count: i - muteStart, head: head(at: muteStart),
                            tail: tail(at: muteStart, count: i - muteStart), elements: elements - muteElements,
                            levels: muteLevels, version: muteVersion)
                        ignoredNext = (ignoredNext + 1) % DocxReaderScanner.maxIgnoredContents
                        if ignoredCount < DocxReaderScanner.maxIgnoredContents { ignoredCount += 1 }
                    }
                }
            }
            closeDeclarations(depth)
            depth -= 1
            return true
        }

        /// Text up to the next tag, handed over in runs between references (unless muted).
        mutating func text() -> Bool {
            let start = i
            var run = i
            let muted = depth >= muteLevel
            while i < n {
                let b = p[i]
                if b == 0x3C { break }
                if b < 0x80 {
                    if b < 0x20 {
                        if b == 0x0D {
                            // A line end: CR LF and a lone CR are handed over as one line feed, as libxml2 does.
                            if i > run, !muted { reading.pointee.text(UnsafeBufferPointer(start: p + run, count: i - run)) }
                            i += byte(i + 1) == 0x0A ? 2 : 1
                            run = i
                            if !muted {
                                withUnsafePointer(to: DocxReaderScanner.lineFeed) {
                                    reading.pointee.text(UnsafeBufferPointer(start: $0, count: 1))
                                }
                            }
                            continue
                        }
                        guard b == 0x09 || b == 0x0A else { return false }
                    } else if b == 0x26 {
                        if i > run, !muted { reading.pointee.text(UnsafeBufferPointer(start: p + run, count: i - run)) }
                        guard reference(muted: muted) else { return false }
                        run = i
                        continue
                    } else if b == 0x5D, byte(i + 1) == 0x5D, byte(i + 2) == 0x3E {
                        return false
                    }
                    i += 1
                } else {
                    let length = Self.utf8Length(p, i, n)
                    guard length > 0 else { return false }
                    i += length
                }
            }
            guard i < n, i - start <= DocxReaderScanner.maxTextBytes else { return false }
            if i > run, !muted { reading.pointee.text(UnsafeBufferPointer(start: p + run, count: i - run)) }
            return true
        }

        /// A predefined entity or character reference at `i`, handed over as its character (unless `muted`).
        mutating func reference(muted: Bool) -> Bool {
            guard let scalar = referenceScalar() else { return false }
            if muted { return true }
            var encoded: (UInt8, UInt8, UInt8, UInt8) = (0, 0, 0, 0)
            let count = withUnsafeMutableBytes(of: &encoded) {
                DocxReaderScanner.encodeUTF8(scalar, into: $0.bindMemory(to: UInt8.self).baseAddress!)
            }
            withUnsafeBytes(of: &encoded) { raw in
                reading.pointee.text(UnsafeBufferPointer(start: raw.bindMemory(to: UInt8.self).baseAddress!, count: count))
            }
            return true
        }

        /// The character of the predefined entity or character reference (to an XML character) at `i`, which is
        /// passed; nil for anything else.
        mutating func referenceScalar() -> UInt32? {
            var scalar: UInt32
            if matches("&amp;", at: i) {
                scalar = 0x26; i += 5
            } else if matches("&lt;", at: i) {
                scalar = 0x3C; i += 4
            } else if matches("&gt;", at: i) {
                scalar = 0x3E; i += 4
            } else if matches("&quot;", at: i) {
                scalar = 0x22; i += 6
            } else if matches("&apos;", at: i) {
                scalar = 0x27; i += 6
            } else if matches("&#", at: i) {
                i += 2
                let hex = byte(i) == 0x78
                if hex { i += 1 }
                let digitsStart = i
                scalar = 0
                while i < n, i - digitsStart < 8 {
                    let b = p[i]
                    if b >= 0x30 && b <= 0x39 {
                        scalar = scalar * (hex ? 16 : 10) + UInt32(b - 0x30)
                    } else if hex, (b | 0x20) >= 0x61, (b | 0x20) <= 0x66 {
                        scalar = scalar * 16 + UInt32((b | 0x20) - 0x61 + 10)
                    } else {
                        break
                    }
                    i += 1
                }
                guard i > digitsStart, byte(i) == 0x3B else { return nil }
                i += 1
                let isChar =
                    scalar == 0x09 || scalar == 0x0A || scalar == 0x0D || (0x20...0xD7FF).contains(scalar)
                    || (0xE000...0xFFFD).contains(scalar)
                    || (0x10000...0x10FFFF).contains(scalar)
                guard isChar else { return nil }
            } else {
                return nil
            }
            return scalar
        }

        /// The length of the well-formed UTF-8 sequence of an XML character at `k` (not U+FFFE or U+FFFF); 0 for none.
        @inline(__always) static func utf8Length(_ p: UnsafePointer<UInt8>, _ k: Int, _ n: Int) -> Int {
            let b0 = p[k]
            @inline(__always) func cont(_ j: Int) -> Bool { k + j < n && p[k + j] & 0xC0 == 0x80 }
            switch b0 {
            case 0xC2...0xDF:
                return cont(1) ? 2 : 0
            case 0xE0:
                return cont(1) && p[k + 1] >= 0xA0 && cont(2) ? 3 : 0
            case 0xED:
                return cont(1) && p[k + 1] < 0xA0 && cont(2) ? 3 : 0
            case 0xEF:
                guard cont(1), cont(2) else { return 0 }
                return p[k + 1] == 0xBF && (p[k + 2] == 0xBE || p[k + 2] == 0xBF) ? 0 : 3
            case 0xE1...0xEC, 0xEE:
                return cont(1) && cont(2) ? 3 : 0
            case 0xF0:
                return cont(1) && p[k + 1] >= 0x90 && cont(2) && cont(3) ? 4 : 0
            case 0xF1...0xF3:
                return cont(1) && cont(2) && cont(3) ? 4 : 0
            case 0xF4:
                return cont(1) && p[k + 1] < 0x90 && cont(2) && cont(3) ? 4 : 0
            default:
                return 0
            }
        }
    }
}
