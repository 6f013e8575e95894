import Foundation
import ZIPFoundation

/// Builds a zip archive whose entries are stored (not compressed), so a fuzzer can mutate a DOCX's XML
/// directly instead of its deflated bytes and checksums.
public enum StoredZip {
    /// The archive bytes holding `entries` (name, content) in order.
    public static func archive(_ entries: [(String, Data)]) -> Data {
        var out = Data()
        var central = Data()
        for (name, content) in entries {
            let nameBytes = Data(name.utf8)
            let crc = crc32(content)
            let offset = UInt32(out.count)
            out.append(le32(0x0403_4B50)); out.append(le16(20)); out.append(le16(0)); out.append(le16(0))
            out.append(le16(0)); out.append(le16(0))
            out.append(le32(crc)); out.append(le32(UInt32(content.count))); out.append(le32(UInt32(content.count)))
            out.append(le16(UInt16(nameBytes.count))); out.append(le16(0))
            out.append(nameBytes); out.append(content)
            central.append(le32(0x0201_4B50)); central.append(le16(20)); central.append(le16(20)); central.append(le16(0))
            central.append(le16(0)); central.append(le16(0)); central.append(le16(0))
            central.append(le32(crc)); central.append(le32(UInt32(content.count))); central.append(le32(UInt32(content.count)))
            central.append(le16(UInt16(nameBytes.count))); central.append(le16(0)); central.append(le16(0))
            central.append(le16(0)); central.append(le16(0)); central.append(le32(0)); central.append(le32(offset))
            central.append(nameBytes)
        }
        let centralOffset = UInt32(out.count)
        out.append(central)
        out.append(le32(0x0605_4B50)); out.append(le16(0)); out.append(le16(0))
        out.append(le16(UInt16(entries.count))); out.append(le16(UInt16(entries.count)))
        out.append(le32(UInt32(central.count))); out.append(le32(centralOffset)); out.append(le16(0))
        return out
    }

    /// The parts of samples/clean-2021-government.docx (content types, relationships, numbering…), unpacked
    /// once: the frame a fuzzed `word/document.xml` is put into.
    public static let sampleParts: [(String, Data)] = {
        let path = (FuzzSupport.rulesFolder as NSString).deletingLastPathComponent + "/samples/clean-2021-government.docx"
        do {
            let archive = try Archive(url: URL(fileURLWithPath: path), accessMode: .read)
            return try archive.map { entry in
                var data = Data()
                _ = try archive.extract(entry) { data.append($0) }
                return (entry.path, data)
            }
        } catch { fatalError("fuzz: cannot unpack \(path): \(error)") }
    }()

    /// The sample DOCX with its `word/document.xml` replaced by `documentXML`, every part stored.
    public static func docx(documentXML: Data) -> Data {
        archive(sampleParts.map { $0.0 == "word/document.xml" ? ($0.0, documentXML) : $0 })
    }

    static func le16(_ v: UInt16) -> Data { Data([UInt8(v & 0xFF), UInt8(v >> 8)]) }
    static func le32(_ v: UInt32) -> Data { Data((0..<4).map { UInt8((v >> (8 * $0)) & 0xFF) }) }

    static let table: [UInt32] = (0..<256).map { n -> UInt32 in
        var c = UInt32(n)
        for _ in 0..<8 { c = (c & 1) != 0 ? 0xEDB8_8320 ^ (c >> 1) : c >> 1 }
        return c
    }

    /// CRC-32 (ISO 3309), as zip stores it.
    public static func crc32(_ data: Data) -> UInt32 {
        var c: UInt32 = 0xFFFF_FFFF
        for b in data { c = table[Int((c ^ UInt32(b)) & 0xFF)] ^ (c >> 8) }
        return c ^ 0xFFFF_FFFF
    }
}
