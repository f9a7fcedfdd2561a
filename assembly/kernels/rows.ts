// shannon_rows_f64 and pair_rows_f64: entropy, cross entropy or KL of each row of a row-major
// block, finished here, so that a batch of short rows (or one short histogram) costs one call and
// no per-row work in the wrapper.
// Twin: src/kernels/rows.ts (same steps). The finishes mirror src/finalize.ts (entropyFromSums,
// crossEntropyFromSums, klDivergenceFromSums, then inBase) operation for operation, for rows whose
// weights all lie in [LOW, HIGH) or are zero: their sums then live in region 1 only, where the
// general formulas' scalings are all by 2^0. Any other row (a tiny, huge or invalid weight, an
// all-zero row, more nonzero slots or partials than the scratch holds) gets NaN, which tells the
// wrapper to run that row through the general path (and raise its error there). The touched bins
// are zeroed either way.
//
// Exact sums: after a row's kernel pass (the chunk kernels themselves, so a row's terms are the
// one-shot call's), each sum's nonzero slots are gathered into a list and zeroed (gather_sum), and
// the list is read on a fixed grid (two plain running sums, exact under a bound checked per row:
// the common case) or else through Shewchuk partials (msum_add, as src/exact.ts msumAdd does).
// Each sum is then read as RN(X) or as the canonical double-double (RN(X), RN(X - RN(X))), which is
// what src/finalize.ts regionDD gives for any partial list of the same exact value X. So the order
// in which slots are read, the way a list is read, and the lists themselves cannot show in a
// result. Entropy: a row's sums first (shannon_sums_f64), then its finish (entropy_finish, or in the
// SIMD build two or four rows at once in f64x2 lanes, entropy_finish_x2 / entropy_finish_x4).
//
// SIMD build, rows up to GRID_ROWS long: the sums without the bins first (shannon_row_grid,
// pair_row_grid). Each term is the chunk loop's own, its two parts go into running f64x2 sums,
// and a per-row check of a fixed-grid bound shows those sums exact; so they are the exact
// sums the bins would hold, read as the grid reading reads them. A row that fails the check (or
// has a rare or invalid value) then runs the chunk kernel and the bins as above. Only the
// bookkeeping differs from the twin, which runs every row through the bins (zero weights, which add
// nothing to any sum, may go through the log unmasked there: their terms are +-0, see
// shannon_row_terms_plain).
import { log_k, log_z_f64, log_z_f64x2, LN2_HI, LN2_LO } from '../math/log';
import { log1p_near_f64, log_f64 } from '../math/log';
import { H_BAD_P, H_BAD_Q, H_INF, H_RANGE, HIGH, LOW, MAIN, REGION_SLOTS, SLOT_F64, sum_block } from './exact';
import { cross_entropy_update_f64 } from './cross_entropy';
import { pair_term_f64x2 } from './pair';
import { kl_divergence_update_f64 } from './kl_divergence';
import { shannon_update_f64 } from './shannon';

/** Partials per sum in the scratch; a row that needs more goes to the general path. */
export const ROW_PARTIALS: i32 = 64;
/** Nonzero slots per sum that a row may touch; a row that touches more goes to the general path. */
export const ROW_SLOTS: i32 = 256;
const PART_BYTES: i32 = (3 * (ROW_PARTIALS + 1) * 8 + 15) & ~15; // (lists 16-byte aligned: v128 stores)
/** Scratch bytes: three partial lists of ROW_PARTIALS + 1 doubles (S, K, U or P, Q, A), then
 *  three slot lists of ROW_SLOTS [hi, lo] pairs, then their ROW_SLOTS slot indices (i32), then
 *  four rows' sums (two blocks of 5 pairs of doubles, shannon_sums_f64), then two rows' running
 *  sums (shannon_row_terms: 8 v128 and a double each). */
export const ROW_SCRATCH_BYTES: i32 = PART_BYTES + 3 * ROW_SLOTS * (16 + 4) + 2 * 80 + 2 * 144;
/** Bytes of two rows' sums (shannon_sums_f64: 5 pairs of doubles). */
const SUMS_BYTES: i32 = 80;
/** Bytes of one row's running sums (shannon_row_terms). */
const TERMS_BYTES: i32 = 144;

const SPLIT: f64 = 134217729.0; // 0x1p27 + 1

// Double-double results of the helpers below (AS has no tuples).
let DH: f64 = 0;
let DL: f64 = 0;

/**
 * Entropy of `rows` rows of `rowLength` weights at ptr, into out[r] (NaN: use the general path).
 * nobase != 0: nats; else the result is divided by the double-double ln(base) = dh + dl.
 */
export function shannon_rows_f64(
  ptr: usize, rows: i32, rowLength: i32, st: usize, scratch: usize, out: usize, nobase: i32, dh: f64, dl: f64,
): void {
  let a = sums_ptr(scratch);
  let r = 0;
  let grid = ASC_FEATURE_SIMD && rowLength <= GRID_ROWS;
  ROW_ZEROS = false;
  if (ASC_FEATURE_SIMD) {
    // Four rows at a time: their sums (two rows at a time, shannon_row_sums2), then their
    // finishes, two rows in the lanes of each of the two interleaved halves of entropy_finish_x4
    // (measured: 16-bin rows about 8 % faster than one entropy_finish_x2 per two rows); then two
    // rows at a time.
    for (; r + 3 < rows; r += 4) {
      let p0 = ptr + ((<usize>r * <usize>rowLength) << 3), len = <usize>rowLength << 3;
      shannon_row_sums2(p0, p0 + len, rowLength, st, scratch, a, grid, true);
      shannon_row_sums2(p0 + 2 * len, p0 + 3 * len, rowLength, st, scratch, a + SUMS_BYTES, grid, true);
      entropy_finish_x4(a, a + SUMS_BYTES, out + (<usize>r << 3), out + (<usize>(r + 2) << 3), nobase, dh, dl);
    }
    for (; r + 1 < rows; r += 2) {
      let p0 = ptr + ((<usize>r * <usize>rowLength) << 3);
      shannon_row_sums2(p0, p0 + (<usize>rowLength << 3), rowLength, st, scratch, a, grid, true);
      v128.store(out + (<usize>r << 3), entropy_finish_x2(a, nobase, dh, dl));
    }
  }
  for (; r < rows; r++) {
    shannon_row_sums(ptr + ((<usize>r * <usize>rowLength) << 3), rowLength, st, scratch, a, grid);
    let sh = load<f64>(a);
    store<f64>(out + (<usize>r << 3), sh != sh ? NaN :
      entropy_finish(sh, load<f64>(a, 16), load<f64>(a, 32), load<f64>(a, 48), load<f64>(a, 64), nobase, dh, dl));
  }
}

/** A row's sums at `at` (shannon_sums_f64's layout): without the bins if `grid` and it can, else
 *  through the chunk kernel and the bins. */
@inline
function shannon_row_sums(p: usize, n: i32, st: usize, scratch: usize, at: usize, grid: bool): void {
  shannon_row_sums2(p, p, n, st, scratch, at, grid, false);
}

/** The sums of the rows at pA and pB (if `two`; else of pA alone) at `at` and at + 8, as
 *  shannon_row_sums puts them: shannon_row_grid for both, then the bins for each row it hands on. */
@inline
function shannon_row_sums2(pA: usize, pB: usize, n: i32, st: usize, scratch: usize, at: usize, grid: bool, two: bool): void {
  let done = 0;
  if (ASC_FEATURE_SIMD) {
    if (grid) done = shannon_row_grid(pA, pB, n, at, terms_ptr(scratch), two);
  }
  if (!(done & 1)) shannon_row_bins(pA, n, st, scratch, at);
  if (two && !(done & 2)) shannon_row_bins(pB, n, st, scratch, at + 8);
}

/** A row's sums at `at` through the chunk kernel and the bins. */
function shannon_row_bins(p: usize, n: i32, st: usize, scratch: usize, at: usize): void {
  store<i32>(st + H_BAD_P, -1);
  for (let s = 0; s < 2; s++) {
    store<i32>(st + H_RANGE + (s << 3), 0x7FFFFFFF);
    store<i32>(st + H_RANGE + (s << 3), -1, 4);
  }
  shannon_update_f64(p, n, st);
  shannon_sums_f64(st, scratch, at);
}

/** Rows up to this long try shannon_row_grid first (SIMD build). Longer rows spread their terms
 *  over more binades than the grid holds too often (dense rows of 512: a few % handed on, each run
 *  twice), and there the chunk kernel's own per-element cost is lower (measured crossover on dense
 *  rows: about 200). */
const GRID_ROWS: i32 = 200;

/**
 * The running sums of shannon_row_grid for the row of n weights at p, stored at t: the hi and lo
 * parts of S, K and U, the smallest masked and the largest weight (f64x2 each, the row's range is
 * the smaller and larger lane), then NEAR_MIN. The masked loop (zeros read as 0.75 by the log),
 * taken once a row of the call has shown a zero (see shannon_row_terms_plain).
 */
function shannon_row_terms(p: usize, n: i32, t: usize): void {
  let vSH = f64x2.splat(0), vSL = f64x2.splat(0), vKH = f64x2.splat(0), vKL = f64x2.splat(0);
  let vUH = f64x2.splat(0), vUL = f64x2.splat(0);
  let vmin = f64x2.splat(Infinity), vmax = f64x2.splat(0);
  NEAR_MIN = Infinity;
  let i = 0;
  // Four pairs per iteration (their parts added together first: any grouping is exact; four
  // independent log chains, as in shannon_pairs_f64), then the last pairs one by one, then an odd row's last weight with lane 1 zero (never a v128.load past the row: a
  // workspace histogram may end where memory ends).
  for (; i + 8 <= n; i += 8) {
    let vA = v128.load(p + (<usize>i << 3)), vB = v128.load(p + (<usize>i << 3), 16);
    let vC = v128.load(p + (<usize>i << 3), 32), vD = v128.load(p + (<usize>i << 3), 48);
    let xA = zero_as_075(vA), xB = zero_as_075(vB), xC = zero_as_075(vC), xD = zero_as_075(vD);
    let tA = i64x2.sub(xA, i64x2.splat(0x3FE6000000000000)), tB = i64x2.sub(xB, i64x2.splat(0x3FE6000000000000));
    let tC = i64x2.sub(xC, i64x2.splat(0x3FE6000000000000)), tD = i64x2.sub(xD, i64x2.splat(0x3FE6000000000000));
    let uA = shannon_term_f64x2(vA, xA, tA), uB = shannon_term_f64x2(vB, xB, tB);
    let uC = shannon_term_f64x2(vC, xC, tC), uD = shannon_term_f64x2(vD, xD, tD);
    vmin = f64x2.pmin(vmin, f64x2.pmin(f64x2.pmin(xA, xB), f64x2.pmin(xC, xD)));
    vmax = f64x2.pmax(vmax, f64x2.pmax(f64x2.pmax(vA, vB), f64x2.pmax(vC, vD)));
    let hA = trunc_hi(vA), hB = trunc_hi(vB), hC = trunc_hi(vC), hD = trunc_hi(vD);
    let lA = f64x2.sub(vA, hA), lB = f64x2.sub(vB, hB), lC = f64x2.sub(vC, hC), lD = f64x2.sub(vD, hD);
    let kA = k_of(tA), kB = k_of(tB), kC = k_of(tC), kD = k_of(tD);
    vSH = f64x2.add(vSH, f64x2.add(f64x2.add(hA, hB), f64x2.add(hC, hD)));
    vSL = f64x2.add(vSL, f64x2.add(f64x2.add(lA, lB), f64x2.add(lC, lD)));
    vKH = f64x2.add(vKH, f64x2.add(f64x2.add(f64x2.mul(kA, hA), f64x2.mul(kB, hB)), f64x2.add(f64x2.mul(kC, hC), f64x2.mul(kD, hD))));
    vKL = f64x2.add(vKL, f64x2.add(f64x2.add(f64x2.mul(kA, lA), f64x2.mul(kB, lB)), f64x2.add(f64x2.mul(kC, lC), f64x2.mul(kD, lD))));
    let huA = trunc_hi(uA), huB = trunc_hi(uB), huC = trunc_hi(uC), huD = trunc_hi(uD);
    vUH = f64x2.add(vUH, f64x2.add(f64x2.add(huA, huB), f64x2.add(huC, huD)));
    vUL = f64x2.add(vUL, f64x2.add(f64x2.add(f64x2.sub(uA, huA), f64x2.sub(uB, huB)), f64x2.add(f64x2.sub(uC, huC), f64x2.sub(uD, huD))));
  }
  for (; i < n; i += 2) {
    let v: v128;
    if (i + 1 < n) v = v128.load(p + (<usize>i << 3));
    else v = v128.load64_zero(p + (<usize>i << 3));
    let x = zero_as_075(v);
    let tmp = i64x2.sub(x, i64x2.splat(0x3FE6000000000000));
    let u = shannon_term_f64x2(v, x, tmp);
    vmin = f64x2.pmin(vmin, x);
    vmax = f64x2.pmax(vmax, v);
    let hc = trunc_hi(v);
    let lc = f64x2.sub(v, hc);
    let kd = k_of(tmp);
    vSH = f64x2.add(vSH, hc);
    vSL = f64x2.add(vSL, lc);
    vKH = f64x2.add(vKH, f64x2.mul(kd, hc));
    vKL = f64x2.add(vKL, f64x2.mul(kd, lc));
    let hu = trunc_hi(u);
    vUH = f64x2.add(vUH, hu);
    vUL = f64x2.add(vUL, f64x2.sub(u, hu));
  }
  v128.store(t, vSH);
  v128.store(t, vSL, 16);
  v128.store(t, vKH, 32);
  v128.store(t, vKL, 48);
  v128.store(t, vUH, 64);
  v128.store(t, vUL, 80);
  v128.store(t, vmin, 96);
  v128.store(t, vmax, 112);
  store<f64>(t, NEAR_MIN, 128);
}

/**
 * shannon_row_terms without the zero masking, for rows without zeros (the common case; measured
 * in one process, the row kernel alone on dense rows of 100: 3.77 -> 3.23 ns/element together
 * with the branch-free U bound of shannon_row_grid, about 14 % less; as calls, not inlined:
 * 3.41 inlined). The sums are the same: a zero lane unmasked has tmp = -0x3FE6... (or 0x401A... for -0),
 * so its log cell is 80 and z = 1, log_z = log_near1_f64(1) = 0 and u = +-0, the masked lane's u
 * up to sign; its S and K parts are +-0 as well (k = -1023 times +-0), and a sum of +-0 terms
 * changes no exact sum. Such a lane only costs the near-1 patch, so the first zero seen (in
 * near_min, where a zero lane always goes) makes the rest of the call take the masked loop.
 * The row's range instead of pmin and pmax (which need the masking), from the high words
 * (i32x4 lanes 1 and 3; LOW and HIGH have zero low words): the smallest of (bits - 1) unsigned,
 * which a zero (0xFFFFFFFF...) cannot be, and the largest of the bits unsigned, which a negative
 * weight, -0, NaN or infinity makes at least 0x7FF00000 (HIGH's is 0x78300000); stored as the
 * doubles with those high words and zero low words. A nonzero weight is then at least lo and
 * below HIGH iff hi is, so the checks of shannon_row_grid read them as they read the masked
 * range. (bits - 1 of an exact power of two has the binade below: lo, and so eS, is then one
 * binade low, which only makes the grid finer; |k| over [lo, hi] is still a bound: k is monotone.
 * A row with a -0 fails hi > 0 and takes the bins, which read it as the zero it is.)
 * An odd row's last weight c goes in as the pair (c, 0) for the sums, (c, 0.75) for the log (lane
 * 1's u is then 0 * log_z(0.75) = +-0, as in the masked loop; (c, c) would take the near-1 patch
 * twice for a c next to a power of two, as every row of one weight, 1.0, is: 52 -> 59 ns/row
 * measured) and (c, c) for the range.
 */
