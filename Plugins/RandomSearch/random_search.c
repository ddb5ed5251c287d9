/*
 * The built-in random-search plugin (libHonePluginRandomSearch.so).
 *
 * Its one source is the out-of-tree example in SDK/examples/random-search-c/,
 * which third-party authors copy and build with its own Makefile. Including
 * it here, instead of keeping a copy, guarantees that the baseline every
 * method is compared with is exactly the code the example documents.
 * SwiftPM compiles this file with -fvisibility=hidden (see Package.swift), so
 * the library exports only hone_plugin_entry_v1.
 */
#include "../../SDK/examples/random-search-c/random_search.c"
