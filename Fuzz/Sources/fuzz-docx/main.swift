import Foundation
import FuzzSupport

@testable import OGIReaders

/// The budgets a document part is read with: the default, and one small enough that a part goes over the line limit.
let budgets: [ReadBudget] = {
    var small = ReadBudget()
    small.maxLines = 20
    return [ReadBudget(), small]
}()

/// A `DocxReading`'s lines and origins, or its error.
func describe(_ lineariser: DocxLineariser, _ budget: ReadBudget) -> String {
    do {
        let (lines, origins) = try lineariser.lines(numberer: ListNumberer(), budget: budget, path: "x.docx")
        return zip(lines, origins).map { "\($0.number)|\($1)|\(Array($0.text.utf8))" }.joined(separator: "\n")
    } catch {
        return "error: \(error)"
    }
}

/// A numbering part's lists, in a stable order.
func describe(_ numberer: ListNumberer) -> String {
    var parts: [String] = []
    for id in numberer.levels.keys.sorted() {
        let levels = numberer.levels[id]!
        parts.append("abstract \(Array(id.utf8)): " + levels.keys.sorted().map { "\($0) \(levels[$0]!)" }.joined(separator: ", "))
    }
    for id in numberer.abstractOf.keys.sorted() { parts.append("num \(Array(id.utf8)) -> \(Array(numberer.abstractOf[id]!.utf8))") }
    return parts.joined(separator: "\n")
}

/// What `DocxReaderScanner` hands the readings of `data` (read as `word/document.xml` with each budget, and as
/// `word/numbering.xml`), with its count of elements; nil when it leaves the part to libxml2.
func scannerReading(_ data: Data) -> String? {
    var out: [String] = []
    for budget in budgets {
        let lineariser = DocxLineariser(maxLines: budget.maxLines)
        guard let elements = DocxReaderScanner.streamCountingElements(data, into: lineariser) else { return nil }
        out.append("\(elements) elements\n\(describe(lineariser, budget))")
    }
    let numbering = XMLStreamDriver(ListNumberingReading())
    guard DocxReaderScanner.stream(data, into: numbering) else { return "the scanner took the part as a document, not as numbering" }
    out.append(numbering.withReading { describe($0.numberer) })
    return out.joined(separator: "\n---\n")
}

/// The same readings through libxml2's parse, with `XMLTree.elementCount`; or libxml2's refusal.
func libxml2Reading(_ data: Data) -> String {
    var out: [String] = []
    for budget in budgets {
        let lineariser = DocxLineariser(maxLines: budget.maxLines)
        do { try XMLTree.streamXML(data, into: lineariser) } catch { return "libxml2 refuses the part: \(error)" }
        out.append("\(XMLTree.elementCount(data)) elements\n\(describe(lineariser, budget))")
    }
    let numbering = XMLStreamDriver(ListNumberingReading())
    do { try XMLTree.streamXML(data, into: numbering) } catch { return "libxml2 refuses the part: \(error)" }
    out.append(numbering.withReading { describe($0.numberer) })
    return out.joined(separator: "\n---\n")
}

/// The part with line ends wherever XML allows them, as Word and WPS write some: each space in a tag (outside
/// attribute values) made CR LF, and each run of text given a CR LF at its start, a lone CR before each reference and
/// at its end. A byte mutation rarely puts a carriage return into text; this puts one into every run the input has.
func withLineEnds(_ data: Data) -> Data {
    var out: [UInt8] = []
    out.reserveCapacity(data.count + data.count / 4)
    var inTag = false, inText = false
    var quote: UInt8 = 0
    for b in data {
        if quote != 0 {
            out.append(b)
            if b == quote { quote = 0 }
        } else if inTag {
            switch b {
            case 0x22, 0x27: quote = b; out.append(b)
            case 0x20: out += [0x0D, 0x0A]
            case 0x3E: inTag = false; out.append(b)
            default: out.append(b)
            }
        } else if b == 0x3C {
            if inText { out.append(0x0D) }
            inText = false
            inTag = true
            out.append(b)
        } else {
            if !inText { out += [0x0D, 0x0A] }
            inText = true
            if b == 0x26 { out.append(0x0D) }
            out.append(b)
        }
    }
    return Data(out)
}

/// Fails when the scanner accepts `data` and reads it otherwise than libxml2 (or libxml2 refuses it).
func compareScannerWithLibxml2(_ data: Data, _ what: String) {
    guard let scanned = scannerReading(data) else { return }
    let parsed = libxml2Reading(data)
    if scanned != parsed {
        fatalError("DocxReaderScanner read the part (\(what)) otherwise than libxml2:\n\(scanned)\n--- libxml2:\n\(parsed)")
    }
}

/// libFuzzer entry for DOCX. Bytes starting with `PK` are a whole zip archive read as `x.docx` (the zip
/// directory, entry sizes and compression are fuzzed); any other bytes are the `word/document.xml` of a
/// stored zip holding the other parts of samples/clean-2021-government.docx (the XML walker, tables and
/// paragraphs are fuzzed without fighting deflate and CRCs). Those bytes, as they are and `withLineEnds`, must
/// also read the same through `DocxReaderScanner` as through libxml2 wherever the scanner accepts them (as a document
/// part with each budget, with the same element count, and as a numbering part), and libxml2 must parse them: a
/// difference is a crash.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOneInput(_ bytes: UnsafePointer<UInt8>, _ count: Int) -> CInt {
    let data = FuzzSupport.data(bytes, count)
    if data.starts(with: [0x50, 0x4B]) {
        FuzzSupport.readAndCheck(data, path: "x.docx")
    } else {
        FuzzSupport.readAndCheck(StoredZip.docx(documentXML: data), path: "x.docx")
        compareScannerWithLibxml2(data, "as fuzzed")
        compareScannerWithLibxml2(withLineEnds(data), "with line ends")
    }
    return 0
}

/// The program entry SwiftPM links as `main` (see FuzzSupport.runFuzzer).
@_cdecl("fuzz_docx_main")
public func fuzzMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    runFuzzer(argc, argv, fuzzOneInput)
}