function shannon_row_terms_plain(p: usize, n: i32, t: usize): void {
  let vSH = f64x2.splat(0), vSL = f64x2.splat(0), vKH = f64x2.splat(0), vKL = f64x2.splat(0);
  let vUH = f64x2.splat(0), vUL = f64x2.splat(0);
  let vlo = i32x4.splat(-1), vhi = i32x4.splat(0);
  NEAR_MIN = Infinity;
  let i = 0;
  for (; i + 8 <= n; i += 8) {
    let vA = v128.load(p + (<usize>i << 3)), vB = v128.load(p + (<usize>i << 3), 16);
    let vC = v128.load(p + (<usize>i << 3), 32), vD = v128.load(p + (<usize>i << 3), 48);
    let tA = i64x2.sub(vA, i64x2.splat(0x3FE6000000000000)), tB = i64x2.sub(vB, i64x2.splat(0x3FE6000000000000));
    let tC = i64x2.sub(vC, i64x2.splat(0x3FE6000000000000)), tD = i64x2.sub(vD, i64x2.splat(0x3FE6000000000000));
    let uA = shannon_term_f64x2(vA, vA, tA), uB = shannon_term_f64x2(vB, vB, tB);
    let uC = shannon_term_f64x2(vC, vC, tC), uD = shannon_term_f64x2(vD, vD, tD);
    let one = i64x2.splat(1);
    vlo = i32x4.min_u(vlo, i32x4.min_u(i32x4.min_u(i64x2.sub(vA, one), i64x2.sub(vB, one)), i32x4.min_u(i64x2.sub(vC, one), i64x2.sub(vD, one))));
    vhi = i32x4.max_u(vhi, i32x4.max_u(i32x4.max_u(vA, vB), i32x4.max_u(vC, vD)));
    let hA = trunc_hi(vA), hB = trunc_hi(vB), hC = trunc_hi(vC), hD = trunc_hi(vD);
    let lA = f64x2.sub(vA, hA), lB = f64x2.sub(vB, hB), lC = f64x2.sub(vC, hC), lD = f64x2.sub(vD, hD);
    let kA = k_of(tA), kB = k_of(tB), kC = k_of(tC), kD = k_of(tD);
    vSH = f64x2.add(vSH, f64x2.add(f64x2.add(hA, hB), f64x2.add(hC, hD)));
    vSL = f64x2.add(vSL, f64x2.add(f64x2.add(lA, lB), f64x2.add(lC, lD)));
    vKH = f64x2.add(vKH, f64x2.add(f64x2.add(f64x2.mul(kA, hA), f64x2.mul(kB, hB)), f64x2.add(f64x2.mul(kC, hC), f64x2.mul(kD, hD))));
    vKL = f64x2.add(vKL, f64x2.add(f64x2.add(f64x2.mul(kA, lA), f64x2.mul(kB, lB)), f64x2.add(f64x2.mul(kC, lC), f64x2.mul(kD, lD))));
    let huA = trunc_hi(uA), huB = trunc_hi(uB), huC = trunc_hi(uC), huD = trunc_hi(uD);
    vUH = f64x2.add(vUH, f64x2.add(f64x2.add(huA, huB), f64x2.add(huC, huD)));
    vUL = f64x2.add(vUL, f64x2.add(f64x2.add(f64x2.sub(uA, huA), f64x2.sub(uB, huB)), f64x2.add(f64x2.sub(uC, huC), f64x2.sub(uD, huD))));
  }
  for (; i < n; i += 2) {
    let v: v128, x: v128, w: v128;
    if (i + 1 < n) {
      v = v128.load(p + (<usize>i << 3));
      x = v;
      w = v;
    } else {
      v = v128.load64_zero(p + (<usize>i << 3));
      x = v128.or(v, i64x2(0, 0x3FE8000000000000)); // (c, 0.75): lane 1 as the masked loop's
      w = v128.load64_splat(p + (<usize>i << 3)); // (c, c) for the range
    }
    let tmp = i64x2.sub(x, i64x2.splat(0x3FE6000000000000));
    let u = shannon_term_f64x2(v, x, tmp);
    vlo = i32x4.min_u(vlo, i64x2.sub(w, i64x2.splat(1)));
    vhi = i32x4.max_u(vhi, w);
    let hc = trunc_hi(v);
    let lc = f64x2.sub(v, hc);
    let kd = k_of(tmp);
    vSH = f64x2.add(vSH, hc);
    vSL = f64x2.add(vSL, lc);
    vKH = f64x2.add(vKH, f64x2.mul(kd, hc));
    vKL = f64x2.add(vKL, f64x2.mul(kd, lc));
    let hu = trunc_hi(u);
    vUH = f64x2.add(vUH, hu);
    vUL = f64x2.add(vUL, f64x2.sub(u, hu));
  }
  v128.store(t, vSH);
  v128.store(t, vSL, 16);
  v128.store(t, vKH, 32);
  v128.store(t, vKL, 48);
  v128.store(t, vUH, 64);
  v128.store(t, vUL, 80);
  // the smaller (larger) of the high words in lanes 1 and 3 into both, the low words cleared
  let hw = i64x2.splat(<i64>0xFFFFFFFF00000000);
  v128.store(t, v128.and(i32x4.min_u(vlo, i64x2.shuffle(vlo, vlo, 1, 0)), hw), 96);
  v128.store(t, v128.and(i32x4.max_u(vhi, i64x2.shuffle(vhi, vhi, 1, 0)), hw), 112);
  store<f64>(t, NEAR_MIN, 128);
}

/** A row of this call has shown a zero weight (shannon_row_terms_plain): take the masked loop. */
let ROW_ZEROS: bool = false;

/**
 * The sums of the rows of n weights at pA and pB (if `two`; else of pA alone), without the bins
 * (SIMD build): each term is the chunk
 * kernel's own (shannon_pair_f64: the same masking, log_z_f64x2 and product, so the same bits),
 * split into hi and lo parts (trunc_hi: the top 27 bits and the rest), and the hi and lo parts of
 * S, K = sum k c and U are added in running f64x2 sums (in any grouping). That is exact bookkeeping
 * under a fixed-grid bound like the one gather_sum's readers use (see "Reading a row's sums"
 * below): all hi parts of a sum are multiples of g = 2^(E - 26) and all lo parts of 2^(E - 52), E
 * the lowest binade of its nonzero terms, and |lo| < 2^-26 |x|, |hi| <= |x| (K's products k hi
 * and k lo have at most 38 bits, exact, on the same grids); so while the sum of the magnitudes |x|
 * is below 2^(E + 27), every running sum is a multiple of its grid below 2^53 grid units, exact
 * (hi: below 2^(E + 27) = 2^53 g; lo: below 2^(E + 1) = 2^53 2^(E - 52)). Which split makes the
 * parts changes no sum, only whether it is exact: the sums are read back only as RN(X) and as
 * TwoSum(XH, XL), functions of the exact X = XH + XL. The check
 * asks for 2^(E + 26) (K: kmax times S below 2^(E + 25); U: 0.4 S, above the sum of |u| as
 * |log z| < 0.375), which absorbs the rounding of the magnitude sums themselves. The row's S, K
 * and U are then the exact values that the bins would hold, and their canonical double-doubles
 * and RN(U) are formed from them as shannon_sums_f64 forms them from a grid reading; so the result is that of the chunk kernel plus
 * shannon_sums_f64, bit for bit. The running sums of each row first (shannon_row_terms, at t and
 * t + TERMS_BYTES), then the checks and the reading of the sums with row A in lane 0 and row B in
 * lane 1, each lane performing the scalar steps of a one-row reading (lane-wise IEEE operations;
 * powers of two and the integer k as bit operations on the same values). Writes both rows' sums
 * at `at` (lane 0) and at + 8 (lane 1), the layout of shannon_sums_f64, if either row passes, and
 * returns which did: bit 0 row A, bit 1 row B (with `two` false, lane 1 repeats row A and bit 1 is
 * clear). A row does not pass (no bin touched; its lane is garbage) if it is all zero, a weight
 * lies outside [LOW, HIGH) or is NaN, or a bound fails: the caller then runs the row the chunk
 * kernel's way. (The range is taken over the masked weights, zeros read as 0.75, or over the high
 * words, see shannon_row_terms_plain: eS, the binade of the smallest, is at most that of the
 * smallest nonzero weight, which only makes the grid finer.) Rows without zeros take the unmasked
 * loop until a zero is seen (ROW_ZEROS), then the masked loop for the rest of the call.
 */
@inline
function shannon_row_grid(pA: usize, pB: usize, n: i32, at: usize, t: usize, two: bool): i32 {
  if (ROW_ZEROS) shannon_row_terms(pA, n, t);
  else shannon_row_terms_plain(pA, n, t);
  let tB = t;
  if (two) {
    tB = t + TERMS_BYTES;
    if (ROW_ZEROS) shannon_row_terms(pB, n, tB);
    else shannon_row_terms_plain(pB, n, tB);
  }
  // lo, hi: the smallest masked (or high-word) and the largest weight (f64x2.min and max are f64.min
  // and max lane by lane); SH: S's hi parts (>= 0, their own magnitude sum)
  let mA = v128.load(t, 96), mB = v128.load(tB, 96), xA = v128.load(t, 112), xB = v128.load(tB, 112);
  let lo = f64x2.min(f64x2.shuffle(mA, mB, 0, 2), f64x2.shuffle(mA, mB, 1, 3));
  let hi = f64x2.max(f64x2.shuffle(xA, xB, 0, 2), f64x2.shuffle(xA, xB, 1, 3));
  let SH = lane_sums(v128.load(t), v128.load(tB));
  let ok = v128.and(v128.and(f64x2.ge(lo, f64x2.splat(LOW)), f64x2.lt(hi, f64x2.splat(HIGH))), f64x2.gt(hi, f64x2.splat(0)));
  // 2^eS, eS the binade of lo (its exponent bits), and pow2(eS + j) = 2^eS with j added to the
  // exponent field (eS + j stays in the normal range for lo in [LOW, HIGH))
  let e2 = v128.and(lo, i64x2.splat(0x7FF0000000000000));
  let kmax = f64x2.max(f64x2.abs(k_lanes(lo)), f64x2.max(f64x2.abs(k_lanes(hi)), f64x2.splat(1)));
  // (SH > 0: a NaN weight escapes the range, as pmin and pmax never pick it, and its hi part may
  // be an infinity of either sign; its lo part is NaN, so such a row's sh would be NaN, a row
  // handed back, anyway, but the check does not lean on that)
  ok = v128.and(ok, v128.and(f64x2.gt(SH, f64x2.splat(0)), f64x2.lt(SH, i64x2.add(e2, i64x2.splat(<i64>26 << 52)))));
  ok = v128.and(ok, f64x2.lt(f64x2.mul(kmax, SH), i64x2.add(e2, i64x2.splat(<i64>25 << 52))));
  // U: a nonzero |u| is at least 2^(eS - 9) (|log z| >= 2^-8 outside the cells 79 and 80 next to
  // z = 1, LOGZ_SLOT in shannon.ts) or, in those cells, at least the row's NEAR_MIN; and the sum of
  // all |u| is below 0.4 S (|log z| < 0.375). A lower binade's grid holds every term too. So eU =
  // min(eS - 9, the binade of NEAR_MIN), the check asks for 0.4 S < 2^(eU + 26) and eU >= -900.
  // Lane by lane without a branch: 2^eU is the smaller of 2^(eS - 9) (e2 with 9 taken from its
  // exponent field) and NEAR_MIN's exponent bits (NEAR_MIN = Infinity, no near term: its bits
  // 0x7FF0... are the larger); both are normal (eS >= -950, NEAR_MIN >= 2^-1014), so the exponent
  // field arithmetic is exact, and f64 order on powers of two is the order of their exponents.
  // (Before: the same bound through a scalar branch per row pair, mispredicted on most rows with
  // a near term in one lane and not the other.)
  let near = f64x2.shuffle(v128.load(t, 128), v128.load(tB, 128), 0, 2);
  let pU = f64x2.min(i64x2.sub(e2, i64x2.splat(<i64>9 << 52)), v128.and(near, i64x2.splat(0x7FF0000000000000)));
  let okU = f64x2.ge(pU, f64x2.splat(reinterpret<f64>(0x07B0000000000000))); // 0x1p-900
  let bU = i64x2.add(pU, i64x2.splat(<i64>26 << 52));
  ok = v128.and(ok, v128.and(okU, f64x2.lt(f64x2.mul(f64x2.splat(0.4), SH), bU)));
  let done = i64x2.bitmask(ok);
  if (!two) done &= 1;
  if (done == 0) return 0;
  // S and K (rows A, B in the lanes): the scalar steps of shannon_sums_f64 after sk_grid (TwoSum,
  // then the renormalizing ddAdd of [+0, +0]), lane-wise IEEE operations, the same bits
  let SL = lane_sums(v128.load(t, 16), v128.load(tB, 16));
  let KH = lane_sums(v128.load(t, 32), v128.load(tB, 32));
  let KL = lane_sums(v128.load(t, 48), v128.load(tB, 48));
  // s0 = SH + SL, s1 = two_sum_lo(SH, SL) (and K's k0, k1)
  let s0 = f64x2.add(SH, SL), s1 = two_sum_lo_x2(SH, SL);
  let k0 = f64x2.add(KH, KL), k1 = two_sum_lo_x2(KH, KL);
  // dd_add_hi(s0, s1, 0, 0) and dd_add_lo(s0, s1, 0, 0), without the operations whose value is
  // known here (exact steps, the same bits; a lane whose k0 is +-0 is K = 0, replaced below):
  // - s = s0 + 0 is s0, as s0 != 0 (S > 0);
  // - e = two_sum_lo(s0, 0) and f = two_sum_lo(s1, 0) are +0 for any finite operands (s = a or
  //   +0, bb = +0, then (a - s) + (0 - 0) is +0, also for a = -0);
  // - e + t = +0 + (s1 + 0) and u = s0 + that: s1 + 0 differs from s1 only for s1 = -0, and then
  //   s0 + (+-0) is s0 either way; g = two_sum_lo(s0, +-0) is +0 either way;
  // - g + f = g + 0 is g, as g is never -0 (its first term a - (s - bb) has a = s0 != 0, so it
  //   is not -0, and a sum with a term that is not -0 is not -0).
  // That leaves (u + g, two_sum_lo(u, g)) with u = s0 + s1 and g = two_sum_lo(s0, s1), and as
  // (s0, s1) is a TwoSum (s0 = RN(X), s1 = X - s0 exactly, X = SH + SL), these are known too:
  // - u = RN(s0 + s1) = RN(X) = s0;
  // - g: s = s0, bb = s0 - s0 = +0, a - (s - bb) = +0 and b - bb = s1, so g = +0 + s1 (s1, or +0
  //   for s1 = -0), whose value is s1;
  // - u + g = RN(s0 + s1) = s0 again, and two_sum_lo(s0, g) = +0 + g = g (g is never -0).
  // So the row's S is (s0, s1 + 0), and a nonzero k0 gives K = (k0, k1 + 0) in the same way
  // (26 fewer additions per pair of rows; measured: 16-weight rows about 1 % faster).
  let zero = f64x2.splat(0);
  v128.store(at, s0);
  v128.store(at, f64x2.add(s1, zero), 16);
  // K = 0 (k0 == 0): the general path takes region 0's [+0, +0]
  let nz = f64x2.ne(k0, zero);
  v128.store(at, v128.and(k0, nz), 32);
  v128.store(at, v128.and(f64x2.add(k1, zero), nz), 48);
  // RN(U) = (UH0 + UH1) + (UL0 + UL1): the lane sums are exact, the last addition rounds
  v128.store(at, f64x2.add(lane_sums(v128.load(t, 64), v128.load(tB, 64)), lane_sums(v128.load(t, 80), v128.load(tB, 80))), 64);
  return done;
}

/** (a0 + a1, b0 + b1). */
@inline
function lane_sums(a: v128, b: v128): v128 {
  return f64x2.add(f64x2.shuffle(a, b, 0, 2), f64x2.shuffle(a, b, 1, 3));
}

/** <f64>log_k of each lane (log_k's bit operations in i64x2, then the exact conversion). */
@inline
function k_lanes(x: v128): v128 {
  let k = i64x2.shr_s(i64x2.sub(x, i64x2.splat(0x3FE6000000000000)), 52);
  return f64x2.convert_low_i32x4_s(i32x4.shuffle(k, k, 0, 2, 0, 2));
}

/** shannon_pair_f64's masking: a zero lane takes log_z of 0.75 (its u is then +-0). */
@inline
function zero_as_075(v: v128): v128 {
  return v128.bitselect(f64x2.splat(0.75), v, f64x2.eq(v, f64x2.splat(0)));
}

/** The smallest nonzero |u| of the row's lanes in the log cells 79 and 80 (and their pair lanes). */
let NEAR_MIN: f64 = Infinity;

/**
 * shannon_pair_f64's term u = c * log_z(c), lane by lane; x the masked c, tmp = x - 0x3FE6...
 * A pair with a lane next to z = 1, where |log z| has no useful lower bound, records its |u|.
 */
@inline
function shannon_term_f64x2(v: v128, x: v128, tmp: v128): v128 {
  let i0 = <usize>((<u64>i64x2.extract_lane(tmp, 0) >> 45) & 127);
  let i1 = <usize>((<u64>i64x2.extract_lane(tmp, 1) >> 45) & 127);
  let u = f64x2.mul(v, log_z_f64x2(x, tmp, i0, i1));
  if ((<u32>i0 - 79 < 2) | (<u32>i1 - 79 < 2)) near_min(u, x);
  return u;
}

/** NEAR_MIN = min(NEAR_MIN, the nonzero |u| of both lanes); a zero lane of x (unmasked: a zero
 *  weight, whose log cell is 80) sets ROW_ZEROS. */
