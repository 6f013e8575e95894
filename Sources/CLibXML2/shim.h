// libxml2, a Debian system library (libxml2-dev): the XML parser for DOCX and the tolerant HTML parser.
// Debian builds libxml2 with ICU; its headers would then pull in the system ICU headers, which clash with
// the ICU that Foundation bundles. ogilint never uses libxml2's ICU converters, so that part is left out.
#include <libxml/xmlversion.h>
#undef LIBXML_ICU_ENABLED
#include <libxml/parser.h>
#include <libxml/parserInternals.h>
#include <libxml/HTMLparser.h>
#include <libxml/tree.h>
// zlib, which libxml2 links anyway: the DOCX reader inflates a part's deflated bytes with it directly.
#include <zlib.h>

// inflateInit2 is a macro; a plain function is easier to call from Swift.
static inline int ogilint_inflate_init_raw(z_stream *stream) { return inflateInit2(stream, -MAX_WBITS); }

// xmlFree is a global function pointer in libxml2; a plain function is easier to call from Swift.
static inline void ogilint_xml_free(void *p) { xmlFree(p); }

// Parses `buffer` the way xmlReadMemory(buffer, size, url, encoding, options) does (the same steps as libxml2's
// xmlDoRead: options, forced encoding, file name, xmlParseDocument), but hands element starts, element ends and
// text to the given callbacks instead of building a tree. The callbacks receive the parser context, whose
// `_private` is `state`; user data stays the context, as libxml2's own entity look-up expects. CDATA sections and
// white space arrive as text (with XML_PARSE_NOCDATA and without XML_PARSE_NOBLANKS, as the tree gets them).
// Returns 1 for a well-formed document, 0 for one that is not, -1 when no parser could be made (xmlReadMemory's
// NULL); `*doctype` is 1 when the document has a DOCTYPE (where the tree would have an internal or external subset).
static inline int ogilint_xml_stream(const char *buffer, int size, const char *url, const char *encoding, int options,
                                     startElementNsSAX2Func start, endElementNsSAX2Func end, charactersSAXFunc text,
                                     void *state, int *doctype) {
    *doctype = 0;
    xmlInitParser();
    xmlParserCtxtPtr ctxt = xmlCreateMemoryParserCtxt(buffer, size);
    if (ctxt == NULL) return -1;
    xmlSAXHandlerPtr sax = ctxt->sax;
    sax->startDocument = NULL;
    sax->endDocument = NULL;
    sax->internalSubset = NULL;
    sax->externalSubset = NULL;
    sax->startElement = NULL;
    sax->endElement = NULL;
    sax->startElementNs = start;
    sax->endElementNs = end;
    sax->characters = text;
    sax->ignorableWhitespace = text;
    sax->cdataBlock = text;
    sax->comment = NULL;
    sax->processingInstruction = NULL;
    sax->reference = NULL;
    ctxt->_private = state;
    // xmlDoRead: xmlCtxtUseOptionsInternal(ctxt, options, encoding), then the forced encoding and the file name.
    if (encoding != NULL) {
        if (ctxt->encoding != NULL) xmlFree((xmlChar *)ctxt->encoding);
        ctxt->encoding = xmlStrdup((const xmlChar *)encoding);
    }
    xmlCtxtUseOptions(ctxt, options);
    if (encoding != NULL) {
        xmlCharEncodingHandlerPtr handler = xmlFindCharEncodingHandler(encoding);
        if (handler != NULL) xmlSwitchToEncoding(ctxt, handler);
    }
    if ((url != NULL) && (ctxt->input != NULL) && (ctxt->input->filename == NULL))
        ctxt->input->filename = (char *)xmlStrdup((const xmlChar *)url);
    xmlParseDocument(ctxt);
    int wellFormed = ctxt->wellFormed || ctxt->recovery;
    *doctype = (ctxt->intSubName != NULL) || (ctxt->extSubURI != NULL) || (ctxt->extSubSystem != NULL);
    if (ctxt->myDoc != NULL) xmlFreeDoc(ctxt->myDoc);
    ctxt->myDoc = NULL;
    xmlFreeParserCtxt(ctxt);
    return wellFormed ? 1 : 0;
}
