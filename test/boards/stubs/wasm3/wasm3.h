/* Compile-only stub of wasm3's public API (source/wasm3.h): the declarations
 * boards/wasm3/tlsrt_runtime_wasm3.c uses, with wasm3's signatures. */
#ifndef wasm3_h
#define wasm3_h
#include <stdint.h>
#include <stddef.h>

typedef const char *M3Result;
typedef struct M3Environment *IM3Environment;
typedef struct M3Runtime *IM3Runtime;
typedef struct M3Module *IM3Module;
typedef struct M3Function *IM3Function;
typedef struct M3ImportContext *IM3ImportContext;

extern const M3Result m3Err_none;
extern const M3Result m3Err_mallocFailed;
extern const M3Result m3Err_functionLookupFailed;
extern const M3Result m3Err_trapOutOfBoundsMemoryAccess;
extern const M3Result m3Err_trapUnreachable;

typedef const void *(*M3RawCall)(IM3Runtime runtime, IM3ImportContext _ctx, uint64_t *_sp, void *_mem);

IM3Environment m3_NewEnvironment(void);
void m3_FreeEnvironment(IM3Environment i_environment);
IM3Runtime m3_NewRuntime(IM3Environment io_environment, uint32_t i_stackSizeInBytes, void *i_userdata);
void m3_FreeRuntime(IM3Runtime i_runtime);
uint8_t *m3_GetMemory(IM3Runtime i_runtime, uint32_t *o_memorySizeInBytes, uint32_t i_memoryIndex);
uint32_t m3_GetMemorySize(IM3Runtime i_runtime);
M3Result m3_ParseModule(IM3Environment i_environment, IM3Module *o_module, const uint8_t *const i_wasmBytes, uint32_t i_numWasmBytes);
void m3_FreeModule(IM3Module i_module);
M3Result m3_LoadModule(IM3Runtime io_runtime, IM3Module io_module);
M3Result m3_CompileModule(IM3Module io_module);
M3Result m3_LinkRawFunction(IM3Module io_module, const char *const i_moduleName, const char *const i_functionName,
                            const char *const i_signature, M3RawCall i_function);
M3Result m3_FindFunction(IM3Function *o_function, IM3Runtime i_runtime, const char *const i_functionName);
M3Result m3_CallV(IM3Function i_function, ...);
M3Result m3_GetResultsV(IM3Function i_function, ...);
#endif