function near_min(u: v128, x: v128): void {
  if (v128.any_true(f64x2.eq(x, f64x2.splat(0)))) ROW_ZEROS = true;
  let a0 = abs(f64x2.extract_lane(u, 0)), a1 = abs(f64x2.extract_lane(u, 1));
  if (a0 != 0 && a0 < NEAR_MIN) NEAR_MIN = a0;
  if (a1 != 0 && a1 < NEAR_MIN) NEAR_MIN = a1;
}

/**
 * The top 27 significant bits of each lane (the low 26 bits of the significand cleared); the lo
 * part x - hi is exact. shannon_row_grid's split: one AND instead of deposit_f64's Veltkamp
 * multiply and two subtractions. Only the running sums' exactness depends on the split, not their
 * value: hi is a multiple of 2^(e - 26) (e the binade of x) with |hi| <= |x|, and lo a multiple
 * of 2^(e - 52) with |lo| < 2^(e - 26) <= 2^-26 |x|, the bounds shannon_row_grid's check uses.
 * A NaN lane may become an infinity (its payload cleared); its lo part is NaN either way.
 */
@inline
function trunc_hi(x: v128): v128 {
  return v128.and(x, i64x2.splat(0xFFFFFFFFFC000000));
}

/** deposit_f64's hi part (Veltkamp, 2^27 + 1) of each lane; the lo part is x - hi. */
@inline
function split_hi(x: v128): v128 {
  let c = f64x2.mul(x, f64x2.splat(SPLIT));
  return f64x2.sub(c, f64x2.sub(c, x));
}

/** k = tmp >> 52 (arithmetic) of each lane as f64, exact (log_main_f64x2's i32x4 form). */
@inline
function k_of(tmp: v128): v128 {
  return f64x2.convert_low_i32x4_s(i32x4.shr_s(i32x4.shuffle(tmp, tmp, 1, 3, 1, 3), 20));
}

/** two_sum_lo lane by lane: the error of a + b. */
@inline
function two_sum_lo_x2(a: v128, b: v128): v128 {
  let s = f64x2.add(a, b);
  let bb = f64x2.sub(s, a);
  return f64x2.add(f64x2.sub(a, f64x2.sub(s, bb)), f64x2.sub(b, bb));
}

/** The unbiased binary exponent of a positive normal x. */
@inline
function exponent_of(x: f64): i32 {
  return (<i32>(reinterpret<u64>(x) >> 52) & 0x7FF) - 1023;
}

/**
 * Zero the touched bins of the row just run and, for a region-1 row, write its sums at a: the
 * canonical S = sh + sl and K = kh + kl, and RN(U), as sh, sl, kh, kl, um 16 bytes apart (so that
 * two rows' sums, at a and a + 8, load as f64x2 pairs); else sh = NaN.
 */
export function shannon_sums_f64(st: usize, scratch: usize, a: usize): void {
  store<f64>(a, NaN);
  let general = load<i32>(st + H_BAD_P) >= 0;
  let nS = gather_sum(st, scratch, 0, general, 0);
  // U's terms lie within a few binades below their weights, except c log z for z next to 1: the
  // slots from 10 below the smallest weight's binade down are looked at in one sweep first (S slot
  // j holds weights of binade j - MAIN - 1024 or one above: U slot j - 1 is that binade's).
  let nU = gather_sum(st, scratch, 1, general || nS <= 0, nS > 0 ? load<i32>(slots_ptr(scratch, 0)) - 11 : 0);
  if (general || nS <= 0 || nU < 0) return;
  let lS = list_ptr(scratch, 0), jS = slots_ptr(scratch, 0);
  let lU = list_ptr(scratch, 1), jU = slots_ptr(scratch, 1);
  // S and K as canonical double-doubles (src/finalize.ts extendedDD; region 1, so e = 0)
  // extendedDD adds region 0's [+0, +0] to region 1's value: a renormalizing ddAdd, which can move
  // a half-ulp tie of (RN(X), RN(X - RN(X))) to the other representation, so it is done here too.
  let sh: f64, sl: f64, k0: f64, k1: f64, kh: f64 = 0, kl: f64 = 0; // K = 0: the general path takes region 0's [+0, +0]
  if (sk_grid(lS, jS, nS)) {
    // the canonical double-doubles of SH + SL and XH + XL (exact sums): TwoSum
    let s0 = SH + SL, s1 = two_sum_lo(SH, SL);
    sh = dd_add_hi(s0, s1, 0, 0);
    sl = dd_add_lo(s0, s1, 0, 0);
    k0 = XH + XL;
    k1 = two_sum_lo(XH, XL);
  } else {
    let pS = scratch, pK = scratch + ((ROW_PARTIALS + 1) << 3);
    let n = sk_partials(lS, jS, nS, pS, pK);
    if (n < 0) return;
    dd_of(pS, n & 0xFFFF);
    dd_add(DH, DL, 0, 0);
    sh = DH;
    sl = DL;
    dd_of(pK, n >>> 16);
    k0 = DH;
    k1 = DL;
  }
  if (sh == 0) return; // (cannot happen for non-negative weights; the general path decides)
  if (k0 != 0) {
    kh = dd_add_hi(k0, k1, 0, 0);
    kl = dd_add_lo(k0, k1, 0, 0);
  }
  // U/S (src/finalize.ts extended: U = 0 gives +0)
  let um = read_rn(lU, jU, nU, scratch + ((ROW_PARTIALS + 1) << 4));
  if (um != um) return;
  store<f64>(a, sh);
  store<f64>(a, sl, 16);
  store<f64>(a, kh, 32);
  store<f64>(a, kl, 48);
  store<f64>(a, um, 64);
}

/**
 * entropy_finish of two rows in the f64x2 lanes (SIMD build): their sums at a (lane 0) and a + 8
 * (lane 1), see shannon_sums_f64. Each lane performs entropy_finish's operations in its order
 * (lane-wise IEEE operations, log_z_f64x2 is log_z_f64 lane by lane, and the conversion of k is
 * exact), so each lane has entropy_finish's bits; a row handed back (sh = NaN) gives NaN.
 * The same generated expansion as entropy_finish, with every operation as its f64x2 form.
 */
function entropy_finish_x2(a: usize, nobase: i32, dh: f64, dl: f64): v128 {
  let sh = v128.load(a), sl = v128.load(a, 16), kh = v128.load(a, 32), kl = v128.load(a, 48), um = v128.load(a, 64);
  let VZERO = f64x2.splat(0), VSPLIT = f64x2.splat(SPLIT);
  let VLN2_HI = f64x2.splat(LN2_HI), VLN2_LO = f64x2.splat(LN2_LO);
  let vdh = f64x2.splat(dh), vdl = f64x2.splat(dl);
  // um == 0 ? 0 : um / sh
  let uOverS = v128.bitselect(VZERO, f64x2.div(um, sh), f64x2.eq(um, VZERO));
  // kS = log_k(sh), and log_z's table cells (a NaN lane's are garbage but in the table)
  let tmp = i64x2.sub(sh, i64x2.splat(0x3FE6000000000000));
  let kk = i64x2.shr_s(tmp, 52);
  let kS = f64x2.convert_low_i32x4_s(i32x4.shuffle(kk, kk, 0, 2, 0, 2));
  let i0 = <usize>((<u64>i64x2.extract_lane(tmp, 0) >> 45) & 127);
  let i1 = <usize>((<u64>i64x2.extract_lane(tmp, 1) >> 45) & 127);
  // kS - K/S
  // dd_div(kh, kl, sh, sl)
  let q1 = f64x2.div(kh, sh);
  // dd_mul(sh, sl, q1, VZERO)
  let p2 = f64x2.mul(sh, q1);
  let t3 = f64x2.mul(VSPLIT, sh);
  let h4 = f64x2.sub(t3, f64x2.sub(t3, sh));
  let l5 = f64x2.sub(sh, h4);
  let t6 = f64x2.mul(VSPLIT, q1);
  let h7 = f64x2.sub(t6, f64x2.sub(t6, q1));
  let l8 = f64x2.sub(q1, h7);
  let m9 = f64x2.add(f64x2.add(f64x2.add(f64x2.sub(f64x2.mul(h4, h7), p2), f64x2.mul(h4, l8)), f64x2.mul(l5, h7)), f64x2.mul(l5, l8));
  let c10 = f64x2.add(m9, f64x2.add(VZERO, f64x2.mul(sl, q1))); // sh * 0 is +0: sh > 0 (NaN lanes are masked at the end)
  let s11 = f64x2.add(p2, c10);
  let b12 = f64x2.sub(s11, p2);
  let e13 = f64x2.add(f64x2.sub(p2, f64x2.sub(s11, b12)), f64x2.sub(c10, b12));
  // dd_add(kh, kl, f64x2.neg(s11), f64x2.neg(e13))
  let s14 = f64x2.add(kh, f64x2.neg(s11));
  let b15 = f64x2.sub(s14, kh);
  let e16 = f64x2.add(f64x2.sub(kh, f64x2.sub(s14, b15)), f64x2.sub(f64x2.neg(s11), b15));
  let s17 = f64x2.add(kl, f64x2.neg(e13));
  let b18 = f64x2.sub(s17, kl);
  let e19 = f64x2.add(f64x2.sub(kl, f64x2.sub(s17, b18)), f64x2.sub(f64x2.neg(e13), b18));
  let x20 = f64x2.add(e16, s17);
  let s21 = f64x2.add(s14, x20);
  let b22 = f64x2.sub(s21, s14);
  let e23 = f64x2.add(f64x2.sub(s14, f64x2.sub(s21, b22)), f64x2.sub(x20, b22));
  let y24 = f64x2.add(e23, e19);
  let s25 = f64x2.add(s21, y24);
  let b26 = f64x2.sub(s25, s21);
  let e27 = f64x2.add(f64x2.sub(s21, f64x2.sub(s25, b26)), f64x2.sub(y24, b26));
  let q28 = f64x2.div(s25, sh);
  // dd_mul(sh, sl, q28, VZERO)
  let p29 = f64x2.mul(sh, q28);
  // (the split of sh is h4, l5: the same operations on the same value)
  let t33 = f64x2.mul(VSPLIT, q28);
  let h34 = f64x2.sub(t33, f64x2.sub(t33, q28));
  let l35 = f64x2.sub(q28, h34);
  let m36 = f64x2.add(f64x2.add(f64x2.add(f64x2.sub(f64x2.mul(h4, h34), p29), f64x2.mul(h4, l35)), f64x2.mul(l5, h34)), f64x2.mul(l5, l35));
  let c37 = f64x2.add(m36, f64x2.add(VZERO, f64x2.mul(sl, q28)));
  let s38 = f64x2.add(p29, c37);
  let b39 = f64x2.sub(s38, p29);
  let e40 = f64x2.add(f64x2.sub(p29, f64x2.sub(s38, b39)), f64x2.sub(c37, b39));
  // dd_add(s25, e27, f64x2.neg(s38), f64x2.neg(e40))
  let s41 = f64x2.add(s25, f64x2.neg(s38));
  let b42 = f64x2.sub(s41, s25);
  let e43 = f64x2.add(f64x2.sub(s25, f64x2.sub(s41, b42)), f64x2.sub(f64x2.neg(s38), b42));
  let s44 = f64x2.add(e27, f64x2.neg(e40));
  let b45 = f64x2.sub(s44, e27);
  let e46 = f64x2.add(f64x2.sub(e27, f64x2.sub(s44, b45)), f64x2.sub(f64x2.neg(e40), b45));
  let x47 = f64x2.add(e43, s44);
  let s48 = f64x2.add(s41, x47);
  let b49 = f64x2.sub(s48, s41);
  let e50 = f64x2.add(f64x2.sub(s41, f64x2.sub(s48, b49)), f64x2.sub(x47, b49));
  let y51 = f64x2.add(e50, e46);
  let s52 = f64x2.add(s48, y51);
  let b53 = f64x2.sub(s52, s48);
  let e54 = f64x2.add(f64x2.sub(s48, f64x2.sub(s52, b53)), f64x2.sub(y51, b53));
  let q55 = f64x2.div(s52, sh);
  // two_sum(q1, q28)
  let s56 = f64x2.add(q1, q28);
  let b57 = f64x2.sub(s56, q1);
  let e58 = f64x2.add(f64x2.sub(q1, f64x2.sub(s56, b57)), f64x2.sub(q28, b57));
  // dd_add(s56, e58, q55, VZERO)
  let s59 = f64x2.add(s56, q55);
  let b60 = f64x2.sub(s59, s56);
  let e61 = f64x2.add(f64x2.sub(s56, f64x2.sub(s59, b60)), f64x2.sub(q55, b60));
  let s62 = f64x2.add(e58, VZERO);
  // (the error of e58 + 0 is +0 for a finite e58: s62 - e58 = +0, then (e58 - s62) + (0 - 0) = +0)
  let x65 = f64x2.add(e61, s62);
  let s66 = f64x2.add(s59, x65);
  let b67 = f64x2.sub(s66, s59);
  let e68 = f64x2.add(f64x2.sub(s59, f64x2.sub(s66, b67)), f64x2.sub(x65, b67));
  let y69 = f64x2.add(e68, VZERO);
  let s70 = f64x2.add(s66, y69);
  let b71 = f64x2.sub(s70, s66);
  let e72 = f64x2.add(f64x2.sub(s66, f64x2.sub(s70, b71)), f64x2.sub(y69, b71));
  // dd_add(kS, VZERO, f64x2.neg(s70), f64x2.neg(e72))
  let s73 = f64x2.add(kS, f64x2.neg(s70));
  let b74 = f64x2.sub(s73, kS);
  let e75 = f64x2.add(f64x2.sub(kS, f64x2.sub(s73, b74)), f64x2.sub(f64x2.neg(s70), b74));
  let s76 = f64x2.add(VZERO, f64x2.neg(e72));
  // (the error of 0 + y is +0 for a finite y: s76 - 0 = s76, then (0 - 0) + (y - s76) = +0)
  let x79 = f64x2.add(e75, s76);
  let s80 = f64x2.add(s73, x79);
  let b81 = f64x2.sub(s80, s73);
  let e82 = f64x2.add(f64x2.sub(s73, f64x2.sub(s80, b81)), f64x2.sub(x79, b81));
  let y83 = f64x2.add(e82, VZERO);
  let s84 = f64x2.add(s80, y83);
  let b85 = f64x2.sub(s84, s80);
  let e86 = f64x2.add(f64x2.sub(s80, f64x2.sub(s84, b85)), f64x2.sub(y83, b85));
  // log_z(S) to first order in sl, minus U/S
  let lzS = f64x2.add(log_z_f64x2(sh, tmp, i0, i1), f64x2.div(sl, sh));
  // two_sum(lzS, f64x2.neg(uOverS))
  let s87 = f64x2.add(lzS, f64x2.neg(uOverS));
  let b88 = f64x2.sub(s87, lzS);
  let e89 = f64x2.add(f64x2.sub(lzS, f64x2.sub(s87, b88)), f64x2.sub(f64x2.neg(uOverS), b88));
  // dd_mul(VLN2_HI, VLN2_LO, s84, e86)
  let p90 = f64x2.mul(VLN2_HI, s84);
  let t91 = f64x2.mul(VSPLIT, VLN2_HI);
  let h92 = f64x2.sub(t91, f64x2.sub(t91, VLN2_HI));
  let l93 = f64x2.sub(VLN2_HI, h92);
  let t94 = f64x2.mul(VSPLIT, s84);
  let h95 = f64x2.sub(t94, f64x2.sub(t94, s84));
  let l96 = f64x2.sub(s84, h95);
  let m97 = f64x2.add(f64x2.add(f64x2.add(f64x2.sub(f64x2.mul(h92, h95), p90), f64x2.mul(h92, l96)), f64x2.mul(l93, h95)), f64x2.mul(l93, l96));
  let c98 = f64x2.add(m97, f64x2.add(f64x2.mul(VLN2_HI, e86), f64x2.mul(VLN2_LO, s84)));
  let s99 = f64x2.add(p90, c98);
  let b100 = f64x2.sub(s99, p90);
  let e101 = f64x2.add(f64x2.sub(p90, f64x2.sub(s99, b100)), f64x2.sub(c98, b100));
  // dd_add(s99, e101, s87, e89)
  let s102 = f64x2.add(s99, s87);
  let b103 = f64x2.sub(s102, s99);
  let e104 = f64x2.add(f64x2.sub(s99, f64x2.sub(s102, b103)), f64x2.sub(s87, b103));
  let s105 = f64x2.add(e101, e89);
  let b106 = f64x2.sub(s105, e101);
  let e107 = f64x2.add(f64x2.sub(e101, f64x2.sub(s105, b106)), f64x2.sub(e89, b106));
  let x108 = f64x2.add(e104, s105);
  let s109 = f64x2.add(s102, x108);
  let b110 = f64x2.sub(s109, s102);
  let e111 = f64x2.add(f64x2.sub(s102, f64x2.sub(s109, b110)), f64x2.sub(x108, b110));
  let y112 = f64x2.add(e111, e107);
  let s113 = f64x2.add(s109, y112);
  let b114 = f64x2.sub(s113, s109);
  let e115 = f64x2.add(f64x2.sub(s109, f64x2.sub(s113, b114)), f64x2.sub(y112, b114));
  let h0 = s113, h1 = e115;
  let x = f64x2.add(h0, h1);
  if (nobase == 0) {
    // dd_div(h0, h1, vdh, vdl)
    let q116 = f64x2.div(h0, vdh);
    // dd_mul(vdh, vdl, q116, VZERO)
    let p117 = f64x2.mul(vdh, q116);
    let t118 = f64x2.mul(VSPLIT, vdh);
    let h119 = f64x2.sub(t118, f64x2.sub(t118, vdh));
    let l120 = f64x2.sub(vdh, h119);
    let t121 = f64x2.mul(VSPLIT, q116);
    let h122 = f64x2.sub(t121, f64x2.sub(t121, q116));
    let l123 = f64x2.sub(q116, h122);
    let m124 = f64x2.add(f64x2.add(f64x2.add(f64x2.sub(f64x2.mul(h119, h122), p117), f64x2.mul(h119, l123)), f64x2.mul(l120, h122)), f64x2.mul(l120, l123));
    let c125 = f64x2.add(m124, f64x2.add(f64x2.mul(vdh, VZERO), f64x2.mul(vdl, q116)));
    let s126 = f64x2.add(p117, c125);
    let b127 = f64x2.sub(s126, p117);
    let e128 = f64x2.add(f64x2.sub(p117, f64x2.sub(s126, b127)), f64x2.sub(c125, b127));
    // dd_add(h0, h1, f64x2.neg(s126), f64x2.neg(e128))
    let s129 = f64x2.add(h0, f64x2.neg(s126));
    let b130 = f64x2.sub(s129, h0);
    let e131 = f64x2.add(f64x2.sub(h0, f64x2.sub(s129, b130)), f64x2.sub(f64x2.neg(s126), b130));
    let s132 = f64x2.add(h1, f64x2.neg(e128));
    let b133 = f64x2.sub(s132, h1);
    let e134 = f64x2.add(f64x2.sub(h1, f64x2.sub(s132, b133)), f64x2.sub(f64x2.neg(e128), b133));
    let x135 = f64x2.add(e131, s132);
    let s136 = f64x2.add(s129, x135);
    let b137 = f64x2.sub(s136, s129);
    let e138 = f64x2.add(f64x2.sub(s129, f64x2.sub(s136, b137)), f64x2.sub(x135, b137));
    let y139 = f64x2.add(e138, e134);
    let s140 = f64x2.add(s136, y139);
    let b141 = f64x2.sub(s140, s136);
    let e142 = f64x2.add(f64x2.sub(s136, f64x2.sub(s140, b141)), f64x2.sub(y139, b141));
    let q143 = f64x2.div(s140, vdh);
    // dd_mul(vdh, vdl, q143, VZERO)
    let p144 = f64x2.mul(vdh, q143);
    let t145 = f64x2.mul(VSPLIT, vdh);
    let h146 = f64x2.sub(t145, f64x2.sub(t145, vdh));
    let l147 = f64x2.sub(vdh, h146);
    let t148 = f64x2.mul(VSPLIT, q143);
    let h149 = f64x2.sub(t148, f64x2.sub(t148, q143));
    let l150 = f64x2.sub(q143, h149);
    let m151 = f64x2.add(f64x2.add(f64x2.add(f64x2.sub(f64x2.mul(h146, h149), p144), f64x2.mul(h146, l150)), f64x2.mul(l147, h149)), f64x2.mul(l147, l150));
    let c152 = f64x2.add(m151, f64x2.add(f64x2.mul(vdh, VZERO), f64x2.mul(vdl, q143)));
    let s153 = f64x2.add(p144, c152);
    let b154 = f64x2.sub(s153, p144);
    let e155 = f64x2.add(f64x2.sub(p144, f64x2.sub(s153, b154)), f64x2.sub(c152, b154));
    // dd_add(s140, e142, f64x2.neg(s153), f64x2.neg(e155))
    let s156 = f64x2.add(s140, f64x2.neg(s153));
    let b157 = f64x2.sub(s156, s140);
    let e158 = f64x2.add(f64x2.sub(s140, f64x2.sub(s156, b157)), f64x2.sub(f64x2.neg(s153), b157));
    let s159 = f64x2.add(e142, f64x2.neg(e155));
    let b160 = f64x2.sub(s159, e142);
    let e161 = f64x2.add(f64x2.sub(e142, f64x2.sub(s159, b160)), f64x2.sub(f64x2.neg(e155), b160));
    let x162 = f64x2.add(e158, s159);
    let s163 = f64x2.add(s156, x162);
    let b164 = f64x2.sub(s163, s156);
    let e165 = f64x2.add(f64x2.sub(s156, f64x2.sub(s163, b164)), f64x2.sub(x162, b164));
    let y166 = f64x2.add(e165, e161);
    let s167 = f64x2.add(s163, y166);
    let b168 = f64x2.sub(s167, s163);
    let e169 = f64x2.add(f64x2.sub(s163, f64x2.sub(s167, b168)), f64x2.sub(y166, b168));
    let q170 = f64x2.div(s167, vdh);
    // two_sum(q116, q143)
    let s171 = f64x2.add(q116, q143);
    let b172 = f64x2.sub(s171, q116);
    let e173 = f64x2.add(f64x2.sub(q116, f64x2.sub(s171, b172)), f64x2.sub(q143, b172));
    // dd_add(s171, e173, q170, VZERO)
    let s174 = f64x2.add(s171, q170);
    let b175 = f64x2.sub(s174, s171);
    let e176 = f64x2.add(f64x2.sub(s171, f64x2.sub(s174, b175)), f64x2.sub(q170, b175));
    let s177 = f64x2.add(e173, VZERO);
    let b178 = f64x2.sub(s177, e173);
    let e179 = f64x2.add(f64x2.sub(e173, f64x2.sub(s177, b178)), f64x2.sub(VZERO, b178));
    let x180 = f64x2.add(e176, s177);
    let s181 = f64x2.add(s174, x180);
    let b182 = f64x2.sub(s181, s174);
    let e183 = f64x2.add(f64x2.sub(s174, f64x2.sub(s181, b182)), f64x2.sub(x180, b182));
    let y184 = f64x2.add(e183, e179);
    let s185 = f64x2.add(s181, y184);
    let b186 = f64x2.sub(s185, s181);
    let e187 = f64x2.add(f64x2.sub(s181, f64x2.sub(s185, b186)), f64x2.sub(y184, b186));
    x = f64x2.add(s185, e187);
  }

  // !(h0 + h1 > 0): 0; a handed-back row: NaN
  let res = v128.bitselect(x, VZERO, f64x2.gt(f64x2.add(h0, h1), VZERO));
  return v128.bitselect(f64x2.splat(NaN), res, f64x2.ne(sh, sh));
}

