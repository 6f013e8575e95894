import Foundation
import FuzzSupport

@testable import OGIReaders

/// The HTML reader with the stripping of unread attributes, comments and script text turned off: the reference
/// `HTMLAttributeStripper` must not change a reading from.
let unstrippedReader: HTMLReader = {
    guard let context = try? ReaderContext(templates: FuzzSupport.linter.ruleSet.templates) else { fatalError("fuzz: no reader context") }
    var reader = HTMLReader(context: context)
    reader.stripsAttributes = false
    return reader
}()
let strippingReader = HTMLReader(context: unstrippedReader.ctx)

/// The draft a reader makes of the page (lines, origins, page date), or its error.
func reading(_ reader: HTMLReader, _ data: Data) -> String {
    do {
        let d = try reader.draft(path: "x.html", data: data)
        return "\(d.lines.map(\.text))|\(d.origins)|\(String(describing: d.pageDate))|\(d.pageDateUnresolved)"
    } catch {
        return "error: \(error)"
    }
}

/// libFuzzer entry: the bytes are a file named x.html, read through Linter.read(path:data:) and checked; and the
/// reader's draft of it must be the same with and without `HTMLAttributeStripper` (a difference is a crash).
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOneInput(_ bytes: UnsafePointer<UInt8>, _ count: Int) -> CInt {
    let data = FuzzSupport.data(bytes, count)
    FuzzSupport.readAndCheck(data, path: "x.html")
    let stripped = reading(strippingReader, data), unstripped = reading(unstrippedReader, data)
    if stripped != unstripped { fatalError("HTMLAttributeStripper changed the reading:\n\(stripped)\n---\n\(unstripped)") }
    return 0
}

/// The program entry SwiftPM links as `main` (see FuzzSupport.runFuzzer).
@_cdecl("fuzz_html_main")
public func fuzzMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    runFuzzer(argc, argv, fuzzOneInput)
}
