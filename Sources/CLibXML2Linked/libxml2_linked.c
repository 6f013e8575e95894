// libxml2 linked into the `ogilint` program, in its release build on Linux when the system has libxml2's static
// archive (Package.swift finds it and passes OGILINT_LINK_LIBXML2 and the archives): an HTML report, or a DOCX
// part its own scanner leaves to libxml2, is then read without loading libxml2 and, behind it, ICU, liblzma and
// libstdc++'s dependants at run time (dlopen: about 0.6 M instructions and 40 page faults of a single HTML check).
//
// ICU is left out. libxml2 uses it only to convert an encoding that neither libxml2 itself nor iconv knows, and
// ogilint hands libxml2 UTF-8 (HTML, after `HTMLReader.decode`) or a DOCX part in UTF-8 or UTF-16, which it reads
// natively. The few converter functions libxml2 refers to are answered below by functions that report failure (as
// ICU does for an unknown converter), so that libicudata's 30 MB are not linked in; Package.swift passes the
// version suffix ICU's names carry in this libxml2 (OGILINT_ICU_SUFFIX, e.g. _72) and links this way only when
// these are all the ICU names the archive refers to. The stubs are hidden: a program that also loads the real
// ICU (the tests link the system's libxml2) keeps it.
#include "ogilint_libxml2_linked.h"

#ifdef OGILINT_LINK_LIBXML2

#include "../CLibXML2Loader/libxml2_api.h"

#include <stddef.h>

void ogilint_libxml2_linked_api(ogilint_libxml2_api *api) {
#define OGILINT_XML_LINK(name) api->name = &name;
    OGILINT_XML_FUNCTIONS(OGILINT_XML_LINK)
#undef OGILINT_XML_LINK
#ifdef OGILINT_PER_THREAD_FREE
    api->freeFunction = &__xmlFree;
#else
    api->freeFunction = &xmlFree;
#endif
}

#ifdef OGILINT_ICU_SUFFIX
#define OGILINT_JOIN2(a, b) a##b
#define OGILINT_JOIN(a, b) OGILINT_JOIN2(a, b)
#define OGILINT_ICU(name) OGILINT_JOIN(name, OGILINT_ICU_SUFFIX)
#define OGILINT_HIDDEN __attribute__((visibility("hidden")))

// U_MISSING_RESOURCE_ERROR: what ucnv_open reports for a converter it does not have. A failure is never overwritten
// (ICU's functions do nothing when handed a failure already).
static void fail(int *status) {
    if (status != NULL && *status <= 0) *status = 2;
}

OGILINT_HIDDEN void *OGILINT_ICU(ucnv_open)(const char *name, int *status) {
    (void)name;
    fail(status);
    return NULL;
}

OGILINT_HIDDEN void OGILINT_ICU(ucnv_close)(void *converter) { (void)converter; }

OGILINT_HIDDEN void OGILINT_ICU(ucnv_setToUCallBack)(void *converter, void *action, const void *context,
                                                      void *oldAction, const void **oldContext, int *status) {
    (void)converter, (void)action, (void)context, (void)oldAction, (void)oldContext;
    fail(status);
}

OGILINT_HIDDEN void OGILINT_ICU(ucnv_setFromUCallBack)(void *converter, void *action, const void *context,
                                                        void *oldAction, const void **oldContext, int *status) {
    (void)converter, (void)action, (void)context, (void)oldAction, (void)oldContext;
    fail(status);
}

OGILINT_HIDDEN void OGILINT_ICU(ucnv_convertEx)(void *target, void *source, char **targetStart, const char *targetLimit,
                                                 const char **sourceStart, const char *sourceLimit, void *pivotStart,
                                                 void **pivotSource, void **pivotTarget, const void *pivotLimit,
                                                 signed char reset, signed char flush, int *status) {
    (void)target, (void)source, (void)targetStart, (void)targetLimit, (void)sourceStart, (void)sourceLimit;
    (void)pivotStart, (void)pivotSource, (void)pivotTarget, (void)pivotLimit, (void)reset, (void)flush;
    fail(status);
}

// The stop callbacks, whose addresses libxml2 hands to the two functions above; never called.
OGILINT_HIDDEN void OGILINT_ICU(UCNV_TO_U_CALLBACK_STOP)(void) {}
OGILINT_HIDDEN void OGILINT_ICU(UCNV_FROM_U_CALLBACK_STOP)(void) {}
#endif

#endif
