/*
 * A test fixture, not a product: an optimizer whose stage config chooses how it misbehaves,
 * for the crash-isolation tests (Tests/HoneTests/PluginIsolationTests.swift).
 *
 * Its `run` loads its checkpoint ({"done": k}), then scores "fixture prompt k", "... k+1", ...
 * on train one at a time up to config.evaluations, saving {"done": i + 1} after each. Once
 * config.misbehave_after evaluations are done (default 2) it does what config.behaviour says:
 *   "normal"          returns the best prompt (summary.resumed_from = k)
 *   "segfault"        writes through NULL
 *   "abort"           calls abort()
 *   "stack_overflow"  recurses without end
 *   "exit3"           calls exit(3)
 *   "hang"            sleeps forever, never polling is_cancelled
 *   "allocation_bomb" allocates and touches 32 MiB blocks, up to 1.5 GiB, without checking
 *   "spin"            burns CPU forever
 *   "wait_cancel"     polls is_cancelled until it is set, then returns its best prompt
 *   "crash_in_create" (checked in create) writes through NULL
 * Built with -DFIXTURE_FIXED, it ignores every behaviour but "normal": the "fixed plugin".
 * Everything it prints goes to stdout, which the host must keep away from its own output.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "hone.h"

#define FIXTURE_ID "org.hone.test.misbehaving"

typedef struct { const hone_host *host; char behaviour[64]; int evaluations; int misbehave_after; } fixture;
typedef struct { char *data; size_t length; } buffer;

static void buffer_write(void *context, const char *bytes, size_t length) {
    buffer *b = context;
    b->data = realloc(b->data, b->length + length + 1);
    memcpy(b->data + b->length, bytes, length);
    b->length += length;
    b->data[b->length] = 0;
}

static void send_text(hone_sink *sink, const char *text) { sink->write(sink->context, text, strlen(text)); }

/* The integer after "key": in a flat JSON object, or `fallback`. */
static int int_member(const char *json, const char *key, int fallback) {
    char pattern[64];
    snprintf(pattern, sizeof pattern, "\"%s\":", key);
    const char *at = strstr(json, pattern);
    return at ? atoi(at + strlen(pattern)) : fallback;
}

static void crash_through_null(void) {
    volatile int *nowhere = NULL;
    *nowhere = 1;
}

#pragma GCC diagnostic ignored "-Winfinite-recursion"
static int recurse(int depth) {
    volatile char frame[1024];
    frame[0] = (char)depth;
    return recurse(depth + 1) + frame[0];
}

static void misbehave(fixture *f) {
#ifdef FIXTURE_FIXED
    (void)f;
    return;
#else
    const char *b = f->behaviour;
    if (!strcmp(b, "normal")) return;
    printf("misbehaving plugin: about to %s\n", b);
    fflush(stdout);
    if (!strcmp(b, "segfault")) crash_through_null();
    if (!strcmp(b, "abort")) abort();
    if (!strcmp(b, "stack_overflow")) recurse(0);
    if (!strcmp(b, "exit3")) exit(3);
    if (!strcmp(b, "hang")) for (;;) sleep(1);
    if (!strcmp(b, "spin")) { volatile unsigned long n = 0; for (;;) n++; }
    if (!strcmp(b, "allocation_bomb")) {
        for (int i = 0; i < 48; i++) memset(malloc(32u << 20), 1, 32u << 20);
    }
    if (!strcmp(b, "wait_cancel")) {
        while (!f->host->is_cancelled(f->host)) usleep(10000);
    }
#endif
}

