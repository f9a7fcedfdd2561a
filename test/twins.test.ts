// Mechanical guards: the AS and TS twins export the same kernel names from the same files, and the
// release binary imports nothing (no host Math, no abort) and exports exactly the expected list.
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { compileWasm } from '../src/wasm/instance';
import { LOGQ_SLOT, LOGZ_SLOT, NO_BOUND } from '../src/kernels/exact';

function exportedFunctions(dir: string): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const f of readdirSync(dir).filter((n) => n.endsWith('.ts')).sort()) {
    const src = readFileSync(`${dir}/${f}`, 'utf8');
    out[f] = [...src.matchAll(/^export function (\w+)/gm)].map((m) => m[1]).sort();
  }
  return out;
}

describe('twins', () => {
  it('assembly/kernels and src/kernels export the same functions from the same files', () => {
    // TS-only helpers, each documented where it is defined: term_slot (a term's slot without
    // reading its bits; AS reads them for free), term_or_exponent, fold_private_f64 (the TS fast
    // loops' private bins into the state; AS deposits into the state directly)
    const tsOnly = new Set(['term_slot', 'term_or_exponent', 'fold_private_f64']);
    // AS-only SIMD helpers: deposit_f64x2 (the TS kernels call deposit_f64 once per lane),
    // pair_term_f64x2 (two lanes' terms, shared by the pair loop and the row kernel), and the
    // block check's substitute_zero, block_min_i32x4 and block_max_i32x4 (shared by the entropy
    // and pair loops; the TS kernels check element by element)
    const asOnly = new Set(['deposit_f64x2', 'pair_term_f64x2', 'substitute_zero', 'block_min_i32x4', 'block_max_i32x4']);
    const ts = exportedFunctions('src/kernels');
    const as = exportedFunctions('assembly/kernels');
    for (const f of Object.keys(ts)) ts[f] = ts[f].filter((n) => !tsOnly.has(n));
    for (const f of Object.keys(as)) as[f] = as[f].filter((n) => !asOnly.has(n));
    expect(ts).toEqual(as);
  });

  it('assembly/math/log.ts and src/math/log.ts export the same functions', () => {
    const as = exportedFunctions('assembly/math')['log.ts'];
    const ts = exportedFunctions('src/math')['log.ts'];
    // TS: log_hw_f64 takes a high word already read from the input and holds the table path
    // inline (the twin's @inline log_main_f64), so that V8 inlines it into the kernel loops
    // AS-only: the SIMD forms (*_f64x2; TS runs the scalar path per lane)
    const asOnly = new Set(['log_main_f64x2', 'log_z_f64x2', 'log_lanes_f64x2', 'log1p_near_f64x2']);
    // TS-only: log_hw_f64 (takes a high word already read from the input) and log_dd (for the
    // shared final formulas, not a kernel); the closures log_main_fn / log_z_fn / log1p_near_fn
    // (which hold the paths, for kernel loops to capture) are consts, not listed here
    const tsOnly = new Set(['log_hw_f64', 'log_dd']);
    expect(ts.filter((n) => !tsOnly.has(n))).toEqual(as.filter((n) => !asOnly.has(n)));
  });

  it('the log tables are the same 512 bit patterns', () => {
    const hexes = (f: string) => [...readFileSync(f, 'utf8').matchAll(/(?:0x|')([0-9A-F]{16})\b/g)].map((m) => m[1]);
    const as = hexes('assembly/math/log_table.ts');
    expect(as.length).toBe(512);
    expect(hexes('src/math/log_table.ts')).toEqual(as);
  });

  it('the slot-bound tables of the f64x2 loops are the TS ones (LOGZ_SLOT as LOGZ_KSLOT, LOGQ_SLOT)', () => {
    const table = (f: string, name: string) => {
      const m = new RegExp(`const ${name}: usize = memory\\.data<i(?:8|32)>\\(\\[([^\\]]*)\\]`).exec(readFileSync(f, 'utf8'));
      if (!m) throw new Error(`${name} not found in ${f}`);
      return m[1].split(',').map((x) => x.trim()).filter(Boolean).map(Number);
    };
    // relative to S's slot: c's biased exponent is k + 1022 in the cells below 80, k + 1023 from 80 on
    expect(table('assembly/kernels/shannon.ts', 'LOGZ_KSLOT')).toEqual(Array.from(LOGZ_SLOT, (x, i) => (x === NO_BOUND ? x : i < 80 ? x - 1 : x)));
    expect(table('assembly/kernels/pair.ts', 'LOGQ_SLOT')).toEqual(Array.from(LOGQ_SLOT, (x) => (x === NO_BOUND ? -128 : x)));
  });

  it('Math.log, Math.exp and Math.pow appear in no numeric path', () => {
    for (const dir of ['src', 'src/kernels', 'src/math', 'assembly', 'assembly/kernels', 'assembly/math']) {
      for (const f of readdirSync(dir).filter((n) => n.endsWith('.ts'))) {
        const code = readFileSync(`${dir}/${f}`, 'utf8').replace(/\/\/.*$/gm, '').replace(/\/\*[\s\S]*?\*\//g, '');
        expect(code, `${dir}/${f}`).not.toMatch(/Math\.(log|exp|pow|log2|log10|log1p|expm1)\b|\*\*/);
      }
    }
  });
});

describe('release binary', () => {
  it('imports nothing and exports exactly the kernel interface', async () => {
    const mod = await compileWasm();
    expect(WebAssembly.Module.imports(mod)).toEqual([]);
    expect(WebAssembly.Module.exports(mod).map((e) => `${e.kind}:${e.name}`).sort()).toEqual([
      'function:cross_entropy_update_f64', 'function:kl_divergence_update_f64', 'function:layout_end',
      'function:log_f64', 'function:pair_rows_f64', 'function:rows_out_ptr', 'function:scratch_ptr',
      'function:shannon_rows_f64', 'function:shannon_update_f64',
      'function:stage_ptr', 'function:state_ptr', 'memory:memory',
    ]);
  });
});
