/*
 * A test fixture, not a product: a C plugin whose table can be made wrong on purpose
 * (compile-time macros) so the tests can check every refusal of the host's loader, and
 * whose `run` records what the host showed it (the run request, the answer to an attempt
 * to evaluate the test split) so the tests can check that test data never reaches a plugin.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "hone.h"

#ifndef FIXTURE_MAGIC
#define FIXTURE_MAGIC HONE_PLUGIN_MAGIC
#endif
#ifndef FIXTURE_ABI_MAJOR
#define FIXTURE_ABI_MAJOR HONE_ABI_VERSION_MAJOR
#endif
#ifndef FIXTURE_LIBRARY_SIZE
#define FIXTURE_LIBRARY_SIZE sizeof(hone_plugin_library)
#endif
#ifndef FIXTURE_DESCRIPTOR_SIZE
#define FIXTURE_DESCRIPTOR_SIZE sizeof(hone_plugin_descriptor)
#endif
#ifndef FIXTURE_VTABLE_SIZE
#define FIXTURE_VTABLE_SIZE sizeof(hone_optimizer_vtable)
#endif
#ifndef FIXTURE_TOOLCHAIN
#define FIXTURE_TOOLCHAIN "c"
#endif
#ifndef FIXTURE_ID
#define FIXTURE_ID "org.hone.test.fixture"
#endif
#ifndef FIXTURE_CAPABILITIES
#define FIXTURE_CAPABILITIES "[\"score\"]"
#endif
#ifndef FIXTURE_ENTRY
#define FIXTURE_ENTRY hone_plugin_entry_v1
#endif
/* What the entry's definition is marked with (hone.h's declaration already exports it). */
#ifndef FIXTURE_EXPORT
#define FIXTURE_EXPORT HONE_EXPORT
#endif
/* The run result document the plugin writes. */
#ifndef FIXTURE_RESULT
#define FIXTURE_RESULT "{\"best_prompt\":{\"text\":\"sentiment\",\"method\":\"" FIXTURE_ID "\"},\"summary\":{\"fixture\":true}}"
#endif

typedef struct { const hone_host *host; char dump_path[1024]; } fixture;

typedef struct { char *data; size_t length; } buffer;
static void buffer_write(void *context, const char *bytes, size_t length) {
    buffer *b = context;
    b->data = realloc(b->data, b->length + length + 1);
    memcpy(b->data + b->length, bytes, length);
    b->length += length;
    b->data[b->length] = 0;
}

static void send(hone_sink *sink, const char *text) { sink->write(sink->context, text, strlen(text)); }

static hone_status fixture_create(const hone_plugin_descriptor *d, const hone_host *host, const char *config,
                                  void **out, hone_sink *error) {
    (void)d;
    fixture *f = calloc(1, sizeof *f);
    if (!f) { send(error, "out of memory"); return HONE_ERR_INTERNAL; }
    f->host = host;
    if (strstr(config, "\"level\":3") != NULL) {
        free(f);
        send(error, "config.level: 3 is reserved for a later version; use 1 or 2");
        return HONE_ERR_CONFIG;
    }
    const char *key = strstr(config, "\"dump_path\":\"");
    if (key) {
        key += strlen("\"dump_path\":\"");
        size_t n = 0;
        while (key[n] && key[n] != '"' && n + 1 < sizeof f->dump_path) { f->dump_path[n] = key[n]; n++; }
        f->dump_path[n] = 0;
    }
    *out = f;
    return HONE_OK;
}

static hone_status fixture_run(void *instance, const char *run_json, hone_sink *result) {
    fixture *f = instance;
    const hone_host *h = f->host;
    buffer test_answer = {0}, train_answer = {0};
    hone_sink s1 = {&test_answer, buffer_write}, s2 = {&train_answer, buffer_write};
    hone_status test_status = h->evaluate(h, "{\"prompts\":[\"x\"],\"split\":\"test\",\"details\":true}", &s1);
    hone_status train_status = h->evaluate(h, "{\"prompts\":[\"sentiment\"],\"split\":\"train\",\"details\":true}", &s2);
    if (f->dump_path[0]) {
        FILE *out = fopen(f->dump_path, "w");
        if (out) {
            fprintf(out, "{\"run\":%s,\"test_status\":%d,\"train_status\":%d,\"train_answer\":%s}",
                    run_json, test_status, train_status, train_status == HONE_OK ? train_answer.data : "null");
            fclose(out);
        }
        char test_path[1100];
        snprintf(test_path, sizeof test_path, "%s.test-answer", f->dump_path);
        out = fopen(test_path, "w");
        if (out) {
            fputs(test_answer.data ? test_answer.data : "", out);
            fclose(out);
        }
    }
    free(test_answer.data);
    free(train_answer.data);
    send(result, FIXTURE_RESULT);
    return HONE_OK;
}

static void fixture_destroy(void *instance) { free(instance); }

static const hone_optimizer_vtable vtable = {FIXTURE_VTABLE_SIZE, fixture_create, fixture_run, fixture_destroy, NULL};

static const hone_plugin_descriptor descriptor = {
    FIXTURE_DESCRIPTOR_SIZE, HONE_KIND_OPTIMIZER, FIXTURE_ID, "Fixture", "0.0.1",
    "Test fixture that records what the host shows it.",
    "{\"type\":\"object\",\"properties\":{\"dump_path\":{\"type\":\"string\"},\"level\":{\"type\":\"integer\",\"minimum\":1,\"maximum\":3}},\"additionalProperties\":false}",
    FIXTURE_CAPABILITIES, FIXTURE_TOOLCHAIN, &vtable, NULL};

static const hone_plugin_descriptor *const list[] = {&descriptor};

static const hone_plugin_library library = {FIXTURE_MAGIC, FIXTURE_LIBRARY_SIZE, FIXTURE_ABI_MAJOR, HONE_ABI_VERSION_MINOR, 1, list};

FIXTURE_EXPORT const hone_plugin_library *FIXTURE_ENTRY(void) { return &library; }
