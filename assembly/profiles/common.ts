// What every profile exports: the crypto core and memory helpers.
// One line per primitive file; each file keeps its own exports small.
export { ct_equal, wipe } from "../crypto/ct";

/** First free byte after static data: hosts and tests lay buffers out from here. */
export function heap_base(): usize {
  return __heap_base;
}
