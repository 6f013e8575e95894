// libxml2 through a table of function pointers filled on first use.
//
// By default the table is filled with dlopen/dlsym, and nothing else in ogilint refers to libxml2, so it is not
// among the libraries loaded at start: loading it (with ICU, liblzma and zlib) costs about 0.7 ms and 70 page
// faults, which a check of a text report would pay for nothing. The `ogilint` program's release build on Linux
// links libxml2's static archive in without ICU (Sources/CLibXML2Linked, which fills the table); a build with
// -Xcc -DOGILINT_LIBXML2_LINKED (scripts/release.sh, for both programs) fills it with the linked functions too.
#include "ogilint_libxml2.h"

#include "libxml2_api.h"

#include <pthread.h>
#include <stddef.h>

#ifndef OGILINT_LIBXML2_LINKED
#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>
#endif

static ogilint_libxml2_api api;

static pthread_once_t once = PTHREAD_ONCE_INIT;
static const char *failure = NULL;

#ifdef OGILINT_LIBXML2_LINKED

static void load(void) {
#define OGILINT_XML_LINK(name) api.name = &name;
    OGILINT_XML_FUNCTIONS(OGILINT_XML_LINK)
#undef OGILINT_XML_LINK
#ifdef OGILINT_PER_THREAD_FREE
    api.freeFunction = &__xmlFree;
#else
    api.freeFunction = &xmlFree;
#endif
    api.xmlInitParser(); // once, before any parse, whichever thread parses first
}

#else

#ifdef __APPLE__
#define OGILINT_LIBXML2_NAME "libxml2.2.dylib"
#else
#define OGILINT_LIBXML2_NAME "libxml2.so.2"
#endif

static char message[512];