/**
 * entropy_finish_x2 of four rows: rows at aA (lanes of aA, aA + 8) into oA and rows at aB into oB.
 * Each statement of entropy_finish_x2 twice, once per pair of rows (names suffixed A and B), so
 * that the two long dependency chains (divisions, double-double steps) are interleaved in program
 * order and the CPU overlaps them; every lane still performs entropy_finish's operations in order.
 * Generated mechanically from entropy_finish_x2 (test/agreement/rows-paths.test.ts checks it).
 */
function entropy_finish_x4(aA: usize, aB: usize, oA: usize, oB: usize, nobase: i32, dh: f64, dl: f64): void {
  let shA = v128.load(aA), slA = v128.load(aA, 16), khA = v128.load(aA, 32), klA = v128.load(aA, 48), umA = v128.load(aA, 64);
  let shB = v128.load(aB), slB = v128.load(aB, 16), khB = v128.load(aB, 32), klB = v128.load(aB, 48), umB = v128.load(aB, 64);
  let VZERO = f64x2.splat(0), VSPLIT = f64x2.splat(SPLIT);
  let VLN2_HI = f64x2.splat(LN2_HI), VLN2_LO = f64x2.splat(LN2_LO);
  let vdh = f64x2.splat(dh), vdl = f64x2.splat(dl);
  // um == 0 ? 0 : um / sh
  let uOverSA = v128.bitselect(VZERO, f64x2.div(umA, shA), f64x2.eq(umA, VZERO));
  let uOverSB = v128.bitselect(VZERO, f64x2.div(umB, shB), f64x2.eq(umB, VZERO));
  // kS = log_k(sh), and log_z's table cells (a NaN lane's are garbage but in the table)
  let tmpA = i64x2.sub(shA, i64x2.splat(0x3FE6000000000000));
  let tmpB = i64x2.sub(shB, i64x2.splat(0x3FE6000000000000));
  let kkA = i64x2.shr_s(tmpA, 52);
  let kkB = i64x2.shr_s(tmpB, 52);
  let kSA = f64x2.convert_low_i32x4_s(i32x4.shuffle(kkA, kkA, 0, 2, 0, 2));
  let kSB = f64x2.convert_low_i32x4_s(i32x4.shuffle(kkB, kkB, 0, 2, 0, 2));
  let i0A = <usize>((<u64>i64x2.extract_lane(tmpA, 0) >> 45) & 127);
  let i0B = <usize>((<u64>i64x2.extract_lane(tmpB, 0) >> 45) & 127);
  let i1A = <usize>((<u64>i64x2.extract_lane(tmpA, 1) >> 45) & 127);
  let i1B = <usize>((<u64>i64x2.extract_lane(tmpB, 1) >> 45) & 127);
  // kS - K/S
  // dd_div(kh, kl, sh, sl)
  let q1A = f64x2.div(khA, shA);
  let q1B = f64x2.div(khB, shB);
  // dd_mul(sh, sl, q1, VZERO)
  let p2A = f64x2.mul(shA, q1A);
  let p2B = f64x2.mul(shB, q1B);
  let t3A = f64x2.mul(VSPLIT, shA);
  let t3B = f64x2.mul(VSPLIT, shB);
  let h4A = f64x2.sub(t3A, f64x2.sub(t3A, shA));
  let h4B = f64x2.sub(t3B, f64x2.sub(t3B, shB));
  let l5A = f64x2.sub(shA, h4A);
  let l5B = f64x2.sub(shB, h4B);
  let t6A = f64x2.mul(VSPLIT, q1A);
  let t6B = f64x2.mul(VSPLIT, q1B);
  let h7A = f64x2.sub(t6A, f64x2.sub(t6A, q1A));
  let h7B = f64x2.sub(t6B, f64x2.sub(t6B, q1B));
  let l8A = f64x2.sub(q1A, h7A);
  let l8B = f64x2.sub(q1B, h7B);
  let m9A = f64x2.add(f64x2.add(f64x2.add(f64x2.sub(f64x2.mul(h4A, h7A), p2A), f64x2.mul(h4A, l8A)), f64x2.mul(l5A, h7A)), f64x2.mul(l5A, l8A));
  let m9B = f64x2.add(f64x2.add(f64x2.add(f64x2.sub(f64x2.mul(h4B, h7B), p2B), f64x2.mul(h4B, l8B)), f64x2.mul(l5B, h7B)), f64x2.mul(l5B, l8B));
  let c10A = f64x2.add(m9A, f64x2.add(VZERO, f64x2.mul(slA, q1A))); // sh * 0 is +0: sh > 0 (NaN lanes are masked at the end)
  let c10B = f64x2.add(m9B, f64x2.add(VZERO, f64x2.mul(slB, q1B))); // sh * 0 is +0: sh > 0 (NaN lanes are masked at the end)
  let s11A = f64x2.add(p2A, c10A);
  let s11B = f64x2.add(p2B, c10B);
  let b12A = f64x2.sub(s11A, p2A);
  let b12B = f64x2.sub(s11B, p2B);
  let e13A = f64x2.add(f64x2.sub(p2A, f64x2.sub(s11A, b12A)), f64x2.sub(c10A, b12A));
  let e13B = f64x2.add(f64x2.sub(p2B, f64x2.sub(s11B, b12B)), f64x2.sub(c10B, b12B));
  // dd_add(kh, kl, f64x2.neg(s11), f64x2.neg(e13))
  let s14A = f64x2.add(khA, f64x2.neg(s11A));
  let s14B = f64x2.add(khB, f64x2.neg(s11B));
  let b15A = f64x2.sub(s14A, khA);
  let b15B = f64x2.sub(s14B, khB);
  let e16A = f64x2.add(f64x2.sub(khA, f64x2.sub(s14A, b15A)), f64x2.sub(f64x2.neg(s11A), b15A));
  let e16B = f64x2.add(f64x2.sub(khB, f64x2.sub(s14B, b15B)), f64x2.sub(f64x2.neg(s11B), b15B));
  let s17A = f64x2.add(klA, f64x2.neg(e13A));
  let s17B = f64x2.add(klB, f64x2.neg(e13B));
  let b18A = f64x2.sub(s17A, klA);
  let b18B = f64x2.sub(s17B, klB);
  let e19A = f64x2.add(f64x2.sub(klA, f64x2.sub(s17A, b18A)), f64x2.sub(f64x2.neg(e13A), b18A));
  let e19B = f64x2.add(f64x2.sub(klB, f64x2.sub(s17B, b18B)), f64x2.sub(f64x2.neg(e13B), b18B));
  let x20A = f64x2.add(e16A, s17A);
  let x20B = f64x2.add(e16B, s17B);
  let s21A = f64x2.add(s14A, x20A);
  let s21B = f64x2.add(s14B, x20B);
  let b22A = f64x2.sub(s21A, s14A);
  let b22B = f64x2.sub(s21B, s14B);
  let e23A = f64x2.add(f64x2.sub(s14A, f64x2.sub(s21A, b22A)), f64x2.sub(x20A, b22A));
  let e23B = f64x2.add(f64x2.sub(s14B, f64x2.sub(s21B, b22B)), f64x2.sub(x20B, b22B));
  let y24A = f64x2.add(e23A, e19A);
  let y24B = f64x2.add(e23B, e19B);
  let s25A = f64x2.add(s21A, y24A);
  let s25B = f64x2.add(s21B, y24B);
  let b26A = f64x2.sub(s25A, s21A);
  let b26B = f64x2.sub(s25B, s21B);
  let e27A = f64x2.add(f64x2.sub(s21A, f64x2.sub(s25A, b26A)), f64x2.sub(y24A, b26A));
  let e27B = f64x2.add(f64x2.sub(s21B, f64x2.sub(s25B, b26B)), f64x2.sub(y24B, b26B));
  let q28A = f64x2.div(s25A, shA);
  let q28B = f64x2.div(s25B, shB);
  // dd_mul(sh, sl, q28, VZERO)
  let p29A = f64x2.mul(shA, q28A);
  let p29B = f64x2.mul(shB, q28B);
  // (the split of sh is h4, l5: the same operations on the same value)
  let t33A = f64x2.mul(VSPLIT, q28A);
  let t33B = f64x2.mul(VSPLIT, q28B);
  let h34A = f64x2.sub(t33A, f64x2.sub(t33A, q28A));
  let h34B = f64x2.sub(t33B, f64x2.sub(t33B, q28B));
  let l35A = f64x2.sub(q28A, h34A);
  let l35B = f64x2.sub(q28B, h34B);
  let m36A = f64x2.add(f64x2.add(f64x2.add(f64x2.sub(f64x2.mul(h4A, h34A), p29A), f64x2.mul(h4A, l35A)), f64x2.mul(l5A, h34A)), f64x2.mul(l5A, l35A));
  let m36B = f64x2.add(f64x2.add(f64x2.add(f64x2.sub(f64x2.mul(h4B, h34B), p29B), f64x2.mul(h4B, l35B)), f64x2.mul(l5B, h34B)), f64x2.mul(l5B, l35B));
  let c37A = f64x2.add(m36A, f64x2.add(VZERO, f64x2.mul(slA, q28A)));
  let c37B = f64x2.add(m36B, f64x2.add(VZERO, f64x2.mul(slB, q28B)));
  let s38A = f64x2.add(p29A, c37A);
  let s38B = f64x2.add(p29B, c37B);
  let b39A = f64x2.sub(s38A, p29A);
  let b39B = f64x2.sub(s38B, p29B);
  let e40A = f64x2.add(f64x2.sub(p29A, f64x2.sub(s38A, b39A)), f64x2.sub(c37A, b39A));
  let e40B = f64x2.add(f64x2.sub(p29B, f64x2.sub(s38B, b39B)), f64x2.sub(c37B, b39B));
  // dd_add(s25, e27, f64x2.neg(s38), f64x2.neg(e40))
  let s41A = f64x2.add(s25A, f64x2.neg(s38A));
  let s41B = f64x2.add(s25B, f64x2.neg(s38B));
  let b42A = f64x2.sub(s41A, s25A);
  let b42B = f64x2.sub(s41B, s25B);
  let e43A = f64x2.add(f64x2.sub(s25A, f64x2.sub(s41A, b42A)), f64x2.sub(f64x2.neg(s38A), b42A));
  let e43B = f64x2.add(f64x2.sub(s25B, f64x2.sub(s41B, b42B)), f64x2.sub(f64x2.neg(s38B), b42B));
  let s44A = f64x2.add(e27A, f64x2.neg(e40A));
  let s44B = f64x2.add(e27B, f64x2.neg(e40B));
  let b45A = f64x2.sub(s44A, e27A);
  let b45B = f64x2.sub(s44B, e27B);
  let e46A = f64x2.add(f64x2.sub(e27A, f64x2.sub(s44A, b45A)), f64x2.sub(f64x2.neg(e40A), b45A));
  let e46B = f64x2.add(f64x2.sub(e27B, f64x2.sub(s44B, b45B)), f64x2.sub(f64x2.neg(e40B), b45B));
  let x47A = f64x2.add(e43A, s44A);
  let x47B = f64x2.add(e43B, s44B);
  let s48A = f64x2.add(s41A, x47A);
  let s48B = f64x2.add(s41B, x47B);
  let b49A = f64x2.sub(s48A, s41A);
  let b49B = f64x2.sub(s48B, s41B);
  let e50A = f64x2.add(f64x2.sub(s41A, f64x2.sub(s48A, b49A)), f64x2.sub(x47A, b49A));
  let e50B = f64x2.add(f64x2.sub(s41B, f64x2.sub(s48B, b49B)), f64x2.sub(x47B, b49B));
  let y51A = f64x2.add(e50A, e46A);
  let y51B = f64x2.add(e50B, e46B);
  let s52A = f64x2.add(s48A, y51A);
  let s52B = f64x2.add(s48B, y51B);
  let b53A = f64x2.sub(s52A, s48A);
  let b53B = f64x2.sub(s52B, s48B);
  let e54A = f64x2.add(f64x2.sub(s48A, f64x2.sub(s52A, b53A)), f64x2.sub(y51A, b53A));
  let e54B = f64x2.add(f64x2.sub(s48B, f64x2.sub(s52B, b53B)), f64x2.sub(y51B, b53B));
  let q55A = f64x2.div(s52A, shA);
  let q55B = f64x2.div(s52B, shB);
  // two_sum(q1, q28)
  let s56A = f64x2.add(q1A, q28A);
  let s56B = f64x2.add(q1B, q28B);
  let b57A = f64x2.sub(s56A, q1A);
  let b57B = f64x2.sub(s56B, q1B);
  let e58A = f64x2.add(f64x2.sub(q1A, f64x2.sub(s56A, b57A)), f64x2.sub(q28A, b57A));
  let e58B = f64x2.add(f64x2.sub(q1B, f64x2.sub(s56B, b57B)), f64x2.sub(q28B, b57B));
  // dd_add(s56, e58, q55, VZERO)
  let s59A = f64x2.add(s56A, q55A);
  let s59B = f64x2.add(s56B, q55B);
  let b60A = f64x2.sub(s59A, s56A);
  let b60B = f64x2.sub(s59B, s56B);
  let e61A = f64x2.add(f64x2.sub(s56A, f64x2.sub(s59A, b60A)), f64x2.sub(q55A, b60A));
  let e61B = f64x2.add(f64x2.sub(s56B, f64x2.sub(s59B, b60B)), f64x2.sub(q55B, b60B));
  let s62A = f64x2.add(e58A, VZERO);
  let s62B = f64x2.add(e58B, VZERO);
  // (the error of e58 + 0 is +0 for a finite e58: s62 - e58 = +0, then (e58 - s62) + (0 - 0) = +0)
  let x65A = f64x2.add(e61A, s62A);
  let x65B = f64x2.add(e61B, s62B);
  let s66A = f64x2.add(s59A, x65A);
  let s66B = f64x2.add(s59B, x65B);
  let b67A = f64x2.sub(s66A, s59A);
  let b67B = f64x2.sub(s66B, s59B);
  let e68A = f64x2.add(f64x2.sub(s59A, f64x2.sub(s66A, b67A)), f64x2.sub(x65A, b67A));
  let e68B = f64x2.add(f64x2.sub(s59B, f64x2.sub(s66B, b67B)), f64x2.sub(x65B, b67B));
  let y69A = f64x2.add(e68A, VZERO);
  let y69B = f64x2.add(e68B, VZERO);
  let s70A = f64x2.add(s66A, y69A);
  let s70B = f64x2.add(s66B, y69B);
  let b71A = f64x2.sub(s70A, s66A);
  let b71B = f64x2.sub(s70B, s66B);
  let e72A = f64x2.add(f64x2.sub(s66A, f64x2.sub(s70A, b71A)), f64x2.sub(y69A, b71A));
  let e72B = f64x2.add(f64x2.sub(s66B, f64x2.sub(s70B, b71B)), f64x2.sub(y69B, b71B));
  // dd_add(kS, VZERO, f64x2.neg(s70), f64x2.neg(e72))
  let s73A = f64x2.add(kSA, f64x2.neg(s70A));
  let s73B = f64x2.add(kSB, f64x2.neg(s70B));
  let b74A = f64x2.sub(s73A, kSA);
  let b74B = f64x2.sub(s73B, kSB);
  let e75A = f64x2.add(f64x2.sub(kSA, f64x2.sub(s73A, b74A)), f64x2.sub(f64x2.neg(s70A), b74A));
  let e75B = f64x2.add(f64x2.sub(kSB, f64x2.sub(s73B, b74B)), f64x2.sub(f64x2.neg(s70B), b74B));
  let s76A = f64x2.add(VZERO, f64x2.neg(e72A));
  let s76B = f64x2.add(VZERO, f64x2.neg(e72B));
  // (the error of 0 + y is +0 for a finite y: s76 - 0 = s76, then (0 - 0) + (y - s76) = +0)
  let x79A = f64x2.add(e75A, s76A);
  let x79B = f64x2.add(e75B, s76B);
  let s80A = f64x2.add(s73A, x79A);
  let s80B = f64x2.add(s73B, x79B);
  let b81A = f64x2.sub(s80A, s73A);
  let b81B = f64x2.sub(s80B, s73B);
  let e82A = f64x2.add(f64x2.sub(s73A, f64x2.sub(s80A, b81A)), f64x2.sub(x79A, b81A));
  let e82B = f64x2.add(f64x2.sub(s73B, f64x2.sub(s80B, b81B)), f64x2.sub(x79B, b81B));
  let y83A = f64x2.add(e82A, VZERO);
  let y83B = f64x2.add(e82B, VZERO);
  let s84A = f64x2.add(s80A, y83A);
  let s84B = f64x2.add(s80B, y83B);
  let b85A = f64x2.sub(s84A, s80A);
  let b85B = f64x2.sub(s84B, s80B);
  let e86A = f64x2.add(f64x2.sub(s80A, f64x2.sub(s84A, b85A)), f64x2.sub(y83A, b85A));
  let e86B = f64x2.add(f64x2.sub(s80B, f64x2.sub(s84B, b85B)), f64x2.sub(y83B, b85B));
  // log_z(S) to first order in sl, minus U/S
  let lzSA = f64x2.add(log_z_f64x2(shA, tmpA, i0A, i1A), f64x2.div(slA, shA));
  let lzSB = f64x2.add(log_z_f64x2(shB, tmpB, i0B, i1B), f64x2.div(slB, shB));
  // two_sum(lzS, f64x2.neg(uOverS))
  let s87A = f64x2.add(lzSA, f64x2.neg(uOverSA));
  let s87B = f64x2.add(lzSB, f64x2.neg(uOverSB));
  let b88A = f64x2.sub(s87A, lzSA);
  let b88B = f64x2.sub(s87B, lzSB);
  let e89A = f64x2.add(f64x2.sub(lzSA, f64x2.sub(s87A, b88A)), f64x2.sub(f64x2.neg(uOverSA), b88A));
  let e89B = f64x2.add(f64x2.sub(lzSB, f64x2.sub(s87B, b88B)), f64x2.sub(f64x2.neg(uOverSB), b88B));
  // dd_mul(VLN2_HI, VLN2_LO, s84, e86)
  let p90A = f64x2.mul(VLN2_HI, s84A);
  let p90B = f64x2.mul(VLN2_HI, s84B);
  let t91A = f64x2.mul(VSPLIT, VLN2_HI);
  let t91B = f64x2.mul(VSPLIT, VLN2_HI);
  let h92A = f64x2.sub(t91A, f64x2.sub(t91A, VLN2_HI));
  let h92B = f64x2.sub(t91B, f64x2.sub(t91B, VLN2_HI));
  let l93A = f64x2.sub(VLN2_HI, h92A);
  let l93B = f64x2.sub(VLN2_HI, h92B);
  let t94A = f64x2.mul(VSPLIT, s84A);
  let t94B = f64x2.mul(VSPLIT, s84B);
  let h95A = f64x2.sub(t94A, f64x2.sub(t94A, s84A));
  let h95B = f64x2.sub(t94B, f64x2.sub(t94B, s84B));
  let l96A = f64x2.sub(s84A, h95A);
  let l96B = f64x2.sub(s84B, h95B);
  let m97A = f64x2.add(f64x2.add(f64x2.add(f64x2.sub(f64x2.mul(h92A, h95A), p90A), f64x2.mul(h92A, l96A)), f64x2.mul(l93A, h95A)), f64x2.mul(l93A, l96A));
  let m97B = f64x2.add(f64x2.add(f64x2.add(f64x2.sub(f64x2.mul(h92B, h95B), p90B), f64x2.mul(h92B, l96B)), f64x2.mul(l93B, h95B)), f64x2.mul(l93B, l96B));
  let c98A = f64x2.add(m97A, f64x2.add(f64x2.mul(VLN2_HI, e86A), f64x2.mul(VLN2_LO, s84A)));
  let c98B = f64x2.add(m97B, f64x2.add(f64x2.mul(VLN2_HI, e86B), f64x2.mul(VLN2_LO, s84B)));
  let s99A = f64x2.add(p90A, c98A);
  let s99B = f64x2.add(p90B, c98B);
  let b100A = f64x2.sub(s99A, p90A);
  let b100B = f64x2.sub(s99B, p90B);
  let e101A = f64x2.add(f64x2.sub(p90A, f64x2.sub(s99A, b100A)), f64x2.sub(c98A, b100A));
  let e101B = f64x2.add(f64x2.sub(p90B, f64x2.sub(s99B, b100B)), f64x2.sub(c98B, b100B));
  // dd_add(s99, e101, s87, e89)
  let s102A = f64x2.add(s99A, s87A);
  let s102B = f64x2.add(s99B, s87B);
  let b103A = f64x2.sub(s102A, s99A);
  let b103B = f64x2.sub(s102B, s99B);
  let e104A = f64x2.add(f64x2.sub(s99A, f64x2.sub(s102A, b103A)), f64x2.sub(s87A, b103A));
  let e104B = f64x2.add(f64x2.sub(s99B, f64x2.sub(s102B, b103B)), f64x2.sub(s87B, b103B));
  let s105A = f64x2.add(e101A, e89A);
  let s105B = f64x2.add(e101B, e89B);
  let b106A = f64x2.sub(s105A, e101A);
  let b106B = f64x2.sub(s105B, e101B);
  let e107A = f64x2.add(f64x2.sub(e101A, f64x2.sub(s105A, b106A)), f64x2.sub(e89A, b106A));
  let e107B = f64x2.add(f64x2.sub(e101B, f64x2.sub(s105B, b106B)), f64x2.sub(e89B, b106B));
  let x108A = f64x2.add(e104A, s105A);
  let x108B = f64x2.add(e104B, s105B);
  let s109A = f64x2.add(s102A, x108A);
  let s109B = f64x2.add(s102B, x108B);
  let b110A = f64x2.sub(s109A, s102A);
  let b110B = f64x2.sub(s109B, s102B);
  let e111A = f64x2.add(f64x2.sub(s102A, f64x2.sub(s109A, b110A)), f64x2.sub(x108A, b110A));
  let e111B = f64x2.add(f64x2.sub(s102B, f64x2.sub(s109B, b110B)), f64x2.sub(x108B, b110B));
  let y112A = f64x2.add(e111A, e107A);
  let y112B = f64x2.add(e111B, e107B);
  let s113A = f64x2.add(s109A, y112A);
  let s113B = f64x2.add(s109B, y112B);
  let b114A = f64x2.sub(s113A, s109A);
  let b114B = f64x2.sub(s113B, s109B);
  let e115A = f64x2.add(f64x2.sub(s109A, f64x2.sub(s113A, b114A)), f64x2.sub(y112A, b114A));
  let e115B = f64x2.add(f64x2.sub(s109B, f64x2.sub(s113B, b114B)), f64x2.sub(y112B, b114B));
  let h0A = s113A, h1A = e115A;
  let h0B = s113B, h1B = e115B;
  let xA = f64x2.add(h0A, h1A);
  let xB = f64x2.add(h0B, h1B);
  if (nobase == 0) {
    // dd_div(h0, h1, vdh, vdl)
    let q116A = f64x2.div(h0A, vdh);
    let q116B = f64x2.div(h0B, vdh);
    // dd_mul(vdh, vdl, q116, VZERO)
    let p117A = f64x2.mul(vdh, q116A);
    let p117B = f64x2.mul(vdh, q116B);
    let t118A = f64x2.mul(VSPLIT, vdh);
    let t118B = f64x2.mul(VSPLIT, vdh);
    let h119A = f64x2.sub(t118A, f64x2.sub(t118A, vdh));
    let h119B = f64x2.sub(t118B, f64x2.sub(t118B, vdh));
    let l120A = f64x2.sub(vdh, h119A);
    let l120B = f64x2.sub(vdh, h119B);
    let t121A = f64x2.mul(VSPLIT, q116A);
    let t121B = f64x2.mul(VSPLIT, q116B);
    let h122A = f64x2.sub(t121A, f64x2.sub(t121A, q116A));
    let h122B = f64x2.sub(t121B, f64x2.sub(t121B, q116B));
    let l123A = f64x2.sub(q116A, h122A);
    let l123B = f64x2.sub(q116B, h122B);
    let m124A = f64x2.add(f64x2.add(f64x2.add(f64x2.sub(f64x2.mul(h119A, h122A), p117A), f64x2.mul(h119A, l123A)), f64x2.mul(l120A, h122A)), f64x2.mul(l120A, l123A));
    let m124B = f64x2.add(f64x2.add(f64x2.add(f64x2.sub(f64x2.mul(h119B, h122B), p117B), f64x2.mul(h119B, l123B)), f64x2.mul(l120B, h122B)), f64x2.mul(l120B, l123B));
    let c125A = f64x2.add(m124A, f64x2.add(f64x2.mul(vdh, VZERO), f64x2.mul(vdl, q116A)));
    let c125B = f64x2.add(m124B, f64x2.add(f64x2.mul(vdh, VZERO), f64x2.mul(vdl, q116B)));
    let s126A = f64x2.add(p117A, c125A);
    let s126B = f64x2.add(p117B, c125B);
    let b127A = f64x2.sub(s126A, p117A);
    let b127B = f64x2.sub(s126B, p117B);
    let e128A = f64x2.add(f64x2.sub(p117A, f64x2.sub(s126A, b127A)), f64x2.sub(c125A, b127A));
    let e128B = f64x2.add(f64x2.sub(p117B, f64x2.sub(s126B, b127B)), f64x2.sub(c125B, b127B));
    // dd_add(h0, h1, f64x2.neg(s126), f64x2.neg(e128))
    let s129A = f64x2.add(h0A, f64x2.neg(s126A));
    let s129B = f64x2.add(h0B, f64x2.neg(s126B));
    let b130A = f64x2.sub(s129A, h0A);
    let b130B = f64x2.sub(s129B, h0B);
    let e131A = f64x2.add(f64x2.sub(h0A, f64x2.sub(s129A, b130A)), f64x2.sub(f64x2.neg(s126A), b130A));
    let e131B = f64x2.add(f64x2.sub(h0B, f64x2.sub(s129B, b130B)), f64x2.sub(f64x2.neg(s126B), b130B));
    let s132A = f64x2.add(h1A, f64x2.neg(e128A));
    let s132B = f64x2.add(h1B, f64x2.neg(e128B));
    let b133A = f64x2.sub(s132A, h1A);
    let b133B = f64x2.sub(s132B, h1B);
    let e134A = f64x2.add(f64x2.sub(h1A, f64x2.sub(s132A, b133A)), f64x2.sub(f64x2.neg(e128A), b133A));
    let e134B = f64x2.add(f64x2.sub(h1B, f64x2.sub(s132B, b133B)), f64x2.sub(f64x2.neg(e128B), b133B));
    let x135A = f64x2.add(e131A, s132A);
    let x135B = f64x2.add(e131B, s132B);
    let s136A = f64x2.add(s129A, x135A);
    let s136B = f64x2.add(s129B, x135B);
    let b137A = f64x2.sub(s136A, s129A);
    let b137B = f64x2.sub(s136B, s129B);
    let e138A = f64x2.add(f64x2.sub(s129A, f64x2.sub(s136A, b137A)), f64x2.sub(x135A, b137A));
    let e138B = f64x2.add(f64x2.sub(s129B, f64x2.sub(s136B, b137B)), f64x2.sub(x135B, b137B));
    let y139A = f64x2.add(e138A, e134A);
    let y139B = f64x2.add(e138B, e134B);
    let s140A = f64x2.add(s136A, y139A);
    let s140B = f64x2.add(s136B, y139B);
    let b141A = f64x2.sub(s140A, s136A);
    let b141B = f64x2.sub(s140B, s136B);
    let e142A = f64x2.add(f64x2.sub(s136A, f64x2.sub(s140A, b141A)), f64x2.sub(y139A, b141A));
    let e142B = f64x2.add(f64x2.sub(s136B, f64x2.sub(s140B, b141B)), f64x2.sub(y139B, b141B));
    let q143A = f64x2.div(s140A, vdh);
    let q143B = f64x2.div(s140B, vdh);
    // dd_mul(vdh, vdl, q143, VZERO)
    let p144A = f64x2.mul(vdh, q143A);
    let p144B = f64x2.mul(vdh, q143B);
    let t145A = f64x2.mul(VSPLIT, vdh);
    let t145B = f64x2.mul(VSPLIT, vdh);
    let h146A = f64x2.sub(t145A, f64x2.sub(t145A, vdh));
    let h146B = f64x2.sub(t145B, f64x2.sub(t145B, vdh));
    let l147A = f64x2.sub(vdh, h146A);
    let l147B = f64x2.sub(vdh, h146B);
    let t148A = f64x2.mul(VSPLIT, q143A);
    let t148B = f64x2.mul(VSPLIT, q143B);
    let h149A = f64x2.sub(t148A, f64x2.sub(t148A, q143A));
    let h149B = f64x2.sub(t148B, f64x2.sub(t148B, q143B));
    let l150A = f64x2.sub(q143A, h149A);
    let l150B = f64x2.sub(q143B, h149B);
    let m151A = f64x2.add(f64x2.add(f64x2.add(f64x2.sub(f64x2.mul(h146A, h149A), p144A), f64x2.mul(h146A, l150A)), f64x2.mul(l147A, h149A)), f64x2.mul(l147A, l150A));
    let m151B = f64x2.add(f64x2.add(f64x2.add(f64x2.sub(f64x2.mul(h146B, h149B), p144B), f64x2.mul(h146B, l150B)), f64x2.mul(l147B, h149B)), f64x2.mul(l147B, l150B));
    let c152A = f64x2.add(m151A, f64x2.add(f64x2.mul(vdh, VZERO), f64x2.mul(vdl, q143A)));
    let c152B = f64x2.add(m151B, f64x2.add(f64x2.mul(vdh, VZERO), f64x2.mul(vdl, q143B)));
    let s153A = f64x2.add(p144A, c152A);
    let s153B = f64x2.add(p144B, c152B);
    let b154A = f64x2.sub(s153A, p144A);
    let b154B = f64x2.sub(s153B, p144B);
    let e155A = f64x2.add(f64x2.sub(p144A, f64x2.sub(s153A, b154A)), f64x2.sub(c152A, b154A));
    let e155B = f64x2.add(f64x2.sub(p144B, f64x2.sub(s153B, b154B)), f64x2.sub(c152B, b154B));
    // dd_add(s140, e142, f64x2.neg(s153), f64x2.neg(e155))
    let s156A = f64x2.add(s140A, f64x2.neg(s153A));
    let s156B = f64x2.add(s140B, f64x2.neg(s153B));
    let b157A = f64x2.sub(s156A, s140A);
    let b157B = f64x2.sub(s156B, s140B);
    let e158A = f64x2.add(f64x2.sub(s140A, f64x2.sub(s156A, b157A)), f64x2.sub(f64x2.neg(s153A), b157A));
    let e158B = f64x2.add(f64x2.sub(s140B, f64x2.sub(s156B, b157B)), f64x2.sub(f64x2.neg(s153B), b157B));
    let s159A = f64x2.add(e142A, f64x2.neg(e155A));
    let s159B = f64x2.add(e142B, f64x2.neg(e155B));
    let b160A = f64x2.sub(s159A, e142A);
    let b160B = f64x2.sub(s159B, e142B);
    let e161A = f64x2.add(f64x2.sub(e142A, f64x2.sub(s159A, b160A)), f64x2.sub(f64x2.neg(e155A), b160A));
    let e161B = f64x2.add(f64x2.sub(e142B, f64x2.sub(s159B, b160B)), f64x2.sub(f64x2.neg(e155B), b160B));
    let x162A = f64x2.add(e158A, s159A);
    let x162B = f64x2.add(e158B, s159B);
    let s163A = f64x2.add(s156A, x162A);
    let s163B = f64x2.add(s156B, x162B);
    let b164A = f64x2.sub(s163A, s156A);
    let b164B = f64x2.sub(s163B, s156B);
    let e165A = f64x2.add(f64x2.sub(s156A, f64x2.sub(s163A, b164A)), f64x2.sub(x162A, b164A));
    let e165B = f64x2.add(f64x2.sub(s156B, f64x2.sub(s163B, b164B)), f64x2.sub(x162B, b164B));
    let y166A = f64x2.add(e165A, e161A);
    let y166B = f64x2.add(e165B, e161B);
    let s167A = f64x2.add(s163A, y166A);
    let s167B = f64x2.add(s163B, y166B);
    let b168A = f64x2.sub(s167A, s163A);
    let b168B = f64x2.sub(s167B, s163B);
    let e169A = f64x2.add(f64x2.sub(s163A, f64x2.sub(s167A, b168A)), f64x2.sub(y166A, b168A));
    let e169B = f64x2.add(f64x2.sub(s163B, f64x2.sub(s167B, b168B)), f64x2.sub(y166B, b168B));
    let q170A = f64x2.div(s167A, vdh);
    let q170B = f64x2.div(s167B, vdh);
    // two_sum(q116, q143)
    let s171A = f64x2.add(q116A, q143A);
    let s171B = f64x2.add(q116B, q143B);
    let b172A = f64x2.sub(s171A, q116A);
    let b172B = f64x2.sub(s171B, q116B);
    let e173A = f64x2.add(f64x2.sub(q116A, f64x2.sub(s171A, b172A)), f64x2.sub(q143A, b172A));
    let e173B = f64x2.add(f64x2.sub(q116B, f64x2.sub(s171B, b172B)), f64x2.sub(q143B, b172B));
    // dd_add(s171, e173, q170, VZERO)
    let s174A = f64x2.add(s171A, q170A);
    let s174B = f64x2.add(s171B, q170B);
    let b175A = f64x2.sub(s174A, s171A);
    let b175B = f64x2.sub(s174B, s171B);
    let e176A = f64x2.add(f64x2.sub(s171A, f64x2.sub(s174A, b175A)), f64x2.sub(q170A, b175A));
    let e176B = f64x2.add(f64x2.sub(s171B, f64x2.sub(s174B, b175B)), f64x2.sub(q170B, b175B));
    let s177A = f64x2.add(e173A, VZERO);
    let s177B = f64x2.add(e173B, VZERO);
    let b178A = f64x2.sub(s177A, e173A);
    let b178B = f64x2.sub(s177B, e173B);
    let e179A = f64x2.add(f64x2.sub(e173A, f64x2.sub(s177A, b178A)), f64x2.sub(VZERO, b178A));
    let e179B = f64x2.add(f64x2.sub(e173B, f64x2.sub(s177B, b178B)), f64x2.sub(VZERO, b178B));
    let x180A = f64x2.add(e176A, s177A);
    let x180B = f64x2.add(e176B, s177B);
    let s181A = f64x2.add(s174A, x180A);
    let s181B = f64x2.add(s174B, x180B);
    let b182A = f64x2.sub(s181A, s174A);
    let b182B = f64x2.sub(s181B, s174B);
    let e183A = f64x2.add(f64x2.sub(s174A, f64x2.sub(s181A, b182A)), f64x2.sub(x180A, b182A));
    let e183B = f64x2.add(f64x2.sub(s174B, f64x2.sub(s181B, b182B)), f64x2.sub(x180B, b182B));
    let y184A = f64x2.add(e183A, e179A);
    let y184B = f64x2.add(e183B, e179B);
    let s185A = f64x2.add(s181A, y184A);
    let s185B = f64x2.add(s181B, y184B);
    let b186A = f64x2.sub(s185A, s181A);
    let b186B = f64x2.sub(s185B, s181B);
    let e187A = f64x2.add(f64x2.sub(s181A, f64x2.sub(s185A, b186A)), f64x2.sub(y184A, b186A));
    let e187B = f64x2.add(f64x2.sub(s181B, f64x2.sub(s185B, b186B)), f64x2.sub(y184B, b186B));
    xA = f64x2.add(s185A, e187A);
    xB = f64x2.add(s185B, e187B);
  }

  // !(h0 + h1 > 0): 0; a handed-back row: NaN
  let resA = v128.bitselect(xA, VZERO, f64x2.gt(f64x2.add(h0A, h1A), VZERO));
  let resB = v128.bitselect(xB, VZERO, f64x2.gt(f64x2.add(h0B, h1B), VZERO));
  v128.store(oA, v128.bitselect(f64x2.splat(NaN), resA, f64x2.ne(shA, shA)));
  v128.store(oB, v128.bitselect(f64x2.splat(NaN), resB, f64x2.ne(shB, shB)));
}


