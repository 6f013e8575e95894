// libxml2 loaded when it is first needed (see libxml2_loader.c): a check of a plain-text report, or of a DOCX that
// ogilint's own scanner reads, never maps libxml2 and what it pulls in (ICU, liblzma) into the process.
//
// The declarations use plain C types only, so that no Swift module needs libxml2's headers (nor, through pkg-config,
// a link with libxml2): a pointer to a libxml2 document, node or attribute is `void *` here, `xmlChar` is
// `unsigned char`, and the fields Swift reads are found at the offsets in `ogilint_xml_layout`, measured here from
// the installed headers. Every function but ogilint_libxml2_open needs a successful ogilint_libxml2_open first.
#ifndef OGILINT_LIBXML2_H
#define OGILINT_LIBXML2_H

/// Makes libxml2 callable, once per process (later calls return the first call's outcome). NULL when it is ready;
/// otherwise why it is not (the library could not be loaded, or lacks a function), for an error message.
const char *ogilint_libxml2_open(void);

/// xmlReadMemory: the parsed document (an xmlDocPtr), or NULL.
void *ogilint_xmlReadMemory(const char *buffer, int size, const char *url, const char *encoding, int options);
/// htmlReadMemory: the parsed document (an htmlDocPtr), or NULL.
void *ogilint_htmlReadMemory(const char *buffer, int size, const char *url, const char *encoding, int options);
/// xmlFreeDoc.
void ogilint_xmlFreeDoc(void *doc);
/// 1 when the parsed XML document has a DOCTYPE (an internal or external subset), else 0.
int ogilint_xml_document_has_dtd(const void *doc);
/// xmlDocGetRootElement: the root element (an xmlNodePtr), or NULL.
void *ogilint_xmlDocGetRootElement(const void *doc);
/// xmlGetLineNo.
long ogilint_xmlGetLineNo(const void *node);
/// xmlNodeGetContent: a copy to be freed with ogilint_xml_free, or NULL.
unsigned char *ogilint_xmlNodeGetContent(const void *node);
/// The message of xmlGetLastError, or NULL when there is none.
const char *ogilint_xml_last_error_message(void);
/// libxml2's xmlFree (a global function pointer, or a per-thread one) as a plain function.
void ogilint_xml_free(void *p);

/// Byte offsets of the fields of libxml2's xmlNode and xmlAttr that ogilint reads, libxml2's node types, and the
/// parser options ogilint passes.
typedef struct {
    long nodePrivate;    ///< xmlNode._private (void *), which the HTML reader uses as a mark
    long nodeType;       ///< xmlNode.type (xmlElementType, an int)
    long nodeName;       ///< xmlNode.name (const xmlChar *)
    long nodeChildren;   ///< xmlNode.children
    long nodeNext;       ///< xmlNode.next
    long nodeContent;    ///< xmlNode.content (xmlChar *)
    long nodeProperties; ///< xmlNode.properties (the first xmlAttr)
    long attributeName;  ///< xmlAttr.name (const xmlChar *)
    long attributeNext;  ///< xmlAttr.next
    int elementNode;     ///< XML_ELEMENT_NODE
    int textNode;        ///< XML_TEXT_NODE
    int cdataNode;       ///< XML_CDATA_SECTION_NODE
    int xmlOptions;      ///< XML_PARSE_NONET | NOERROR | NOWARNING | NOCDATA: a DOCX part
    int htmlOptions;     ///< HTML_PARSE_NONET | RECOVER | NOERROR | NOWARNING: every HTML parse
    int htmlTreeOptions; ///< HTML_PARSE_COMPACT | NODEFDTD: added for the reader's tree
} ogilint_xml_layout;

/// The layout of the libxml2 whose headers ogilint was built with.
extern const ogilint_xml_layout ogilint_libxml2_layout;

/// Element starts, element ends and text of a streamed parse (libxml2's startElementNsSAX2Func,
/// endElementNsSAX2Func and charactersSAXFunc in plain C types), called with `ogilint_xml_stream`'s `state`.
typedef void (*ogilint_xml_start_element)(void *state, const unsigned char *localname, const unsigned char *prefix,
                                          const unsigned char *uri, int namespaceCount, const unsigned char **namespaces,
                                          int attributeCount, int defaultedCount, const unsigned char **attributes);
typedef void (*ogilint_xml_end_element)(void *state, const unsigned char *localname, const unsigned char *prefix,
                                        const unsigned char *uri);
typedef void (*ogilint_xml_text)(void *state, const unsigned char *text, int length);

/// Parses `buffer` the way xmlReadMemory(buffer, size, url, encoding, options) does (the same steps as libxml2's
/// xmlDoRead: options, forced encoding, file name, xmlParseDocument), but hands element starts, element ends and
/// text to the given callbacks, with `state`, instead of building a tree (libxml2's user data stays the parser
/// context, as its own entity look-up expects). CDATA sections and white space arrive as text (with XML_PARSE_NOCDATA and without XML_PARSE_NOBLANKS, as
/// the tree gets them). Returns 1 for a well-formed document, 0 for one that is not, -1 when no parser could be made
/// (xmlReadMemory's NULL); `*doctype` is 1 when the document has a DOCTYPE (where the tree would have an internal or
/// external subset).
int ogilint_xml_stream(const char *buffer, int size, const char *url, const char *encoding, int options,
                       ogilint_xml_start_element start, ogilint_xml_end_element end, ogilint_xml_text text, void *state,
                       int *doctype);

/// The events of an HTML parse that `ogilint_html_stream` hands on, with its `state` and the line libxml2 is on
/// (`ctxt->input->line`, as its tree builder stores it: at most 65535). An element start has libxml2's name (lower-cased
/// ASCII, prefix and all) and its attributes as name/value pairs ended by a NULL name (a value may be NULL). Text is
/// `cdata` 1 for the content of `script` and `style`, and `offset` the byte of the buffer libxml2 has read up to (the
/// end of the piece). Both return nonzero to stop the parse there, as libxml2's tree builder does at its depth and
/// text-length limits (then no further events matter).
/// Comments and processing instructions are told by their line only; `doctype` is called for every DOCTYPE.
typedef struct {
    int (*start)(void *state, const unsigned char *name, const unsigned char **attributes, long line);
    void (*end)(void *state);
    int (*text)(void *state, const unsigned char *text, int length, int cdata, long line, long offset);
    void (*other)(void *state, long line);
    void (*doctype)(void *state);
} ogilint_html_handlers;

/// Parses `buffer` the way htmlReadMemory(buffer, size, url, encoding, options) does (libxml2's htmlDoRead: options,
/// forced encoding, file name, htmlParseDocument), with the same parser and so the same events, but hands them to
/// `handlers` instead of libxml2's tree builder. Returns 0, or -1 when no parser could be made (htmlReadMemory's NULL).
int ogilint_html_stream(const char *buffer, int size, const char *url, const char *encoding, int options,
                        const ogilint_html_handlers *handlers, void *state);

#endif