static void load(void) {
    // A program that links libxml2 in (the `ogilint` program's release build on Linux) fills the table itself.
    if (ogilint_libxml2_linked_api != NULL) {
        ogilint_libxml2_linked_api(&api);
        api.xmlInitParser(); // once, before any parse, whichever thread parses first
        return;
    }
    // OGILINT_LIBXML2 names another libxml2 to load (a path, or a name the dynamic loader looks up).
    const char *name = getenv("OGILINT_LIBXML2");
    if (name == NULL || *name == '\0') name = OGILINT_LIBXML2_NAME;
    void *library = dlopen(name, RTLD_NOW | RTLD_LOCAL);
    if (library == NULL) {
        const char *why = dlerror();
        snprintf(message, sizeof message, "%s could not be loaded (%s)", name, why ? why : "no reason given");
        failure = message;
        return;
    }
    const char *missing = NULL;
#define OGILINT_XML_LOOK_UP(name)                                                                                      \
    api.name = (__typeof__(name) *)dlsym(library, #name);                                                              \
    if (api.name == NULL && missing == NULL) missing = #name;
    OGILINT_XML_FUNCTIONS(OGILINT_XML_LOOK_UP)
#undef OGILINT_XML_LOOK_UP
#ifdef OGILINT_PER_THREAD_FREE
    api.freeFunction = (xmlFreeFunc * (*)(void)) dlsym(library, "__xmlFree");
    if (api.freeFunction == NULL && missing == NULL) missing = "__xmlFree";
#else
    api.freeFunction = (xmlFreeFunc *)dlsym(library, "xmlFree");
    if (api.freeFunction == NULL && missing == NULL) missing = "xmlFree";
#endif
    if (missing != NULL) {
        snprintf(message, sizeof message, "%s has no symbol %s; it is not the libxml2 2.9 or later that ogilint needs",
                 name, missing);
        failure = message;
        dlclose(library);
        return;
    }
    api.xmlInitParser(); // once, before any parse, whichever thread parses first
}

#endif

const char *ogilint_libxml2_open(void) {
    pthread_once(&once, load);
    return failure;
}

#ifdef OGILINT_PER_THREAD_FREE
#define OGILINT_XML_FREE (*api.freeFunction())
#else
#define OGILINT_XML_FREE (*api.freeFunction)
#endif

void ogilint_xml_free(void *p) { OGILINT_XML_FREE(p); }

void *ogilint_xmlReadMemory(const char *buffer, int size, const char *url, const char *encoding, int options) {
    return api.xmlReadMemory(buffer, size, url, encoding, options);
}

void *ogilint_htmlReadMemory(const char *buffer, int size, const char *url, const char *encoding, int options) {
    return api.htmlReadMemory(buffer, size, url, encoding, options);
}

const ogilint_xml_layout ogilint_libxml2_layout = {
    .nodePrivate = offsetof(xmlNode, _private),
    .nodeType = offsetof(xmlNode, type),
    .nodeName = offsetof(xmlNode, name),
    .nodeChildren = offsetof(xmlNode, children),
    .nodeNext = offsetof(xmlNode, next),
    .nodeContent = offsetof(xmlNode, content),
    .nodeProperties = offsetof(xmlNode, properties),
    .attributeName = offsetof(xmlAttr, name),
    .attributeNext = offsetof(xmlAttr, next),
    .elementNode = XML_ELEMENT_NODE,
    .textNode = XML_TEXT_NODE,
    .cdataNode = XML_CDATA_SECTION_NODE,
    .xmlOptions = XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING | XML_PARSE_NOCDATA,
    .htmlOptions = HTML_PARSE_NONET | HTML_PARSE_RECOVER | HTML_PARSE_NOERROR | HTML_PARSE_NOWARNING,
    .htmlTreeOptions = HTML_PARSE_COMPACT | HTML_PARSE_NODEFDTD,
};

// The checks Swift relies on when it reads these fields: the node type is an int, the rest are pointers.
_Static_assert(sizeof(((xmlNode *)0)->type) == sizeof(int), "xmlElementType is not an int");
_Static_assert(sizeof(((xmlNode *)0)->_private) == sizeof(void *), "xmlNode._private is not a pointer");

void ogilint_xmlFreeDoc(void *doc) { api.xmlFreeDoc((xmlDocPtr)doc); }

int ogilint_xml_document_has_dtd(const void *doc) {
    return ((const xmlDoc *)doc)->intSubset != NULL || ((const xmlDoc *)doc)->extSubset != NULL;
}

void *ogilint_xmlDocGetRootElement(const void *doc) { return api.xmlDocGetRootElement((const xmlDoc *)doc); }

long ogilint_xmlGetLineNo(const void *node) { return api.xmlGetLineNo((const xmlNode *)node); }

unsigned char *ogilint_xmlNodeGetContent(const void *node) { return api.xmlNodeGetContent((const xmlNode *)node); }

const char *ogilint_xml_last_error_message(void) {
    const xmlError *error = api.xmlGetLastError();
    return error != NULL ? error->message : NULL;
}

// A streamed parse's callbacks and state, kept in the parser context's `_private`; the functions below hand libxml2's
// events on with the state.
typedef struct {
    ogilint_xml_start_element start;
    ogilint_xml_end_element end;
    ogilint_xml_text text;
    void *state;
} stream_target;

static void stream_start(void *ctx, const xmlChar *localname, const xmlChar *prefix, const xmlChar *uri,
                         int namespaceCount, const xmlChar **namespaces, int attributeCount, int defaultedCount,
                         const xmlChar **attributes) {
    const stream_target *target = ((xmlParserCtxtPtr)ctx)->_private;
    target->start(target->state, localname, prefix, uri, namespaceCount, namespaces, attributeCount, defaultedCount,
                  attributes);
}

static void stream_end(void *ctx, const xmlChar *localname, const xmlChar *prefix, const xmlChar *uri) {
    const stream_target *target = ((xmlParserCtxtPtr)ctx)->_private;
    target->end(target->state, localname, prefix, uri);
}

static void stream_text(void *ctx, const xmlChar *text, int length) {
    const stream_target *target = ((xmlParserCtxtPtr)ctx)->_private;
    target->text(target->state, text, length);
}

int ogilint_xml_stream(const char *buffer, int size, const char *url, const char *encoding, int options,
                       ogilint_xml_start_element start, ogilint_xml_end_element end, ogilint_xml_text text, void *state,
                       int *doctype) {
    *doctype = 0;
    xmlParserCtxtPtr ctxt = api.xmlCreateMemoryParserCtxt(buffer, size);
    if (ctxt == NULL) return -1;
    xmlSAXHandlerPtr sax = ctxt->sax;
    sax->startDocument = NULL;
    sax->endDocument = NULL;
    sax->internalSubset = NULL;
    sax->externalSubset = NULL;
    sax->startElement = NULL;
    sax->endElement = NULL;
    sax->startElementNs = stream_start;
    sax->endElementNs = stream_end;
    sax->characters = stream_text;
    sax->ignorableWhitespace = stream_text;
    sax->cdataBlock = stream_text;
    sax->comment = NULL;
    sax->processingInstruction = NULL;
    sax->reference = NULL;
    stream_target target = {start, end, text, state};
    ctxt->_private = &target;
    // xmlDoRead: xmlCtxtUseOptionsInternal(ctxt, options, encoding), then the forced encoding and the file name.
    if (encoding != NULL) {
        if (ctxt->encoding != NULL) OGILINT_XML_FREE((xmlChar *)ctxt->encoding);
        ctxt->encoding = api.xmlStrdup((const xmlChar *)encoding);
    }
    api.xmlCtxtUseOptions(ctxt, options);
    if (encoding != NULL) {
        xmlCharEncodingHandlerPtr handler = api.xmlFindCharEncodingHandler(encoding);
        if (handler != NULL) api.xmlSwitchToEncoding(ctxt, handler);
    }
    if ((url != NULL) && (ctxt->input != NULL) && (ctxt->input->filename == NULL))
        ctxt->input->filename = (char *)api.xmlStrdup((const xmlChar *)url);
    api.xmlParseDocument(ctxt);
    int wellFormed = ctxt->wellFormed || ctxt->recovery;
    *doctype = (ctxt->intSubName != NULL) || (ctxt->extSubURI != NULL) || (ctxt->extSubSystem != NULL);
    if (ctxt->myDoc != NULL) api.xmlFreeDoc(ctxt->myDoc);
    ctxt->myDoc = NULL;
    api.xmlFreeParserCtxt(ctxt);
    return wellFormed ? 1 : 0;
}

// An HTML parse's handlers and state, kept in the parser context's `_private`; the functions below hand libxml2's
// events on with the line its tree builder would store (xmlSAX2StartElement, xmlSAX2TextNode, xmlSAX2Comment).
typedef struct {
    const ogilint_html_handlers *handlers;
    void *state;
} html_target;

static long html_line(xmlParserCtxtPtr ctxt) {
    if (ctxt->input == NULL) return 0;
    return ctxt->input->line < 65535 ? ctxt->input->line : 65535;
}

static void html_start(void *ctx, const xmlChar *name, const xmlChar **attributes) {
    xmlParserCtxtPtr ctxt = ctx;
    const html_target *target = ctxt->_private;
    if (name == NULL) return; // xmlSAX2StartElement builds nothing without a name
    if (target->handlers->start(target->state, name, attributes, html_line(ctxt)) != 0) api.xmlStopParser(ctxt);
}

static void html_end(void *ctx, const xmlChar *name) {
    (void)name;
    const html_target *target = ((xmlParserCtxtPtr)ctx)->_private;
    target->handlers->end(target->state);
}

// Where libxml2 has read up to in the buffer it was handed: what it has dropped from its input (`consumed`) and how
// far into what is left it is. The page is UTF-8 and read as UTF-8, so a byte there is a byte of the buffer.
static long html_offset(xmlParserCtxtPtr ctxt) {
    if (ctxt->input == NULL || ctxt->input->cur == NULL || ctxt->input->base == NULL) return -1;
    return (long)ctxt->input->consumed + (long)(ctxt->input->cur - ctxt->input->base);
}

static void html_pieces(void *ctx, const xmlChar *text, int length, int cdata) {
    xmlParserCtxtPtr ctxt = ctx;
    const html_target *target = ctxt->_private;
    if (target->handlers->text(target->state, text, length, cdata, html_line(ctxt), html_offset(ctxt)) != 0)
        api.xmlStopParser(ctxt);
}

static void html_text(void *ctx, const xmlChar *text, int length) { html_pieces(ctx, text, length, 0); }

static void html_cdata(void *ctx, const xmlChar *text, int length) { html_pieces(ctx, text, length, 1); }

static void html_comment(void *ctx, const xmlChar *value) {
    (void)value;
    xmlParserCtxtPtr ctxt = ctx;
    const html_target *target = ctxt->_private;
    target->handlers->other(target->state, html_line(ctxt));
}

static void html_pi(void *ctx, const xmlChar *name, const xmlChar *data) {
    (void)name;
    (void)data;
    html_comment(ctx, NULL);
}

static void html_doctype(void *ctx, const xmlChar *name, const xmlChar *externalID, const xmlChar *systemID) {
    (void)name;
    (void)externalID;
    (void)systemID;
    const html_target *target = ((xmlParserCtxtPtr)ctx)->_private;
    target->handlers->doctype(target->state);
}

int ogilint_html_stream(const char *buffer, int size, const char *url, const char *encoding, int options,
                        const ogilint_html_handlers *handlers, void *state) {
    // htmlReadMemory: an XML parser context whose SAX1 handlers are then HTML's (htmlDefaultSAXHandler); here the
    // ones that build the tree (xmlSAX2StartDocument to xmlSAX2Comment) are ours, and the document is never made.
    // The handlers HTML's parser calls and the tree builder's others are the same in both contexts
    // (setDocumentLocator, the error functions, which the options below turn off, and no reference handler).
    xmlParserCtxtPtr ctxt = api.xmlCreateMemoryParserCtxt(buffer, size);
    if (ctxt == NULL) return -1;
    xmlSAXHandlerPtr sax = ctxt->sax;
    sax->internalSubset = html_doctype;
    sax->externalSubset = NULL;
    sax->startDocument = NULL;
    sax->endDocument = NULL;
    sax->startElement = html_start;
    sax->endElement = html_end;
    sax->reference = NULL;
    sax->characters = html_text;
    sax->cdataBlock = html_cdata;
    sax->ignorableWhitespace = NULL; // xmlSAX2IgnorableWhitespace does nothing (and without NOBLANKS it is not called)
    sax->processingInstruction = html_pi;
    sax->comment = html_comment;
    html_target target = {handlers, state};
    ctxt->_private = &target;
    // htmlDoRead.
    api.htmlCtxtUseOptions(ctxt, options);
    ctxt->html = 1;
    if (encoding != NULL) {
        xmlCharEncodingHandlerPtr handler = api.xmlFindCharEncodingHandler(encoding);
        if (handler != NULL) {
            api.xmlSwitchToEncoding(ctxt, handler);
            if (ctxt->input->encoding != NULL) OGILINT_XML_FREE((xmlChar *)ctxt->input->encoding);
            ctxt->input->encoding = api.xmlStrdup((const xmlChar *)encoding);
        }
    }
    if ((url != NULL) && (ctxt->input != NULL) && (ctxt->input->filename == NULL))
        ctxt->input->filename = (char *)api.xmlStrdup((const xmlChar *)url);
    api.htmlParseDocument(ctxt);
    ctxt->_private = NULL;
    api.xmlFreeParserCtxt(ctxt);
    return 0;
}