/**
 * H from the canonical S = sh + sl, K = kh + kl and RN(U) (src/finalize.ts entropyFromSums, then
 * inBase), written out step by step into locals: ddDiv(K, S), ddAdd([kS, 0], -ratio),
 * twoSum(lzS, -U/S), ddMul(LN2, bits), ddAdd, then ddDiv by ln(base), each the operations of
 * src/math/dd.ts (twoSum, ddAdd, ddMul, ddDiv) in their order. Each block is the
 * mechanical expansion of the helper call its comment names, so that every intermediate is
 * computed once and stays in a local (through the DH/DL globals every step went through memory:
 * about 10 % of the time of a 16-bin row, measured). The twin's body is the same text line for line
 * (test/agreement/rows-paths.test.ts checks it).
 */
function entropy_finish(sh: f64, sl: f64, kh: f64, kl: f64, um: f64, nobase: i32, dh: f64, dl: f64): f64 {
  let uOverS = um == 0 ? 0 : um / sh;
  let kS = <f64>log_k(sh);
  // kS - K/S
  // dd_div(kh, kl, sh, sl)
  let q1 = kh / sh;
  // dd_mul(sh, sl, q1, 0)
  let p2 = sh * q1;
  let t3 = SPLIT * sh;
  let h4 = t3 - (t3 - sh);
  let l5 = sh - h4;
  let t6 = SPLIT * q1;
  let h7 = t6 - (t6 - q1);
  let l8 = q1 - h7;
  let m9 = ((h4 * h7 - p2) + h4 * l8 + l5 * h7) + l5 * l8;
  let c10 = m9 + (sh * 0 + sl * q1);
  let s11 = p2 + c10;
  let b12 = s11 - p2;
  let e13 = (p2 - (s11 - b12)) + (c10 - b12);
  // dd_add(kh, kl, -s11, -e13)
  let s14 = kh + -s11;
  let b15 = s14 - kh;
  let e16 = (kh - (s14 - b15)) + (-s11 - b15);
  let s17 = kl + -e13;
  let b18 = s17 - kl;
  let e19 = (kl - (s17 - b18)) + (-e13 - b18);
  let x20 = e16 + s17;
  let s21 = s14 + x20;
  let b22 = s21 - s14;
  let e23 = (s14 - (s21 - b22)) + (x20 - b22);
  let y24 = e23 + e19;
  let s25 = s21 + y24;
  let b26 = s25 - s21;
  let e27 = (s21 - (s25 - b26)) + (y24 - b26);
  let q28 = s25 / sh;
  // dd_mul(sh, sl, q28, 0)
  let p29 = sh * q28;
  let t30 = SPLIT * sh;
  let h31 = t30 - (t30 - sh);
  let l32 = sh - h31;
  let t33 = SPLIT * q28;
  let h34 = t33 - (t33 - q28);
  let l35 = q28 - h34;
  let m36 = ((h31 * h34 - p29) + h31 * l35 + l32 * h34) + l32 * l35;
  let c37 = m36 + (sh * 0 + sl * q28);
  let s38 = p29 + c37;
  let b39 = s38 - p29;
  let e40 = (p29 - (s38 - b39)) + (c37 - b39);
  // dd_add(s25, e27, -s38, -e40)
  let s41 = s25 + -s38;
  let b42 = s41 - s25;
  let e43 = (s25 - (s41 - b42)) + (-s38 - b42);
  let s44 = e27 + -e40;
  let b45 = s44 - e27;
  let e46 = (e27 - (s44 - b45)) + (-e40 - b45);
  let x47 = e43 + s44;
  let s48 = s41 + x47;
  let b49 = s48 - s41;
  let e50 = (s41 - (s48 - b49)) + (x47 - b49);
  let y51 = e50 + e46;
  let s52 = s48 + y51;
  let b53 = s52 - s48;
  let e54 = (s48 - (s52 - b53)) + (y51 - b53);
  let q55 = s52 / sh;
  // two_sum(q1, q28)
  let s56 = q1 + q28;
  let b57 = s56 - q1;
  let e58 = (q1 - (s56 - b57)) + (q28 - b57);
  // dd_add(s56, e58, q55, 0)
  let s59 = s56 + q55;
  let b60 = s59 - s56;
  let e61 = (s56 - (s59 - b60)) + (q55 - b60);
  let s62 = e58 + 0;
  let b63 = s62 - e58;
  let e64 = (e58 - (s62 - b63)) + (0 - b63);
  let x65 = e61 + s62;
  let s66 = s59 + x65;
  let b67 = s66 - s59;
  let e68 = (s59 - (s66 - b67)) + (x65 - b67);
  let y69 = e68 + e64;
  let s70 = s66 + y69;
  let b71 = s70 - s66;
  let e72 = (s66 - (s70 - b71)) + (y69 - b71);
  // dd_add(kS, 0, -s70, -e72)
  let s73 = kS + -s70;
  let b74 = s73 - kS;
  let e75 = (kS - (s73 - b74)) + (-s70 - b74);
  let s76 = 0 + -e72;
  let b77 = s76 - 0;
  let e78 = (0 - (s76 - b77)) + (-e72 - b77);
  let x79 = e75 + s76;
  let s80 = s73 + x79;
  let b81 = s80 - s73;
  let e82 = (s73 - (s80 - b81)) + (x79 - b81);
  let y83 = e82 + e78;
  let s84 = s80 + y83;
  let b85 = s84 - s80;
  let e86 = (s80 - (s84 - b85)) + (y83 - b85);
  // log_z(S) to first order in sl, minus U/S
  let lzS = log_z_f64(sh) + sl / sh;
  // two_sum(lzS, -uOverS)
  let s87 = lzS + -uOverS;
  let b88 = s87 - lzS;
  let e89 = (lzS - (s87 - b88)) + (-uOverS - b88);
  // dd_mul(LN2_HI, LN2_LO, s84, e86)
  let p90 = LN2_HI * s84;
  let t91 = SPLIT * LN2_HI;
  let h92 = t91 - (t91 - LN2_HI);
  let l93 = LN2_HI - h92;
  let t94 = SPLIT * s84;
  let h95 = t94 - (t94 - s84);
  let l96 = s84 - h95;
  let m97 = ((h92 * h95 - p90) + h92 * l96 + l93 * h95) + l93 * l96;
  let c98 = m97 + (LN2_HI * e86 + LN2_LO * s84);
  let s99 = p90 + c98;
  let b100 = s99 - p90;
  let e101 = (p90 - (s99 - b100)) + (c98 - b100);
  // dd_add(s99, e101, s87, e89)
  let s102 = s99 + s87;
  let b103 = s102 - s99;
  let e104 = (s99 - (s102 - b103)) + (s87 - b103);
  let s105 = e101 + e89;
  let b106 = s105 - e101;
  let e107 = (e101 - (s105 - b106)) + (e89 - b106);
  let x108 = e104 + s105;
  let s109 = s102 + x108;
  let b110 = s109 - s102;
  let e111 = (s102 - (s109 - b110)) + (x108 - b110);
  let y112 = e111 + e107;
  let s113 = s109 + y112;
  let b114 = s113 - s109;
  let e115 = (s109 - (s113 - b114)) + (y112 - b114);
  let h0 = s113, h1 = e115;
  if (!(h0 + h1 > 0)) return 0;
  if (nobase != 0) return h0 + h1;
  // dd_div(h0, h1, dh, dl)
  let q116 = h0 / dh;
  // dd_mul(dh, dl, q116, 0)
  let p117 = dh * q116;
  let t118 = SPLIT * dh;
  let h119 = t118 - (t118 - dh);
  let l120 = dh - h119;
  let t121 = SPLIT * q116;
  let h122 = t121 - (t121 - q116);
  let l123 = q116 - h122;
  let m124 = ((h119 * h122 - p117) + h119 * l123 + l120 * h122) + l120 * l123;
  let c125 = m124 + (dh * 0 + dl * q116);
  let s126 = p117 + c125;
  let b127 = s126 - p117;
  let e128 = (p117 - (s126 - b127)) + (c125 - b127);
  // dd_add(h0, h1, -s126, -e128)
  let s129 = h0 + -s126;
  let b130 = s129 - h0;
  let e131 = (h0 - (s129 - b130)) + (-s126 - b130);
  let s132 = h1 + -e128;
  let b133 = s132 - h1;
  let e134 = (h1 - (s132 - b133)) + (-e128 - b133);
  let x135 = e131 + s132;
  let s136 = s129 + x135;
  let b137 = s136 - s129;
  let e138 = (s129 - (s136 - b137)) + (x135 - b137);
  let y139 = e138 + e134;
  let s140 = s136 + y139;
  let b141 = s140 - s136;
  let e142 = (s136 - (s140 - b141)) + (y139 - b141);
  let q143 = s140 / dh;
  // dd_mul(dh, dl, q143, 0)
  let p144 = dh * q143;
  let t145 = SPLIT * dh;
  let h146 = t145 - (t145 - dh);
  let l147 = dh - h146;
  let t148 = SPLIT * q143;
  let h149 = t148 - (t148 - q143);
  let l150 = q143 - h149;
  let m151 = ((h146 * h149 - p144) + h146 * l150 + l147 * h149) + l147 * l150;
  let c152 = m151 + (dh * 0 + dl * q143);
  let s153 = p144 + c152;
  let b154 = s153 - p144;
  let e155 = (p144 - (s153 - b154)) + (c152 - b154);
  // dd_add(s140, e142, -s153, -e155)
  let s156 = s140 + -s153;
  let b157 = s156 - s140;
  let e158 = (s140 - (s156 - b157)) + (-s153 - b157);
  let s159 = e142 + -e155;
  let b160 = s159 - e142;
  let e161 = (e142 - (s159 - b160)) + (-e155 - b160);
  let x162 = e158 + s159;
  let s163 = s156 + x162;
  let b164 = s163 - s156;
  let e165 = (s156 - (s163 - b164)) + (x162 - b164);
  let y166 = e165 + e161;
  let s167 = s163 + y166;
  let b168 = s167 - s163;
  let e169 = (s163 - (s167 - b168)) + (y166 - b168);
  let q170 = s167 / dh;
  // two_sum(q116, q143)
  let s171 = q116 + q143;
  let b172 = s171 - q116;
  let e173 = (q116 - (s171 - b172)) + (q143 - b172);
  // dd_add(s171, e173, q170, 0)
  let s174 = s171 + q170;
  let b175 = s174 - s171;
  let e176 = (s171 - (s174 - b175)) + (q170 - b175);
  let s177 = e173 + 0;
  let b178 = s177 - e173;
  let e179 = (e173 - (s177 - b178)) + (0 - b178);
  let x180 = e176 + s177;
  let s181 = s174 + x180;
  let b182 = s181 - s174;
  let e183 = (s174 - (s181 - b182)) + (x180 - b182);
  let y184 = e183 + e179;
  let s185 = s181 + y184;
  let b186 = s185 - s181;
  let e187 = (s181 - (s185 - b186)) + (y184 - b186);
  return s185 + e187;
}

