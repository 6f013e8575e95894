// The libxml2 functions ogilint calls, as one table of pointers: filled by the loader (libxml2_loader.c) with dlsym,
// or, in a program that links libxml2 in, with the linked functions (Sources/CLibXML2Linked). Not in include/: no
// Swift module sees libxml2's headers.
#ifndef OGILINT_LIBXML2_API_H
#define OGILINT_LIBXML2_API_H

// As in the CLibXML2 module: Debian's libxml2 headers would pull in the system ICU's, which are not needed.
#include <libxml/xmlversion.h>
#undef LIBXML_ICU_ENABLED
#include <libxml/HTMLparser.h>
#include <libxml/parser.h>
#include <libxml/parserInternals.h>
#include <libxml/tree.h>
#include <libxml/xmlerror.h>

// libxml2's xmlFree is the calling thread's (the function __xmlFree returns a pointer to it) under the same
// condition as in its globals.h, else one global variable.
#if defined(LIBXML_THREAD_ALLOC_ENABLED) && defined(LIBXML_THREAD_ENABLED)
#define OGILINT_PER_THREAD_FREE 1
#endif

// Every libxml2 function called, by name.
#define OGILINT_XML_FUNCTIONS(X)                                                                                       \
    X(xmlInitParser)                                                                                                   \
    X(xmlCreateMemoryParserCtxt)                                                                                       \
    X(xmlStrdup)                                                                                                       \
    X(xmlCtxtUseOptions)                                                                                               \
    X(xmlFindCharEncodingHandler)                                                                                      \
    X(xmlSwitchToEncoding)                                                                                             \
    X(xmlParseDocument)                                                                                                \
    X(xmlFreeParserCtxt)                                                                                               \
    X(xmlReadMemory)                                                                                                   \
    X(htmlReadMemory)                                                                                                  \
    X(xmlFreeDoc)                                                                                                      \
    X(xmlDocGetRootElement)                                                                                            \
    X(xmlGetLineNo)                                                                                                    \
    X(xmlNodeGetContent)                                                                                               \
    X(xmlGetLastError)                                                                                                 \
    X(htmlCtxtUseOptions)                                                                                              \
    X(htmlParseDocument)                                                                                               \
    X(xmlStopParser)

typedef struct {
#define OGILINT_XML_FIELD(name) __typeof__(name) *name;
    OGILINT_XML_FUNCTIONS(OGILINT_XML_FIELD)
#undef OGILINT_XML_FIELD
#ifdef OGILINT_PER_THREAD_FREE
    xmlFreeFunc *(*freeFunction)(void); // __xmlFree: the calling thread's xmlFree
#else
    xmlFreeFunc *freeFunction; // the global xmlFree
#endif
} ogilint_libxml2_api;

/// Fills `api` with the functions of a libxml2 linked into the program. Defined only by the CLibXML2Linked target,
/// which only the `ogilint` program's release build on Linux links (with libxml2's static archive): elsewhere this
/// weak reference is NULL and the loader uses dlopen.
extern void ogilint_libxml2_linked_api(ogilint_libxml2_api *api) __attribute__((weak));

#endif
