// libxml2's headers, for the tests' reference readers, which call libxml2 directly (and so link it, through
// pkg-config's libxml-2.0). ogilint itself reaches libxml2 only through CLibXML2Loader, which loads it when a DOCX
// or HTML file first needs it.
// Debian builds libxml2 with ICU; its headers would then pull in the system ICU headers, which clash with the ICU
// that Foundation bundles. Nothing here uses libxml2's ICU converters, so that part is left out.
#include <libxml/xmlversion.h>
#undef LIBXML_ICU_ENABLED
#include <libxml/parser.h>
#include <libxml/parserInternals.h>
#include <libxml/HTMLparser.h>
#include <libxml/tree.h>