/**
 * Cross entropy (kl == 0) or KL divergence (kl != 0) of `rows` row pairs of `rowLength` values at
 * pPtr and qPtr, into out[r] (NaN: use the general path). nobase != 0: nats; else the result is
 * divided by d = log_f64(base), as inBase does.
 */
export function pair_rows_f64(
  pPtr: usize, qPtr: usize, rows: i32, rowLength: i32, st: usize, scratch: usize, out: usize, kl: i32,
  nobase: i32, d: f64,
): void {
  let grid = rowLength <= GRID_ROWS;
  for (let r = 0; r < rows; r++) {
    let off = (<usize>r * <usize>rowLength) << 3;
    if (ASC_FEATURE_SIMD) {
      if (grid) {
        let v = kl != 0 ? pair_row_grid(pPtr + off, qPtr + off, rowLength, true, nobase, d)
          : pair_row_grid(pPtr + off, qPtr + off, rowLength, false, nobase, d);
        if (v == v) {
          store<f64>(out + (<usize>r << 3), v);
          continue;
        }
      }
    }
    store<i32>(st + H_BAD_P, -1);
    store<i32>(st + H_BAD_Q, -1);
    store<i32>(st + H_INF, 0);
    for (let s = 0; s < 3; s++) {
      store<i32>(st + H_RANGE + (s << 3), 0x7FFFFFFF);
      store<i32>(st + H_RANGE + (s << 3), -1, 4);
    }
    if (kl != 0) kl_divergence_update_f64(pPtr + off, qPtr + off, rowLength, st);
    else cross_entropy_update_f64(pPtr + off, qPtr + off, rowLength, st);
    store<f64>(out + (<usize>r << 3), pair_finish_f64(st, scratch, kl, nobase, d));
  }
}

