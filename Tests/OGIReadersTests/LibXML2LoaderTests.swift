import CLibXML2
import CLibXML2Loader
import Foundation
import XCTest

@testable import OGIReaders

/// CLibXML2Loader: the field offsets, node types and options it measured from libxml2's headers are the ones
/// libxml2's own declarations give (the readers read nodes through them), and it loads libxml2 once.
final class LibXML2LoaderTests: XCTestCase {
    func testLayoutIsLibxml2s() {
        let layout = ogilint_libxml2_layout
        XCTAssertEqual(layout.nodePrivate, MemoryLayout<xmlNode>.offset(of: \xmlNode._private))
        XCTAssertEqual(layout.nodeType, MemoryLayout<xmlNode>.offset(of: \xmlNode.type))
        XCTAssertEqual(layout.nodeName, MemoryLayout<xmlNode>.offset(of: \xmlNode.name))
        XCTAssertEqual(layout.nodeChildren, MemoryLayout<xmlNode>.offset(of: \xmlNode.children))
        XCTAssertEqual(layout.nodeNext, MemoryLayout<xmlNode>.offset(of: \xmlNode.next))
        XCTAssertEqual(layout.nodeContent, MemoryLayout<xmlNode>.offset(of: \xmlNode.content))
        XCTAssertEqual(layout.nodeProperties, MemoryLayout<xmlNode>.offset(of: \xmlNode.properties))
        XCTAssertEqual(layout.attributeName, MemoryLayout<xmlAttr>.offset(of: \xmlAttr.name))
        XCTAssertEqual(layout.attributeNext, MemoryLayout<xmlAttr>.offset(of: \xmlAttr.next))
        XCTAssertEqual(MemoryLayout<xmlElementType>.size, MemoryLayout<Int32>.size)
        XCTAssertEqual(UInt32(layout.elementNode), XML_ELEMENT_NODE.rawValue)
        XCTAssertEqual(UInt32(layout.textNode), XML_TEXT_NODE.rawValue)
        XCTAssertEqual(UInt32(layout.cdataNode), XML_CDATA_SECTION_NODE.rawValue)
        XCTAssertEqual(
            UInt32(layout.xmlOptions),
            XML_PARSE_NONET.rawValue | XML_PARSE_NOERROR.rawValue | XML_PARSE_NOWARNING.rawValue | XML_PARSE_NOCDATA.rawValue)
        XCTAssertEqual(
            UInt32(layout.htmlOptions),
            HTML_PARSE_NONET.rawValue | HTML_PARSE_RECOVER.rawValue | HTML_PARSE_NOERROR.rawValue | HTML_PARSE_NOWARNING.rawValue)
        XCTAssertEqual(UInt32(layout.htmlTreeOptions), HTML_PARSE_COMPACT.rawValue | HTML_PARSE_NODEFDTD.rawValue)
    }

    /// A node's fields read through the layout are the ones libxml2's declarations give, for elements with and
    /// without attributes, text and the mark the HTML reader keeps.
    func testNodesReadThroughTheLayout() throws {
        let page = Data("<html><body><p class=\"a\" id=\"b\">一<b>二</b></p><br></body></html>".utf8)
        let document = try XMLTree.parseHTML(page)
        var seen = 0
        func visit(_ node: XMLNode) {
            let typed = node.ptr.assumingMemoryBound(to: xmlNode.self)
            XCTAssertEqual(node.isElement, typed.pointee.type == XML_ELEMENT_NODE)
            XCTAssertEqual(node.content, UnsafePointer(typed.pointee.content))
            XCTAssertEqual(node.hasAttributes, typed.pointee.properties != nil)
            if node.isElement { XCTAssertEqual(node.rawName, typed.pointee.name) }
            XCTAssertNil(node.mark)
            node.mark = UnsafeMutableRawPointer(bitPattern: 0x1ff)
            XCTAssertEqual(typed.pointee._private, UnsafeMutableRawPointer(bitPattern: 0x1ff))
            node.mark = nil
            seen += 1
            for c in node.children { visit(c) }
        }
        visit(document.root)
        XCTAssertEqual(seen, 7)  // html, body, p, 一, b, 二, br
        let p = document.root.first("body")?.first("p")
        XCTAssertEqual(p?.attribute("id", html: true), "b")
        XCTAssertEqual(p?.attribute("class", html: true), "a")
        XCTAssertEqual(p?.allText, "一二")
    }

    func testOpensOnce() {
        XCTAssertNil(ogilint_libxml2_open())
        XCTAssertNil(ogilint_libxml2_open())
    }

    /// A missing libxml2 is the tool's problem, not the file's: a tool error that says what to install.
    func testMissingLibraryIsAToolError() {
        let error = XMLTree.libraryError("a.html", "libxml2.so.2 could not be loaded (not found)", "HTML")
        guard case let .tool(path, detail) = error else { return XCTFail("\(error)") }
        XCTAssertEqual(path, "a.html")
        XCTAssertTrue(detail.contains("reading HTML needs libxml2, and libxml2.so.2 could not be loaded (not found)"), detail)
        XCTAssertTrue(detail.contains("apt-get install libxml2"), detail)
    }
}
