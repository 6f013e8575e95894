import Foundation
import FuzzSupport

/// libFuzzer entry for DOCX. Bytes starting with `PK` are a whole zip archive read as `x.docx` (the zip
/// directory, entry sizes and compression are fuzzed); any other bytes are the `word/document.xml` of a
/// stored zip holding the other parts of samples/clean-2021-government.docx (the XML walker, tables and
/// paragraphs are fuzzed without fighting deflate and CRCs).
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOneInput(_ bytes: UnsafePointer<UInt8>, _ count: Int) -> CInt {
    let data = FuzzSupport.data(bytes, count)
    if data.starts(with: [0x50, 0x4B]) {
        FuzzSupport.readAndCheck(data, path: "x.docx")
    } else {
        FuzzSupport.readAndCheck(StoredZip.docx(documentXML: data), path: "x.docx")
    }
    return 0
}

/// The program entry SwiftPM links as `main` (see FuzzSupport.runFuzzer).
@_cdecl("fuzz_docx_main")
public func fuzzMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    runFuzzer(argc, argv, fuzzOneInput)
}
