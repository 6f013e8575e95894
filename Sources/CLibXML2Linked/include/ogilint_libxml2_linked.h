// Links libxml2 into the `ogilint` program (see libxml2_linked.c). Nothing here is called from Swift.
#ifndef OGILINT_LIBXML2_LINKED_H
#define OGILINT_LIBXML2_LINKED_H
#endif
