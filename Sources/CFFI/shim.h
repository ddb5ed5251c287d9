// libffi for the host's `ffi` evaluator (Sources/Hone/Evaluation/FFIMetric.swift).
// The ffi_type globals are reached through functions so Swift gets stable pointers to them.
#ifndef HONE_CFFI_SHIM_H
#define HONE_CFFI_SHIM_H
#include <ffi.h>

static inline ffi_type *hone_ffi_type_void(void) { return &ffi_type_void; }
static inline ffi_type *hone_ffi_type_sint(void) { return &ffi_type_sint; }
static inline ffi_type *hone_ffi_type_slong(void) { return &ffi_type_slong; }
static inline ffi_type *hone_ffi_type_float(void) { return &ffi_type_float; }
static inline ffi_type *hone_ffi_type_double(void) { return &ffi_type_double; }
static inline ffi_type *hone_ffi_type_pointer(void) { return &ffi_type_pointer; }
static inline ffi_abi hone_ffi_default_abi(void) { return FFI_DEFAULT_ABI; }

#endif
