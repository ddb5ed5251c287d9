/*
 * abi_roundtrip.c — a benchmark plugin that measures one call through the ABI.
 *
 * `run` calls host->is_cancelled `calls` times in each of `batches` batches
 * and times every batch with CLOCK_MONOTONIC. is_cancelled takes no JSON and
 * returns an int, so a batch measures the plugin -> host -> plugin round
 * trip alone: an indirect call into the host (Swift, for the `hone` host),
 * whatever the host does to answer, and the return. The run request is
 * parsed once before the timing starts and the result built after it ends,
 * so no JSON work is inside the timed loops.
 *
 * The result's "summary" holds the per-call figures in nanoseconds: the
 * median, minimum and maximum over the batches, plus the raw batch means in
 * "batch_ns_per_call". "best_prompt" is the seed prompt, unchanged.
 *
 * Depends on hone.h, hone_jansson.h and libjansson only.
 */
#define _POSIX_C_SOURCE 199309L /* clock_gettime */

#include <stdint.h>
#include <stdlib.h>
#include <time.h>

#include <jansson.h>

#include "hone.h"
#include "hone_jansson.h"

/** The plugin's id. */
#define RT_PLUGIN_ID "org.hone.bench.abi-roundtrip"

static const char rt_config_schema[] =
    "{"
    "\"type\":\"object\","
    "\"additionalProperties\":false,"
    "\"properties\":{"
    "\"calls\":{\"type\":\"integer\",\"minimum\":1,\"maximum\":100000000,\"default\":10000,"
    "\"description\":\"host->is_cancelled calls per timed batch.\"},"
    "\"batches\":{\"type\":\"integer\",\"minimum\":1,\"maximum\":100000,\"default\":101,"
    "\"description\":\"Timed batches; the summary reports their median.\"}"
    "}"
    "}";

/** One instance: the config and the host table. */
typedef struct rt_instance {
    const hone_host *host;
    long calls;
    long batches;
} rt_instance;

static hone_status rt_create(const hone_plugin_descriptor *descriptor, const hone_host *host, const char *config_json,
                             void **out_instance, hone_sink *error) {
    (void)descriptor;
    if (host == NULL || out_instance == NULL) {
        return hone_fail(error, HONE_ERR_INVALID_ARGUMENT, RT_PLUGIN_ID ": create needs a host and an out pointer");
    }
    if (!HONE_HOST_HAS(host, is_cancelled)) {
        return hone_fail(error, HONE_ERR_UNSUPPORTED, RT_PLUGIN_ID ": the host has no is_cancelled to time");
    }
    json_t *config = hone_json_parse(config_json, "config", error);
    if (config == NULL) return HONE_ERR_CONFIG;
    json_int_t calls = 0, batches = 0;
    hone_status status = hone_config_int(config, "calls", 10000, &calls, error);
    if (status == HONE_OK) status = hone_config_int(config, "batches", 101, &batches, error);
    json_decref(config);
    if (status != HONE_OK) return status;
    if (calls < 1 || batches < 1) {
        return hone_fail(error, HONE_ERR_CONFIG, "config.calls and config.batches must be at least 1 (got %lld and %lld)",
                         (long long)calls, (long long)batches);
    }
    rt_instance *instance = malloc(sizeof *instance);
    if (instance == NULL) return hone_fail(error, HONE_ERR_INTERNAL, "out of memory creating " RT_PLUGIN_ID);
    instance->host = host;
    instance->calls = (long)calls;
    instance->batches = (long)batches;
    *out_instance = instance;
    return HONE_OK;
}

static void rt_destroy(void *instance) {
    free(instance);
}

static int rt_compare_doubles(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : (x > y ? 1 : 0);
}

static double rt_seconds(void) {
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return (double)now.tv_sec + (double)now.tv_nsec * 1e-9;
}

static hone_status rt_run(void *opaque, const char *run_json, hone_sink *result) {
    rt_instance *self = opaque;
    const hone_host *host = self->host;
    json_t *run = hone_json_parse(run_json, "run request", result);
    if (run == NULL) return HONE_ERR_INVALID_ARGUMENT;
    json_t *seed_prompt = NULL;
    hone_status status = hone_unpack(run, result, "run request", "{s:o}", "seed_prompt", &seed_prompt);
    if (status != HONE_OK) {
        json_decref(run);
        return status;
    }
    double *per_call = malloc((size_t)self->batches * sizeof *per_call);
    if (per_call == NULL) {
        json_decref(run);
        return hone_fail(result, HONE_ERR_INTERNAL, "out of memory for %ld batch timings", self->batches);
    }

    /* The timed part: nothing but calls into the host. */
    int32_t (*is_cancelled)(const hone_host *) = host->is_cancelled;
    volatile int32_t sink = 0;
    long done = 0;
    for (long b = 0; b < self->batches; b++) {
        double start = rt_seconds();
        for (long i = 0; i < self->calls; i++) sink += is_cancelled(host);
        double elapsed = rt_seconds() - start;
        per_call[b] = elapsed * 1e9 / (double)self->calls;
        done = b + 1;
        if (sink != 0) break; /* cancelled: report what was measured */
    }

    json_t *batch_means = json_array();
    for (long b = 0; b < done; b++) json_array_append_new(batch_means, json_real(per_call[b]));
    qsort(per_call, (size_t)done, sizeof *per_call, rt_compare_doubles);
    double median = done % 2 == 1 ? per_call[done / 2] : (per_call[done / 2 - 1] + per_call[done / 2]) / 2.0;
    json_t *best_prompt = json_is_string(seed_prompt) ? json_pack("{s:O}", "text", seed_prompt) : json_deep_copy(seed_prompt);
    json_t *document = json_pack(
        "{s:o, s:{s:s, s:I, s:I, s:f, s:f, s:f, s:o}, s:[]}", "best_prompt", best_prompt, "summary", "measured",
        "host->is_cancelled round trip", "calls_per_batch", (json_int_t)self->calls, "batches", (json_int_t)done,
        "median_ns_per_call", median, "min_ns_per_call", per_call[0], "max_ns_per_call", per_call[done - 1],
        "batch_ns_per_call", batch_means, "curve");
    free(per_call);
    json_decref(run);
    if (document == NULL) return hone_fail(result, HONE_ERR_INTERNAL, "out of memory building the result");
    hone_logf(host, HONE_LOG_INFO, "median %.1f ns per host->is_cancelled round trip over %ld x %ld calls",
              median, done, self->calls);
    status = hone_sink_write_json(result, document);
    json_decref(document);
    return status;
}

static const hone_optimizer_vtable rt_vtable = {
    sizeof(hone_optimizer_vtable),
    rt_create,
    rt_run,
    rt_destroy,
    NULL, /* get_extension (ABI 1.1): none */
};

static const hone_plugin_descriptor rt_descriptor = {
    sizeof(hone_plugin_descriptor),
    HONE_KIND_OPTIMIZER,
    RT_PLUGIN_ID,
    "ABI round-trip benchmark",
    "1.0.0",
    "Times host->is_cancelled calls from inside run; returns the seed prompt unchanged.",
    rt_config_schema,
    "[]",
    "c",
    &rt_vtable,
    NULL,
};

static const hone_plugin_descriptor *const rt_plugins[] = {&rt_descriptor};

static const hone_plugin_library rt_library = {
    HONE_PLUGIN_MAGIC, sizeof(hone_plugin_library), HONE_ABI_VERSION_MAJOR, HONE_ABI_VERSION_MINOR, 1, rt_plugins,
};

HONE_EXPORT const hone_plugin_library *hone_plugin_entry_v1(void) {
    return &rt_library;
}
