/* Compile-only stub of the wasm3 internals (source/m3_env.h, m3_core.h,
 * m3_code.h, m3_function.h) that tlsrt_runtime_wasm3.c reads: the runtime's
 * memory limit, its module list, a module's functions and the code pages.
 * The fields the adapter uses carry wasm3's names and types; the others are
 * abridged (the layout is never used: nothing compiled here is linked). */
#ifndef m3_env_h
#define m3_env_h
#include "wasm3.h"

#ifndef d_m3MaxFunctionStackHeight
#define d_m3MaxFunctionStackHeight 2000
#endif
#ifndef d_m3MaxNativeStack
#define d_m3MaxNativeStack 0
#endif

typedef const void *code_t;

typedef struct M3CodePageInfo {
  struct M3CodePage *next;
  uint32_t lineIndex;
  uint32_t numLines;
  uint32_t sequence;
  uint32_t usageCount;
} M3CodePageHeader;

typedef struct M3CodePage {
  M3CodePageHeader info;
  code_t code[1];
} M3CodePage;
typedef M3CodePage *IM3CodePage;

typedef struct M3ImportInfo {
  const char *moduleUtf8;
  const char *fieldUtf8;
} M3ImportInfo;

struct M3Function {
  struct M3Module *module;
  M3ImportInfo import;
  const uint8_t *wasm;
  const uint8_t *wasmEnd;
  uint32_t numNames;
  const char *names[1];
  void *funcType;
  code_t *compiled;
};

struct M3Module {
  struct M3Runtime *runtime;
  IM3Environment environment;
  const uint8_t *wasmStart;
  const uint8_t *wasmEnd;
  const char *name;
  uint32_t numFuncTypes;
  void **funcTypes;
  uint32_t numFuncImports;
  uint32_t numFunctions;
  uint32_t allFunctions;
  struct M3Function *functions;
  struct M3Module *next;
};

struct M3Runtime {
  IM3Environment environment;
  IM3CodePage pagesOpen;
  IM3CodePage pagesFull;
  uint32_t numCodePages;
  uint32_t numActiveCodePages;
  IM3Module modules;
  void *stack;
  uint32_t stackSize;
  uint32_t numStackSlots;
  uint32_t memoryLimit;
};
#endif
