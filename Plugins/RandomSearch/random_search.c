/*
 * The built-in random-search plugin (libHonePluginRandomSearch.so).
 *
 * Its one source is the out-of-tree example in SDK/examples/random-search-c/,
 * which third-party authors copy and build with its own Makefile. Including
 * it here, instead of keeping a copy, guarantees that the baseline every
 * method is compared with is exactly the code the example documents.
 * Every function of the example is `static` except hone_plugin_entry_v1, which
 * hone.h marks HONE_EXPORT, so the library's own code exports only the entry
 * without -fvisibility=hidden (an unsafe flag SwiftPM refuses in the products
 * of a versioned dependency).
 */
#include "../../SDK/examples/random-search-c/random_search.c"
