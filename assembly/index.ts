// The WebAssembly core: plain numeric exports only, no bindings, no imports.
export { log_f64_export as log_f64 } from './exports';
export { shannon_update_f64 } from './kernels/shannon';
export { cross_entropy_update_f64 } from './kernels/cross_entropy';
export { kl_divergence_update_f64 } from './kernels/kl_divergence';
export { pair_rows_f64, shannon_rows_f64 } from './kernels/rows';
export { state_ptr, stage_ptr, scratch_ptr, rows_out_ptr, layout_end } from './memory';