/**
 * Cross entropy or KL of one row pair of n values at p and q without the bins (SIMD build), as
 * shannon_row_grid does entropy: each term is the chunk loop's (pair_term_f64x2 with its special
 * lanes on, which every lane's scalar term equals), the Veltkamp parts of P, Q and A go into
 * running f64x2 sums, exact while each sum of magnitudes is below 2^(E + 26), E the binade of its
 * smallest nonzero term (P: of min(smallest p, 0.75), zeros read as 0.75; Q: of the smallest q;
 * A: of the smallest nonzero |term|, tracked, with the sum of the |term|s). The measure is then
 * pair_finish_f64's from RN or the canonical double-double of the exact sums (pair_grid_finish).
 * NaN (nothing written, no bin touched) if p is all zero, a p is outside [LOW, HIGH) but not
 * zero, a q outside [LOW, HIGH) (q = 0 included), a value NaN, or a bound fails: the caller
 * then runs the row the chunk kernel's way, which also raises its errors.
 */
@inline
function pair_row_grid(p: usize, q: usize, n: i32, kl: bool, nobase: i32, d: f64): f64 {
  let vPH = f64x2.splat(0), vPL = f64x2.splat(0), vQH = f64x2.splat(0), vQL = f64x2.splat(0);
  let vAH = f64x2.splat(0), vAL = f64x2.splat(0), vAB = f64x2.splat(0), amin = f64x2.splat(Infinity);
  let pmn = f64x2.splat(Infinity), pmx = f64x2.splat(0), qmn = f64x2.splat(Infinity), qmx = f64x2.splat(0);
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    let pA = v128.load(p + (<usize>i << 3)), pB = v128.load(p + (<usize>i << 3), 16);
    let qA = v128.load(q + (<usize>i << 3)), qB = v128.load(q + (<usize>i << 3), 16);
    let tA = pair_term_f64x2(pA, qA, kl, true), tB = pair_term_f64x2(pB, qB, kl, true);
    pmn = f64x2.pmin(pmn, f64x2.pmin(zero_as_075(pA), zero_as_075(pB)));
    pmx = f64x2.pmax(pmx, f64x2.pmax(pA, pB));
    qmn = f64x2.pmin(qmn, f64x2.pmin(qA, qB));
    qmx = f64x2.pmax(qmx, f64x2.pmax(qA, qB));
    let hpA = split_hi(pA), hpB = split_hi(pB), hqA = split_hi(qA), hqB = split_hi(qB);
    let htA = split_hi(tA), htB = split_hi(tB);
    vPH = f64x2.add(vPH, f64x2.add(hpA, hpB));
    vPL = f64x2.add(vPL, f64x2.add(f64x2.sub(pA, hpA), f64x2.sub(pB, hpB)));
    vQH = f64x2.add(vQH, f64x2.add(hqA, hqB));
    vQL = f64x2.add(vQL, f64x2.add(f64x2.sub(qA, hqA), f64x2.sub(qB, hqB)));
    vAH = f64x2.add(vAH, f64x2.add(htA, htB));
    vAL = f64x2.add(vAL, f64x2.add(f64x2.sub(tA, htA), f64x2.sub(tB, htB)));
    let aA = f64x2.abs(tA), aB = f64x2.abs(tB);
    vAB = f64x2.add(vAB, f64x2.add(aA, aB));
    amin = f64x2.pmin(amin, f64x2.pmin(inf_if_zero(aA), inf_if_zero(aB)));
  }
  for (; i < n; i += 2) {
    let vp: v128, vq: v128, xq: v128;
    if (i + 1 < n) {
      vp = v128.load(p + (<usize>i << 3));
      vq = v128.load(q + (<usize>i << 3));
      xq = vq;
    } else {
      // an odd row's last pair: lane 1 is p = 0 (a term of +-0) and q = 0, read as 0.75 by the
      // log and the range (never a v128.load past the row: a workspace histogram may end where
      // memory ends)
      vp = v128.load64_zero(p + (<usize>i << 3));
      vq = v128.load64_zero(q + (<usize>i << 3));
      xq = f64x2.replace_lane(vq, 1, 0.75);
    }
    let t = pair_term_f64x2(vp, xq, kl, true);
    pmn = f64x2.pmin(pmn, zero_as_075(vp));
    pmx = f64x2.pmax(pmx, vp);
    qmn = f64x2.pmin(qmn, xq);
    qmx = f64x2.pmax(qmx, xq);
    let hp = split_hi(vp), hq = split_hi(vq), ht = split_hi(t);
    vPH = f64x2.add(vPH, hp);
    vPL = f64x2.add(vPL, f64x2.sub(vp, hp));
    vQH = f64x2.add(vQH, hq);
    vQL = f64x2.add(vQL, f64x2.sub(vq, hq));
    vAH = f64x2.add(vAH, ht);
    vAL = f64x2.add(vAL, f64x2.sub(t, ht));
    let a = f64x2.abs(t);
    vAB = f64x2.add(vAB, a);
    amin = f64x2.pmin(amin, inf_if_zero(a));
  }
  let pl = min(f64x2.extract_lane(pmn, 0), f64x2.extract_lane(pmn, 1));
  let ph = max(f64x2.extract_lane(pmx, 0), f64x2.extract_lane(pmx, 1));
  let ql = min(f64x2.extract_lane(qmn, 0), f64x2.extract_lane(qmn, 1));
  let qh = max(f64x2.extract_lane(qmx, 0), f64x2.extract_lane(qmx, 1));
  if (!(pl >= LOW && ph < HIGH && ph > 0 && ql >= LOW && qh < HIGH)) return NaN;
  let PH = f64x2.extract_lane(vPH, 0) + f64x2.extract_lane(vPH, 1);
  let QH = f64x2.extract_lane(vQH, 0) + f64x2.extract_lane(vQH, 1);
  if (!(PH < pow2(exponent_of(pl) + 26) && QH < pow2(exponent_of(ql) + 26))) return NaN;
  let PL = f64x2.extract_lane(vPL, 0) + f64x2.extract_lane(vPL, 1);
  let QL = f64x2.extract_lane(vQL, 0) + f64x2.extract_lane(vQL, 1);
  let AH: f64 = 0, AL: f64 = 0;
  let m = min(f64x2.extract_lane(amin, 0), f64x2.extract_lane(amin, 1));
  if (m < Infinity) {
    let eA = exponent_of(m);
    let AB = f64x2.extract_lane(vAB, 0) + f64x2.extract_lane(vAB, 1);
    if (!(eA >= -900 && AB < pow2(eA + 26))) return NaN;
    AH = f64x2.extract_lane(vAH, 0) + f64x2.extract_lane(vAH, 1);
    AL = f64x2.extract_lane(vAL, 0) + f64x2.extract_lane(vAL, 1);
  }
  return pair_grid_finish(kl, PH, PL, QH, QL, AH, AL, nobase, d);
}

/**
 * pair_finish_f64's measure from exact sums P = PH + PL, Q = QH + QL, A = AH + AL (each part
 * exact): RN(X) is XH + XL and the canonical double-double is TwoSum(XH, XL), as read_rn and
 * read_dd give them on the fixed grid; the formulas after them are pair_finish_f64's.
 */
function pair_grid_finish(kl: bool, PH: f64, PL: f64, QH: f64, QL: f64, AH: f64, AL: f64, nobase: i32, d: f64): f64 {
  let nats: f64;
  if (!kl) {
    let pm = PH + PL, qm = QH + QL, am = AH + AL;
    let ratio = am == 0 ? 0 : am / pm;
    let lnHi = 0 * LN2_HI;
    let lnLo = log_f64(qm) + 0 * LN2_LO;
    let x = (lnHi - ratio) + lnLo;
    nats = x > 0 ? x : 0;
  } else {
    two_sum(PH, PL);
    let p0 = dd_add_hi(DH, DL, 0, 0), p1 = dd_add_lo(DH, DL, 0, 0);
    two_sum(QH, QL);
    let q0 = dd_add_hi(DH, DL, 0, 0), q1 = dd_add_lo(DH, DL, 0, 0);
    let dm = AH + AL;
    let pm = p0 + p1;
    let ratio = dm == 0 ? 0 : dm / pm;
    let r = (dd_add_hi(q0, q1, -p0, -p1) + dd_add_lo(q0, q1, -p0, -p1)) / pm;
    let lnQP: f64;
    if (r >= -0.0625 && r < 0.064697265625) {
      lnQP = log1p_near_f64(r);
    } else {
      lnQP = 0 * LN2_HI + ((log_f64(q0 + q1) - log_f64(pm)) + 0 * LN2_LO);
    }
    let x = ratio + lnQP;
    nats = x > 0 ? x : 0;
  }
  if (nats == 0) return 0;
  return nobase != 0 ? nats : nats / d;
}

/** Bits of +Infinity in a zero lane, so that it cannot be a minimum. */
@inline
function inf_if_zero(v: v128): v128 {
  return v128.or(v, v128.and(f64x2.eq(v, f64x2.splat(0)), f64x2.splat(Infinity)));
}

/** Zero the touched bins of the row pair just run and, for a region-1 row, its measure (else NaN). */
export function pair_finish_f64(st: usize, scratch: usize, kl: i32, nobase: i32, d: f64): f64 {
  let general = load<i32>(st + H_BAD_P) >= 0 || load<i32>(st + H_BAD_Q) >= 0;
  let n0 = gather_sum(st, scratch, 0, general, 0);
  let n1 = gather_sum(st, scratch, 1, general || n0 < 0, 0);
  // A's range reaches far below p's (KL: 110 binades, for p next to q): swept first from 12 below
  // the smallest p's binade, where the terms p log q or p log_ratio(p, q) rarely go.
  let n2 = gather_sum(st, scratch, 2, general || n0 <= 0 || n1 < 0, n0 > 0 ? load<i32>(slots_ptr(scratch, 0)) - 12 : 0);
  if (general || n0 <= 0 || n1 <= 0 || n2 < 0) return NaN;
  let pP = scratch, pQ = scratch + ((ROW_PARTIALS + 1) << 3), pA = scratch + ((ROW_PARTIALS + 1) << 4);
  let nats: f64;
  if (load<i32>(st + H_INF) != 0) {
    nats = Infinity;
  } else if (kl == 0) {
    // crossEntropyFromSums: ratio = A/P; ln Q as lnParts(q.m, 0)
    let pm = read_rn(list_ptr(scratch, 0), slots_ptr(scratch, 0), n0, pP);
    let qm = read_rn(list_ptr(scratch, 1), slots_ptr(scratch, 1), n1, pQ);
    let am = read_rn(list_ptr(scratch, 2), slots_ptr(scratch, 2), n2, pA);
    if (pm != pm || qm != qm || am != am) return NaN;
    let ratio = am == 0 ? 0 : am / pm;
    let lnHi = 0 * LN2_HI;
    let lnLo = log_f64(qm) + 0 * LN2_LO;
    let x = (lnHi - ratio) + lnLo;
    nats = x > 0 ? x : 0;
  } else {
    // klDivergenceFromSums, with extendedDD's renormalizing ddAdd of region 0's [+0, +0]
    if (!read_dd(list_ptr(scratch, 0), slots_ptr(scratch, 0), n0, pP)) return NaN;
    let p0 = dd_add_hi(DH, DL, 0, 0), p1 = dd_add_lo(DH, DL, 0, 0);
    if (!read_dd(list_ptr(scratch, 1), slots_ptr(scratch, 1), n1, pQ)) return NaN;
    let q0 = dd_add_hi(DH, DL, 0, 0), q1 = dd_add_lo(DH, DL, 0, 0);
    let dm = read_rn(list_ptr(scratch, 2), slots_ptr(scratch, 2), n2, pA);
    if (dm != dm) return NaN;
    let pm = p0 + p1;
    let ratio = dm == 0 ? 0 : dm / pm;
    let r = (dd_add_hi(q0, q1, -p0, -p1) + dd_add_lo(q0, q1, -p0, -p1)) / pm;
    let lnQP: f64;
    if (r >= -0.0625 && r < 0.064697265625) {
      lnQP = log1p_near_f64(r);
    } else {
      lnQP = 0 * LN2_HI + ((log_f64(q0 + q1) - log_f64(pm)) + 0 * LN2_LO);
    }
    let x = ratio + lnQP;
    nats = x > 0 ? x : 0;
  }
  if (nats == 0) return 0;
  return nobase != 0 ? nats : nats / d;
}

