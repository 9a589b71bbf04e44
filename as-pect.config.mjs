// as-pect runs the AssemblyScript known-answer tests in assembly/__tests__.
// The crypto code under test takes raw pointers, so the tests' own runtime
// (as-pect needs a GC runtime for its reporter) does not leak into it.
export default {
  entries: ["assembly/__tests__/**/*.spec.ts"],
  include: ["assembly/__tests__/**/*.include.ts"],
  disclude: [/node_modules/],
  async instantiate(memory, createImports, instantiate, binary) {
    return instantiate(binary, createImports({ env: { memory } }));
  },
  outputBinary: false,
};
