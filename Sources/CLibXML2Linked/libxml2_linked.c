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

// libxml2's HTML parser reports every tag it does not know (Word's <o:p>, on nearly every paragraph of a page saved
// from Word) as an error, and __xmlRaiseError formats each message twice (vsnprintf), copies it with its strings
// into the parser context and the thread's last error, and hands it to the error channel, which HTML_PARSE_NOERROR
// leaves silent: about 4,000 instructions an error, 1.3 M of a Word-saved web page. ogilint reads nothing of an HTML
// parse's errors (a page libxml2 cannot parse is refused with a message of ogilint's own, and the parse's course
// does not depend on them: htmlParseErr sets the context's errNo and wellFormed itself). So the release program is
// linked with `--wrap=__xmlRaiseError` (Package.swift, on x86_64 and arm64): every call libxml2's objects make to it
// comes here first, and one whose domain (the sixth argument) is XML_FROM_HTML returns at once; every other one goes
// on, arguments untouched, to libxml2's own (__real___xmlRaiseError). Written in assembly because the function is
// variadic: a C wrapper could not hand the variable arguments on.
#if defined(__x86_64__) || defined(__aarch64__)
_Static_assert(XML_FROM_HTML == 5, "the wrapper below compares the domain with 5");
__asm__(".text\n"
        ".globl __wrap___xmlRaiseError\n"
        ".hidden __wrap___xmlRaiseError\n"
        ".type __wrap___xmlRaiseError, %function\n"
        ".p2align 4\n"
        "__wrap___xmlRaiseError:\n"
#if defined(__x86_64__)
        "    cmpl $5, %r9d\n"
        "    je 1f\n"
        "    jmp __real___xmlRaiseError\n"
        "1:  ret\n"
#else
        "    cmp w5, #5\n"
        "    b.eq 1f\n"
        "    b __real___xmlRaiseError\n"
        "1:  ret\n"
#endif
        ".size __wrap___xmlRaiseError, .-__wrap___xmlRaiseError\n");
#endif

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