static hone_status fixture_create(const hone_plugin_descriptor *d, const hone_host *host, const char *config,
                                  void **out, hone_sink *error) {
    (void)d;
    fixture *f = calloc(1, sizeof *f);
    f->host = host;
    const char *key = strstr(config, "\"behaviour\":\"");
    snprintf(f->behaviour, sizeof f->behaviour, "normal");
    if (key) {
        key += strlen("\"behaviour\":\"");
        size_t n = 0;
        while (key[n] && key[n] != '"' && n + 1 < sizeof f->behaviour) { f->behaviour[n] = key[n]; n++; }
        f->behaviour[n] = 0;
    }
    f->evaluations = int_member(config, "evaluations", 4);
    f->misbehave_after = int_member(config, "misbehave_after", 2);
#ifndef FIXTURE_FIXED
    if (!strcmp(f->behaviour, "crash_in_create")) crash_through_null();
#endif
    if (!strcmp(f->behaviour, "refuse")) {
        free(f);
        send_text(error, "config.behaviour: \"refuse\" is refused on purpose");
        return HONE_ERR_CONFIG;
    }
    *out = f;
    return HONE_OK;
}

static hone_status fixture_run(void *instance, const char *run_json, hone_sink *result) {
    (void)run_json;
    fixture *f = instance;
    buffer state = {0};
    hone_sink state_sink = {&state, buffer_write};
    int start = 0;
    if (f->host->checkpoint_load(f->host, &state_sink) == HONE_OK && state.data) start = int_member(state.data, "done", 0);
    free(state.data);
    f->host->log(f->host, HONE_LOG_INFO, "misbehaving fixture starts");
    int best = start > 0 ? start - 1 : 0;
    for (int i = start; i < f->evaluations; i++) {
        if (i == f->misbehave_after) misbehave(f);
        char request[256];
        snprintf(request, sizeof request, "{\"prompts\":[\"fixture prompt %d\"],\"split\":\"train\"}", i);
        buffer answer = {0};
        hone_sink answer_sink = {&answer, buffer_write};
        hone_status status = f->host->evaluate(f->host, request, &answer_sink);
        free(answer.data);
        if (status == HONE_ERR_BUDGET_EXHAUSTED || status == HONE_ERR_CANCELLED) break;
        if (status != HONE_OK) { send_text(result, "evaluate failed"); return status; }
        best = i;
        char saved[64];
        snprintf(saved, sizeof saved, "{\"done\":%d}", i + 1);
        f->host->checkpoint_save(f->host, saved);
        f->host->progress(f->host, (double)(i + 1) / f->evaluations, "scored");
    }
    if (f->misbehave_after >= f->evaluations) misbehave(f);
    char text[256];
    snprintf(text, sizeof text,
             "{\"best_prompt\":{\"text\":\"fixture prompt %d\"},\"summary\":{\"resumed_from\":%d,\"cancelled\":%s}}",
             best, start, f->host->is_cancelled(f->host) ? "true" : "false");
    send_text(result, text);
    return HONE_OK;
}

static void fixture_destroy(void *instance) { free(instance); }

static const hone_optimizer_vtable fixture_vtable = {
    sizeof(hone_optimizer_vtable), fixture_create, fixture_run, fixture_destroy, NULL,
};

static const hone_plugin_descriptor fixture_descriptor = {
    sizeof(hone_plugin_descriptor), HONE_KIND_OPTIMIZER, FIXTURE_ID, "Misbehaving fixture", "1.0.0",
    "Crashes, exits or hangs on request (a test fixture)",
    "{\"type\":\"object\",\"properties\":{\"behaviour\":{\"type\":\"string\"},\"evaluations\":{\"type\":\"integer\"},"
    "\"misbehave_after\":{\"type\":\"integer\"}},\"additionalProperties\":false}",
    "[\"score\"]", "c", &fixture_vtable, NULL,
};

static const hone_plugin_descriptor *const fixture_plugins[] = {&fixture_descriptor};

static const hone_plugin_library fixture_library = {
    HONE_PLUGIN_MAGIC, sizeof(hone_plugin_library), HONE_ABI_VERSION_MAJOR, HONE_ABI_VERSION_MINOR, 1, fixture_plugins,
};

HONE_EXPORT const hone_plugin_library *hone_plugin_entry_v1(void) { return &fixture_library; }
