// libxml2, a Debian system library (libxml2-dev): the XML parser for DOCX and the tolerant HTML parser.
// Debian builds libxml2 with ICU; its headers would then pull in the system ICU headers, which clash with
// the ICU that Foundation bundles. ogilint never uses libxml2's ICU converters, so that part is left out.
#include <libxml/xmlversion.h>
#undef LIBXML_ICU_ENABLED
#include <libxml/parser.h>
#include <libxml/HTMLparser.h>
#include <libxml/tree.h>

// xmlFree is a global function pointer in libxml2; a plain function is easier to call from Swift.
static inline void ogilint_xml_free(void *p) { xmlFree(p); }