// Reading a row's sums. gather_sum moves the nonzero slots of a sum into a compact list of
// (slot, hi, lo), zeroing them; the list is then read in one of two exact ways, which give the
// same value (so the choice never shows in a result):
// - fixed grid (the common case): every value in slot j lies on a grid g_j (hi parts: multiples of
//   2^(E-25), lo parts of 2^(E-52), E the lowest binade the slot can hold), and g_j >= g of the
//   list's first (lowest) slot. So two plain running sums, one of the hi parts and one of the lo
//   parts, are exact as long as the sum of the magnitudes stays below 2^53 g: every partial sum is
//   then a multiple of g of at most 53 bits. The check asks for 2^52 g, which absorbs the rounding
//   of the magnitude sum itself. A sum is then hi + lo exactly: RN is one addition, and the
//   canonical double-double (RN(X), X - RN(X)) is a TwoSum.
// - Shewchuk partials (msum_add) otherwise (weights spread over many binades, or a term far below
//   the others, such as c log z for z next to 1), as src/exact.ts does.

/** A row's sums (shannon_sums_f64). */
@inline
function sums_ptr(scratch: usize): usize {
  return scratch + <usize>PART_BYTES + <usize>(3 * ROW_SLOTS * 20);
}

/** Two rows' running sums (shannon_row_terms), after the sums. */
@inline
function terms_ptr(scratch: usize): usize {
  return sums_ptr(scratch) + <usize>(2 * SUMS_BYTES);
}

/** List of sum s: ROW_SLOTS entries of [hi, lo]. */
@inline
function list_ptr(scratch: usize, s: i32): usize {
  return scratch + <usize>PART_BYTES + <usize>s * <usize>(ROW_SLOTS << 4);
}

/** Slot indices of the entries of list s (i32). */
@inline
function slots_ptr(scratch: usize, s: i32): usize {
  return scratch + <usize>PART_BYTES + <usize>(3 * (ROW_SLOTS << 4)) + <usize>s * <usize>(ROW_SLOTS << 2);
}

/**
 * Move the nonzero slots of sum s (its touched range) into list s in slot order, zeroing them.
 * Returns the entry count, or -1 if skip (the row goes to the general path: only zero), if the range
 * leaves region 1, or if the list is full. Slots below `sweep` are first looked at together (one OR
 * of all their words) and gathered only if that finds a bit: an empty stretch then costs a load per
 * 16 bytes and no branch. Where it starts changes no entry, only the time.
 */
function gather_sum(st: usize, scratch: usize, s: i32, skip: bool, sweep: i32): i32 {
  let lo = load<i32>(st + H_RANGE + (s << 3)), hi = load<i32>(st + H_RANGE + (s << 3), 4);
  if (hi >= 0 && (lo < MAIN || hi >= MAIN + REGION_SLOTS)) skip = true;
  let b = sum_block(st, s);
  let list = list_ptr(scratch, s), slots = slots_ptr(scratch, s);
  let n = skip ? -1 : 0;
  let j = lo;
  if (ASC_FEATURE_SIMD && sweep > lo) {
    let stop = min(sweep, hi + 1);
    let any = f64x2.splat(0), any2 = f64x2.splat(0);
    let i = lo;
    // four slots per step, into two accumulators (no loop-carried chain of ORs)
    for (; i <= stop - 4; i += 4) {
      let a = b + ((<usize>i * SLOT_F64) << 3);
      any = v128.or(any, v128.or(v128.or(v128.load(a), v128.load(a, 16)), v128.or(v128.load(a, 32), v128.load(a, 48))));
      any2 = v128.or(any2, v128.or(v128.or(v128.load(a, 64), v128.load(a, 80)), v128.or(v128.load(a, 96), v128.load(a, 112))));
    }
    for (; i < stop; i++) {
      let a = b + ((<usize>i * SLOT_F64) << 3);
      any = v128.or(any, v128.or(v128.load(a), v128.load(a, 16)));
    }
    if (!v128.any_true(v128.or(any, any2))) j = stop;
  }
  if (ASC_FEATURE_SIMD && n >= 0 && hi - j < ROW_SLOTS) {
    // Without a branch per slot (whether a slot is empty is data-dependent, so a branch on it
    // mispredicts): every slot is zeroed and written as entry n, and n counts the nonzero ones.
    // The range is shorter than the list, so the list cannot overflow.
    for (; j <= hi; j++) {
      let a = b + ((<usize>j * SLOT_F64) << 3);
      let v0 = v128.load(a), v1 = v128.load(a, 16);
      v128.store(a, f64x2.splat(0));
      v128.store(a, f64x2.splat(0), 16);
      // the two sets add exactly (see src/exact.ts flushSum); lane by lane, the scalar additions
      v128.store(list + (<usize>n << 4), f64x2.add(v0, v1));
      store<i32>(slots + (<usize>n << 2), j);
      n += <i32>v128.any_true(v128.or(v0, v1));
    }
    return n;
  }
  for (; j <= hi; j++) n = gather_slot(b + ((<usize>j * SLOT_F64) << 3), j, list, slots, n);
  return n;
}

/**
 * Slot j at a: if any deposit reached it (any bit set), zero it and, unless n < 0 (only zeroing),
 * append (j, hi, lo) to the list as entry n. Returns the new count, or -1 once the list is full.
 */
@inline
function gather_slot(a: usize, j: i32, list: usize, slots: usize, n: i32): i32 {
  let h: f64, l: f64;
  if (ASC_FEATURE_SIMD) {
    // set 0 [hi, lo] and set 1 [hi, lo]
    let v0 = v128.load(a), v1 = v128.load(a, 16);
    if (!v128.any_true(v128.or(v0, v1))) return n;
    v128.store(a, f64x2.splat(0));
    v128.store(a, f64x2.splat(0), 16);
    // the two sets add exactly (see src/exact.ts flushSum); lane by lane, the scalar additions
    let t = f64x2.add(v0, v1);
    h = f64x2.extract_lane(t, 0);
    l = f64x2.extract_lane(t, 1);
  } else {
    let a0 = load<f64>(a), a1 = load<f64>(a, 8), a2 = load<f64>(a, 16), a3 = load<f64>(a, 24);
    if ((reinterpret<u64>(a0) | reinterpret<u64>(a1) | reinterpret<u64>(a2) | reinterpret<u64>(a3)) == 0) return n;
    store<f64>(a, 0);
    store<f64>(a, 0, 8);
    store<f64>(a, 0, 16);
    store<f64>(a, 0, 24);
    h = a0 + a2;
    l = a1 + a3;
  }
  if (n < 0) return n;
  if (n >= ROW_SLOTS) return -1;
  store<f64>(list + (<usize>n << 4), h);
  store<f64>(list + (<usize>n << 4), l, 8);
  store<i32>(slots + (<usize>n << 2), j);
  return n + 1;
}

/** 2^e for e in [-1022, 1023] (bits). */
@inline
function pow2(e: i32): f64 {
  return reinterpret<f64>(<u64>(e + 1023) << 52);
}

// Exact two-part results of the grid readers (AS has no tuples).
let XH: f64 = 0;
let XL: f64 = 0;
let SH: f64 = 0;
let SL: f64 = 0;

/**
 * S (SH + SL) and K (XH + XL) from the S list (slots by k, weights of binade k - 1 or k), on the
 * fixed grid; false if the bound fails. K's terms k hi and k lo are products of a grid value and
 * an integer: exact when below 2^53 g, and an inexact one would exceed 2^53 g and fail the check.
 */
function sk_grid(list: usize, slots: usize, n: i32): bool {
  let k0 = load<i32>(slots) - MAIN - 1023;
  let sh: f64 = 0, sl: f64 = 0, bl: f64 = 0, kh: f64 = 0, kl: f64 = 0, bkh: f64 = 0, bkl: f64 = 0;
  for (let i = 0; i < n; i++) {
    let h = load<f64>(list + (<usize>i << 4));
    let l = load<f64>(list + (<usize>i << 4), 8);
    let k = <f64>(load<i32>(slots + (<usize>i << 2)) - MAIN - 1023);
    let th = k * h, tl = k * l;
    sh += h; // hi parts of weights are >= 0: sh is its own magnitude sum
    sl += l;
    bl += abs(l);
    kh += th;
    kl += tl;
    bkh += abs(th);
    bkl += abs(tl);
  }
  // grids: hi 2^(k0 - 26), lo 2^(k0 - 53); k0 >= -951 in region 1
  let tHi = pow2(k0 + 26), tLo = pow2(k0 - 1);
  if (!(sh < tHi && bkh < tHi && bl < tLo && bkl < tLo)) return false;
  SH = sh;
  SL = sl;
  XH = kh;
  XL = kl;
  return true;
}

/**
 * A sum by biased exponent (U, P, Q, A) as XH + XL on the fixed grid (hi 2^(e0 - 1048), lo
 * 2^(e0 - 1075), e0 the first slot's exponent); false if the bound fails.
 */
function e_grid(list: usize, slots: usize, n: i32): bool {
  if (n == 0) {
    XH = 0;
    XL = 0;
    return true;
  }
  let e0 = load<i32>(slots) - MAIN;
  if (e0 < 1 || e0 > 1900) return false; // (pow2 below stays in range; region-1 sums lie within)
  let xh: f64 = 0, xl: f64 = 0, bh: f64 = 0, bl: f64 = 0;
  for (let i = 0; i < n; i++) {
    let h = load<f64>(list + (<usize>i << 4));
    let l = load<f64>(list + (<usize>i << 4), 8);
    xh += h;
    xl += l;
    bh += abs(h);
    bl += abs(l);
  }
  if (!(bh < pow2(e0 - 996) && bl < pow2(e0 - 1023))) return false;
  XH = xh;
  XL = xl;
  return true;
}

/** S and K partials (at pS, pK) from the S list; returns nS | nK << 16, or -1 if a list is full. */
function sk_partials(list: usize, slots: usize, n: i32, pS: usize, pK: usize): i32 {
  let nS = 0, nK = 0;
  for (let i = 0; i < n; i++) {
    let hi = load<f64>(list + (<usize>i << 4));
    let lo = load<f64>(list + (<usize>i << 4), 8);
    let k = <f64>(load<i32>(slots + (<usize>i << 2)) - MAIN - 1023);
    if (hi != 0) {
      nS = msum_add(pS, nS, hi);
      let c = hi * SPLIT;
      let vh = c - (c - hi);
      nK = msum_add(pK, nK, vh * k);
      nK = msum_add(pK, nK, (hi - vh) * k);
    }
    if (lo != 0) {
      nS = msum_add(pS, nS, lo);
      let c = lo * SPLIT;
      let vh = c - (c - lo);
      nK = msum_add(pK, nK, vh * k);
      nK = msum_add(pK, nK, (lo - vh) * k);
    }
    if (nS < 0 || nK < 0) return -1;
  }
  return nS | (nK << 16);
}

/** Partials at p from a list; returns their count, or -1 if full. */
function list_partials(list: usize, n: i32, p: usize): i32 {
  let m = 0;
  for (let i = 0; i < n; i++) {
    let h = load<f64>(list + (<usize>i << 4));
    let l = load<f64>(list + (<usize>i << 4), 8);
    if (h != 0) m = msum_add(p, m, h);
    if (l != 0) m = msum_add(p, m, l);
    if (m < 0) return -1;
  }
  return m;
}

/** RN of the sum of a list (partials at p if needed); NaN if the partials overflow. */
function read_rn(list: usize, slots: usize, n: i32, p: usize): f64 {
  if (e_grid(list, slots, n)) return XH + XL;
  let m = list_partials(list, n, p);
  return m < 0 ? NaN : fsum(p, m);
}

/** DH + DL = the canonical double-double of the sum of a list; false if the partials overflow. */
function read_dd(list: usize, slots: usize, n: i32, p: usize): bool {
  if (e_grid(list, slots, n)) {
    two_sum(XH, XL);
    return true;
  }
  let m = list_partials(list, n, p);
  if (m < 0) return false;
  dd_of(p, m);
  return true;
}

/** partials[0, n) += x, exactly (src/exact.ts msumAdd). Returns the new count, or -1 if full. */
@inline
function msum_add(p: usize, n: i32, x: f64): i32 {
  if (n < 0) return n;
  let i = 0;
  for (let k = 0; k < n; k++) {
    let y = load<f64>(p + (<usize>k << 3));
    if (abs(x) < abs(y)) {
      let t = x;
      x = y;
      y = t;
    }
    let hi = x + y;
    let lo = y - (hi - x);
    if (lo != 0) {
      store<f64>(p + (<usize>i << 3), lo);
      i++;
    }
    x = hi;
  }
  if (i >= ROW_PARTIALS) return -1;
  store<f64>(p + (<usize>i << 3), x);
  return i + 1;
}

/** The correctly rounded value of partials[0, n) (src/exact.ts fsum). */
function fsum(p: usize, n: i32): f64 {
  if (n == 0) return 0;
  let hi = load<f64>(p + (<usize>(--n) << 3));
  let lo: f64 = 0;
  while (n > 0) {
    let x = hi;
    let y = load<f64>(p + (<usize>(--n) << 3));
    hi = x + y;
    let yr = hi - x;
    lo = y - yr;
    if (lo != 0) break;
  }
  if (n > 0) {
    let next = load<f64>(p + (<usize>(n - 1) << 3));
    if ((lo < 0 && next < 0) || (lo > 0 && next > 0)) {
      let y = lo * 2;
      let x = hi + y;
      let yr = x - hi;
      if (y == yr) hi = x;
    }
  }
  return hi;
}

/** DH + DL = (RN(X), RN(X - RN(X))) for the exact sum X of partials[0, n) (src/finalize.ts regionDD). */
function dd_of(p: usize, n: i32): void {
  if (n == 0) {
    DH = 0;
    DL = 0;
  } else if (n == 1) {
    DH = load<f64>(p);
    DL = 0;
  } else if (n == 2) {
    two_sum(load<f64>(p, 8), load<f64>(p));
  } else {
    let hi = fsum(p, n);
    let m = msum_add(p, n, -hi); // at most n + 1 <= ROW_PARTIALS + 1 slots
    if (m < 0) m = n + 1; // (the list was full: msum_add stored nothing; cannot happen, n < ROW_PARTIALS)
    DH = hi;
    DL = fsum(p, m);
  }
}

// Double-double arithmetic: src/math/dd.ts, the same operations in the same order.

@inline
function two_sum(a: f64, b: f64): void {
  let s = a + b;
  let bb = s - a;
  DH = s;
  DL = (a - (s - bb)) + (b - bb);
}

@inline
function dd_add(a0: f64, a1: f64, b0: f64, b1: f64): void {
  two_sum(a0, b0);
  let s = DH, e = DL;
  two_sum(a1, b1);
  let t = DH, f = DL;
  two_sum(s, e + t);
  let u = DH, g = DL;
  two_sum(u, g + f);
}

// ddAdd as values (hi and lo parts as separate expressions, each computed in locals; the compiler
// merges what they share). two_sum_lo(a, b) is the error of a + b, as two_sum computes it.

@inline
function two_sum_lo(a: f64, b: f64): f64 {
  let s = a + b;
  let bb = s - a;
  return (a - (s - bb)) + (b - bb);
}

@inline
function dd_add_hi(a0: f64, a1: f64, b0: f64, b1: f64): f64 {
  let s = a0 + b0, e = two_sum_lo(a0, b0);
  let t = a1 + b1, f = two_sum_lo(a1, b1);
  let u = s + (e + t), g = two_sum_lo(s, e + t);
  return u + (g + f);
}

@inline
function dd_add_lo(a0: f64, a1: f64, b0: f64, b1: f64): f64 {
  let s = a0 + b0, e = two_sum_lo(a0, b0);
  let t = a1 + b1, f = two_sum_lo(a1, b1);
  let u = s + (e + t), g = two_sum_lo(s, e + t);
  return two_sum_lo(u, g + f);
}
