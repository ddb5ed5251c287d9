/*
 * A test fixture, not a product, FROZEN with the header next to it: an optimizer written
 * against ABI 1.0 exactly as a 1.0 author would, compiled by the tests against the copy of the
 * 1.0 hone.h in this folder (never the current SDK/include/hone.h) and loaded and run by the
 * current host. Do not edit either file: they are what "an old plugin" means.
 *
 * It scores a fixed list of prompts on train (one evaluate request each, parsing the score
 * with strstr/strtod since it has no JSON library), reports progress, logs, saves a
 * checkpoint, polls is_cancelled, and returns the best prompt with what it saw of the host.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "hone.h"   /* the 1.0 header in this folder */

typedef struct { const hone_host *host; } old_plugin;

typedef struct { char *data; size_t length; } text_buffer;

static void text_write(void *context, const char *bytes, size_t length) {
    text_buffer *b = context;
    char *grown = realloc(b->data, b->length + length + 1);
    if (!grown) return;
    b->data = grown;
    memcpy(b->data + b->length, bytes, length);
    b->length += length;
    b->data[b->length] = 0;
}

static void say(hone_sink *sink, const char *text) { sink->write(sink->context, text, strlen(text)); }

static hone_status old_create(const hone_plugin_descriptor *d, const hone_host *host, const char *config,
                              void **out, hone_sink *error) {
    (void)d;
    (void)config;
    /* A careful 1.0 plugin: the host table must have every 1.0 field. */
    if (host->struct_size < sizeof(hone_host)) {
        say(error, "the host table is smaller than ABI 1.0's");
        return HONE_ERR_INVALID_ARGUMENT;
    }
    old_plugin *p = calloc(1, sizeof *p);
    if (!p) { say(error, "out of memory"); return HONE_ERR_INTERNAL; }
    p->host = host;
    *out = p;
    return HONE_OK;
}

static const char *const candidates[] = {"", "review:", "sentiment of the review:", "is it good or bad?"};
enum { CANDIDATE_COUNT = 4 };

static hone_status old_run(void *instance, const char *run_json, hone_sink *result) {
    (void)run_json;
    const hone_host *h = ((old_plugin *)instance)->host;
    int best = -1, evaluated = 0;
    double best_score = -1;
    char request[256], line[160];
    for (int i = 0; i < CANDIDATE_COUNT && !h->is_cancelled(h); i++) {
        snprintf(request, sizeof request, "{\"prompts\":[\"%s\"],\"split\":\"train\"}", candidates[i]);
        text_buffer answer = {0};
        hone_sink sink = {&answer, text_write};
        hone_status status = h->evaluate(h, request, &sink);
        const char *score = (status == HONE_OK && answer.data) ? strstr(answer.data, "\"score\":") : NULL;
        if (score) {
            double value = strtod(score + strlen("\"score\":"), NULL);
            evaluated++;
            if (value > best_score) { best_score = value; best = i; }
        }
        free(answer.data);
        if (status == HONE_ERR_BUDGET_EXHAUSTED || status == HONE_ERR_CANCELLED) break;
        if (status != HONE_OK) { say(result, "evaluate failed"); return status; }
        h->progress(h, (double)(i + 1) / CANDIDATE_COUNT, "scoring");
    }
    snprintf(line, sizeof line, "{\"evaluated\":%d}", evaluated);
    if (h->checkpoint_save(h, line) != HONE_OK) h->log(h, HONE_LOG_WARNING, "checkpoint not saved");
    snprintf(line, sizeof line, "scored %d prompts", evaluated);
    h->log(h, HONE_LOG_INFO, line);
    char document[512];
    snprintf(document, sizeof document,
             "{\"best_prompt\":{\"text\":\"%s\",\"method\":\"org.hone.test.abi-1-0\"},"
             "\"summary\":{\"evaluated\":%d,\"best_train\":%g,\"host_struct_size\":%u,\"host_abi\":\"%u.%u\","
             "\"plugin_abi\":\"%d.%d\",\"host_extension\":%s}}",
             best >= 0 ? candidates[best] : "", evaluated, best_score, (unsigned)h->struct_size,
             (unsigned)h->abi_major, (unsigned)h->abi_minor, HONE_ABI_VERSION_MAJOR, HONE_ABI_VERSION_MINOR,
             h->get_extension(h, "hone.host.ledger/1") ? "true" : "false");
    say(result, document);
    return HONE_OK;
}

static void old_destroy(void *instance) { free(instance); }

static const hone_optimizer_vtable vtable = {sizeof(hone_optimizer_vtable), old_create, old_run, old_destroy};

static const hone_plugin_descriptor descriptor = {
    sizeof(hone_plugin_descriptor), HONE_KIND_OPTIMIZER, "org.hone.test.abi-1-0", "ABI 1.0 fixture", "1.0.0",
    "An optimizer compiled against the frozen ABI 1.0 header.",
    "{\"type\":\"object\",\"additionalProperties\":false}", "[\"score\"]", "c", &vtable, NULL};

static const hone_plugin_descriptor *const plugins[] = {&descriptor};

static const hone_plugin_library library = {
    HONE_PLUGIN_MAGIC, sizeof(hone_plugin_library), HONE_ABI_VERSION_MAJOR, HONE_ABI_VERSION_MINOR, 1, plugins};

HONE_EXPORT const hone_plugin_library *hone_plugin_entry_v1(void) { return &library; }
