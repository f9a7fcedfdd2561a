// shannon_rows_f64 and pair_rows_f64: entropy, cross entropy or KL of each row of a row-major
// block, finished in the kernel, so that a batch of short rows (or one short histogram) needs no
// per-row exact-sum objects.
// Twin: assembly/kernels/rows.ts (same steps). The finishes mirror src/finalize.ts (entropyFromSums,
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
// The twin's SIMD build also sums short rows without the bins (shannon_row_grid, pair_row_grid:
// running sums of the terms' split parts, exact under a per-row fixed-grid check): exact
// bookkeeping only, the same exact sums, so the same results as every row through the bins here.
import { LN2_HI, LN2_LO, log1p_near_f64, log_f64, log_k, log_z_f64 } from '../math/log';
import { highWord } from '../math/bits';
import { H_BAD_P, H_BAD_Q, H_INF, H_RANGE, MAIN, REGION_SLOTS, SLOT_F64, sum_block, type KernelState } from './exact';
import { cross_entropy_update_f64 } from './cross_entropy';
import { kl_divergence_update_f64 } from './kl_divergence';
import { shannon_update_f64 } from './shannon';

/** Partials per sum in the scratch; a row that needs more goes to the general path. */
export const ROW_PARTIALS = 64;
/** Nonzero slots per sum that a row may touch; a row that touches more goes to the general path. */
export const ROW_SLOTS = 256;
const PART_F64 = 3 * (ROW_PARTIALS + 1);
/** Scratch doubles: three partial lists of ROW_PARTIALS + 1 (S, K, U or P, Q, A), then three slot
 *  lists of ROW_SLOTS [hi, lo] pairs, then a row's sums (5, shannon_sums_f64). The slot indices
 *  live in their own Int32Array (RowScratch.slots). */
export const ROW_SCRATCH_F64 = PART_F64 + 3 * ROW_SLOTS * 2 + 5;
const SUMS_AT = PART_F64 + 3 * ROW_SLOTS * 2;

/** The row kernels' scratch: partials and slot lists (f64), and the lists' slot indices. */
export interface RowScratch {
  readonly f64: Float64Array;
  readonly slots: Int32Array;
}


const SPLIT = 134217729; // 0x1p27 + 1

// Double-double results of the helpers below (as in the twin, which has no tuples).
let DH = 0;
let DL = 0;

/**
 * Entropy of `rows` rows of `rowLength` weights at x[off], into out[r] (NaN: use the general path).
 * nobase != 0: nats; else the result is divided by the double-double ln(base) = dh + dl.
 * (The twin's SIMD build finishes two rows at a time in f64x2 lanes, entropy_finish_x2, each lane
 * performing entropy_finish; here rows are finished one by one, as the TS kernels run lanes.)
 */
export function shannon_rows_f64(
  x: Float64Array, xw: Int32Array, off: number, rows: number, rowLength: number, st: KernelState,
  scratch: RowScratch, out: Float64Array, nobase: number, dh: number, dl: number,
): void {
  const h = st.i32;
  const a = SUMS_AT;
  const f = scratch.f64;
  for (let r = 0; r < rows; r++) {
    h[H_BAD_P >> 2] = -1;
    for (let s = 0; s < 2; s++) {
      h[(H_RANGE >> 2) + 2 * s] = 0x7fffffff;
      h[(H_RANGE >> 2) + 2 * s + 1] = -1;
    }
    shannon_update_f64(x, xw, off + r * rowLength, rowLength, st);
    shannon_sums_f64(st, scratch, a);
    const sh = f[a];
    out[r] = sh !== sh ? NaN : entropy_finish(sh, f[a + 1], f[a + 2], f[a + 3], f[a + 4], nobase, dh, dl);
  }
}

/**
 * Zero the touched bins of the row just run and, for a region-1 row, write its sums at
 * scratch.f64[a]: the canonical S = sh + sl and K = kh + kl, and RN(U), as [sh, sl, kh, kl, um];
 * else sh = NaN.
 */
export function shannon_sums_f64(st: KernelState, scratch: RowScratch, a: number): void {
  const out = scratch.f64;
  out[a] = NaN;
  const general = st.i32[H_BAD_P >> 2] >= 0;
  const nS = gather_sum(st, scratch, 0, general);
  // (the twin first sweeps the part of U's range far below the weights; TS ranges are exact)
  const nU = gather_sum(st, scratch, 1, general || nS <= 0);
  if (general || nS <= 0 || nU < 0) return;
  const p = scratch.f64;
  // S and K as canonical double-doubles (src/finalize.ts extendedDD; region 1, so e = 0)
  // extendedDD adds region 0's [+0, +0] to region 1's value: a renormalizing ddAdd, which can move
  // a half-ulp tie of (RN(X), RN(X - RN(X))) to the other representation, so it is done here too.
  let sh: number, sl: number, k0: number, k1: number, kh = 0, kl = 0; // K = 0: the general path takes region 0's [+0, +0]
  if (sk_grid(scratch, nS)) {
    // the canonical double-doubles of SH + SL and XH + XL (exact sums): TwoSum
    const s0 = SH + SL, s1 = two_sum_lo(SH, SL);
    sh = dd_add_hi(s0, s1, 0, 0);
    sl = dd_add_lo(s0, s1, 0, 0);
    k0 = XH + XL;
    k1 = two_sum_lo(XH, XL);
  } else {
    const pS = 0, pK = ROW_PARTIALS + 1;
    const n = sk_partials(scratch, nS, pS, pK);
    if (n < 0) return;
    dd_of(p, pS, n & 0xffff);
    dd_add(DH, DL, 0, 0);
    sh = DH;
    sl = DL;
    dd_of(p, pK, n >>> 16);
    k0 = DH;
    k1 = DL;
  }
  if (sh === 0) return; // (cannot happen for non-negative weights; the general path decides)
  if (k0 !== 0) {
    kh = dd_add_hi(k0, k1, 0, 0);
    kl = dd_add_lo(k0, k1, 0, 0);
  }
  // U/S (src/finalize.ts extended: U = 0 gives +0)
  const um = read_rn(scratch, 1, nU, 2 * (ROW_PARTIALS + 1));
  if (um !== um) return;
  out[a] = sh;
  out[a + 1] = sl;
  out[a + 2] = kh;
  out[a + 3] = kl;
  out[a + 4] = um;
}

/**
 * H from the canonical S = sh + sl, K = kh + kl and RN(U) (src/finalize.ts entropyFromSums, then
 * inBase), written out step by step into locals: ddDiv(K, S), ddAdd([kS, 0], -ratio),
 * twoSum(lzS, -U/S), ddMul(LN2, bits), ddAdd, then ddDiv by ln(base), each the operations of
 * src/math/dd.ts (twoSum, ddAdd, ddMul, ddDiv) in their order: the twin's body, line for line (test/agreement/rows-paths.test.ts checks it).
 */
function entropy_finish(sh: number, sl: number, kh: number, kl: number, um: number, nobase: number, dh: number, dl: number): number {
  const uOverS = um === 0 ? 0 : um / sh;
  const hw = highWord(sh);
  const kS = log_k(hw);
  // kS - K/S
  // dd_div(kh, kl, sh, sl)
  const q1 = kh / sh;
  // dd_mul(sh, sl, q1, 0)
  const p2 = sh * q1;
  const t3 = SPLIT * sh;
  const h4 = t3 - (t3 - sh);
  const l5 = sh - h4;
  const t6 = SPLIT * q1;
  const h7 = t6 - (t6 - q1);
  const l8 = q1 - h7;
  const m9 = ((h4 * h7 - p2) + h4 * l8 + l5 * h7) + l5 * l8;
  const c10 = m9 + (sh * 0 + sl * q1);
  const s11 = p2 + c10;
  const b12 = s11 - p2;
  const e13 = (p2 - (s11 - b12)) + (c10 - b12);
  // dd_add(kh, kl, -s11, -e13)
  const s14 = kh + -s11;
  const b15 = s14 - kh;
  const e16 = (kh - (s14 - b15)) + (-s11 - b15);
  const s17 = kl + -e13;
  const b18 = s17 - kl;
  const e19 = (kl - (s17 - b18)) + (-e13 - b18);
  const x20 = e16 + s17;
  const s21 = s14 + x20;
  const b22 = s21 - s14;
  const e23 = (s14 - (s21 - b22)) + (x20 - b22);
  const y24 = e23 + e19;
  const s25 = s21 + y24;
  const b26 = s25 - s21;
  const e27 = (s21 - (s25 - b26)) + (y24 - b26);
  const q28 = s25 / sh;
  // dd_mul(sh, sl, q28, 0)
  const p29 = sh * q28;
  const t30 = SPLIT * sh;
  const h31 = t30 - (t30 - sh);
  const l32 = sh - h31;
  const t33 = SPLIT * q28;
  const h34 = t33 - (t33 - q28);
  const l35 = q28 - h34;
  const m36 = ((h31 * h34 - p29) + h31 * l35 + l32 * h34) + l32 * l35;
  const c37 = m36 + (sh * 0 + sl * q28);
  const s38 = p29 + c37;
  const b39 = s38 - p29;
  const e40 = (p29 - (s38 - b39)) + (c37 - b39);
  // dd_add(s25, e27, -s38, -e40)
  const s41 = s25 + -s38;
  const b42 = s41 - s25;
  const e43 = (s25 - (s41 - b42)) + (-s38 - b42);
  const s44 = e27 + -e40;
  const b45 = s44 - e27;
  const e46 = (e27 - (s44 - b45)) + (-e40 - b45);
  const x47 = e43 + s44;
  const s48 = s41 + x47;
  const b49 = s48 - s41;
  const e50 = (s41 - (s48 - b49)) + (x47 - b49);
  const y51 = e50 + e46;
  const s52 = s48 + y51;
  const b53 = s52 - s48;
  const e54 = (s48 - (s52 - b53)) + (y51 - b53);
  const q55 = s52 / sh;
  // two_sum(q1, q28)
  const s56 = q1 + q28;
  const b57 = s56 - q1;
  const e58 = (q1 - (s56 - b57)) + (q28 - b57);
  // dd_add(s56, e58, q55, 0)
  const s59 = s56 + q55;
  const b60 = s59 - s56;
  const e61 = (s56 - (s59 - b60)) + (q55 - b60);
  const s62 = e58 + 0;
  const b63 = s62 - e58;
  const e64 = (e58 - (s62 - b63)) + (0 - b63);
  const x65 = e61 + s62;
  const s66 = s59 + x65;
  const b67 = s66 - s59;
  const e68 = (s59 - (s66 - b67)) + (x65 - b67);
  const y69 = e68 + e64;
  const s70 = s66 + y69;
  const b71 = s70 - s66;
  const e72 = (s66 - (s70 - b71)) + (y69 - b71);
  // dd_add(kS, 0, -s70, -e72)
  const s73 = kS + -s70;
  const b74 = s73 - kS;
  const e75 = (kS - (s73 - b74)) + (-s70 - b74);
  const s76 = 0 + -e72;
  const b77 = s76 - 0;
  const e78 = (0 - (s76 - b77)) + (-e72 - b77);
  const x79 = e75 + s76;
  const s80 = s73 + x79;
  const b81 = s80 - s73;
  const e82 = (s73 - (s80 - b81)) + (x79 - b81);
  const y83 = e82 + e78;
  const s84 = s80 + y83;
  const b85 = s84 - s80;
  const e86 = (s80 - (s84 - b85)) + (y83 - b85);
  // log_z(S) to first order in sl, minus U/S
  const lzS = log_z_f64(sh, hw) + sl / sh;
  // two_sum(lzS, -uOverS)
  const s87 = lzS + -uOverS;
  const b88 = s87 - lzS;
  const e89 = (lzS - (s87 - b88)) + (-uOverS - b88);
  // dd_mul(LN2_HI, LN2_LO, s84, e86)
  const p90 = LN2_HI * s84;
  const t91 = SPLIT * LN2_HI;
  const h92 = t91 - (t91 - LN2_HI);
  const l93 = LN2_HI - h92;
  const t94 = SPLIT * s84;
  const h95 = t94 - (t94 - s84);
  const l96 = s84 - h95;
  const m97 = ((h92 * h95 - p90) + h92 * l96 + l93 * h95) + l93 * l96;
  const c98 = m97 + (LN2_HI * e86 + LN2_LO * s84);
  const s99 = p90 + c98;
  const b100 = s99 - p90;
  const e101 = (p90 - (s99 - b100)) + (c98 - b100);
  // dd_add(s99, e101, s87, e89)
  const s102 = s99 + s87;
  const b103 = s102 - s99;
  const e104 = (s99 - (s102 - b103)) + (s87 - b103);
  const s105 = e101 + e89;
  const b106 = s105 - e101;
  const e107 = (e101 - (s105 - b106)) + (e89 - b106);
  const x108 = e104 + s105;
  const s109 = s102 + x108;
  const b110 = s109 - s102;
  const e111 = (s102 - (s109 - b110)) + (x108 - b110);
  const y112 = e111 + e107;
  const s113 = s109 + y112;
  const b114 = s113 - s109;
  const e115 = (s109 - (s113 - b114)) + (y112 - b114);
  const h0 = s113, h1 = e115;
  if (!(h0 + h1 > 0)) return 0;
  if (nobase !== 0) return h0 + h1;
  // dd_div(h0, h1, dh, dl)
  const q116 = h0 / dh;
  // dd_mul(dh, dl, q116, 0)
  const p117 = dh * q116;
  const t118 = SPLIT * dh;
  const h119 = t118 - (t118 - dh);
  const l120 = dh - h119;
  const t121 = SPLIT * q116;
  const h122 = t121 - (t121 - q116);
  const l123 = q116 - h122;
  const m124 = ((h119 * h122 - p117) + h119 * l123 + l120 * h122) + l120 * l123;
  const c125 = m124 + (dh * 0 + dl * q116);
  const s126 = p117 + c125;
  const b127 = s126 - p117;
  const e128 = (p117 - (s126 - b127)) + (c125 - b127);
  // dd_add(h0, h1, -s126, -e128)
  const s129 = h0 + -s126;
  const b130 = s129 - h0;
  const e131 = (h0 - (s129 - b130)) + (-s126 - b130);
  const s132 = h1 + -e128;
  const b133 = s132 - h1;
  const e134 = (h1 - (s132 - b133)) + (-e128 - b133);
  const x135 = e131 + s132;
  const s136 = s129 + x135;
  const b137 = s136 - s129;
  const e138 = (s129 - (s136 - b137)) + (x135 - b137);
  const y139 = e138 + e134;
  const s140 = s136 + y139;
  const b141 = s140 - s136;
  const e142 = (s136 - (s140 - b141)) + (y139 - b141);
  const q143 = s140 / dh;
  // dd_mul(dh, dl, q143, 0)
  const p144 = dh * q143;
  const t145 = SPLIT * dh;
  const h146 = t145 - (t145 - dh);
  const l147 = dh - h146;
  const t148 = SPLIT * q143;
  const h149 = t148 - (t148 - q143);
  const l150 = q143 - h149;
  const m151 = ((h146 * h149 - p144) + h146 * l150 + l147 * h149) + l147 * l150;
  const c152 = m151 + (dh * 0 + dl * q143);
  const s153 = p144 + c152;
  const b154 = s153 - p144;
  const e155 = (p144 - (s153 - b154)) + (c152 - b154);
  // dd_add(s140, e142, -s153, -e155)
  const s156 = s140 + -s153;
  const b157 = s156 - s140;
  const e158 = (s140 - (s156 - b157)) + (-s153 - b157);
  const s159 = e142 + -e155;
  const b160 = s159 - e142;
  const e161 = (e142 - (s159 - b160)) + (-e155 - b160);
  const x162 = e158 + s159;
  const s163 = s156 + x162;
  const b164 = s163 - s156;
  const e165 = (s156 - (s163 - b164)) + (x162 - b164);
  const y166 = e165 + e161;
  const s167 = s163 + y166;
  const b168 = s167 - s163;
  const e169 = (s163 - (s167 - b168)) + (y166 - b168);
  const q170 = s167 / dh;
  // two_sum(q116, q143)
  const s171 = q116 + q143;
  const b172 = s171 - q116;
  const e173 = (q116 - (s171 - b172)) + (q143 - b172);
  // dd_add(s171, e173, q170, 0)
  const s174 = s171 + q170;
  const b175 = s174 - s171;
  const e176 = (s171 - (s174 - b175)) + (q170 - b175);
  const s177 = e173 + 0;
  const b178 = s177 - e173;
  const e179 = (e173 - (s177 - b178)) + (0 - b178);
  const x180 = e176 + s177;
  const s181 = s174 + x180;
  const b182 = s181 - s174;
  const e183 = (s174 - (s181 - b182)) + (x180 - b182);
  const y184 = e183 + e179;
  const s185 = s181 + y184;
  const b186 = s185 - s181;
  const e187 = (s181 - (s185 - b186)) + (y184 - b186);
  return s185 + e187;
}

/**
 * Cross entropy (kl == 0) or KL divergence (kl != 0) of `rows` row pairs of `rowLength` values at
 * px[off] and qx[off], into out[r] (NaN: use the general path). nobase != 0: nats; else the result
 * is divided by d = log_f64(base), as inBase does.
 */
export function pair_rows_f64(
  px: Float64Array, pw: Int32Array, qx: Float64Array, qw: Int32Array, off: number, rows: number,
  rowLength: number, st: KernelState, scratch: RowScratch, out: Float64Array, kl: number, nobase: number, d: number,
): void {
  const h = st.i32;
  for (let r = 0; r < rows; r++) {
    h[H_BAD_P >> 2] = -1;
    h[H_BAD_Q >> 2] = -1;
    h[H_INF >> 2] = 0;
    for (let s = 0; s < 3; s++) {
      h[(H_RANGE >> 2) + 2 * s] = 0x7fffffff;
      h[(H_RANGE >> 2) + 2 * s + 1] = -1;
    }
    const o = off + r * rowLength;
    if (kl !== 0) kl_divergence_update_f64(px, pw, qx, qw, o, rowLength, st);
    else cross_entropy_update_f64(px, pw, qx, qw, o, rowLength, st);
    out[r] = pair_finish_f64(st, scratch, kl, nobase, d);
  }
}

/** Zero the touched bins of the row pair just run and, for a region-1 row, its measure (else NaN). */
export function pair_finish_f64(st: KernelState, scratch: RowScratch, kl: number, nobase: number, d: number): number {
  const h = st.i32;
  const general = h[H_BAD_P >> 2] >= 0 || h[H_BAD_Q >> 2] >= 0;
  const n0 = gather_sum(st, scratch, 0, general);
  const n1 = gather_sum(st, scratch, 1, general || n0 < 0);
  const n2 = gather_sum(st, scratch, 2, general || n0 < 0 || n1 < 0);
  if (general || n0 <= 0 || n1 <= 0 || n2 < 0) return NaN;
  const pP = 0, pQ = ROW_PARTIALS + 1, pA = 2 * (ROW_PARTIALS + 1);
  let nats: number;
  if (h[H_INF >> 2] !== 0) {
    nats = Infinity;
  } else if (kl === 0) {
    // crossEntropyFromSums: ratio = A/P; ln Q as lnParts(q.m, 0)
    const pm = read_rn(scratch, 0, n0, pP);
    const qm = read_rn(scratch, 1, n1, pQ);
    const am = read_rn(scratch, 2, n2, pA);
    if (pm !== pm || qm !== qm || am !== am) return NaN;
    const ratio = am === 0 ? 0 : am / pm;
    const lnHi = 0 * LN2_HI;
    const lnLo = log_f64(qm) + 0 * LN2_LO;
    const x = (lnHi - ratio) + lnLo;
    nats = x > 0 ? x : 0;
  } else {
    // klDivergenceFromSums, with extendedDD's renormalizing ddAdd of region 0's [+0, +0]
    if (!read_dd(scratch, 0, n0, pP)) return NaN;
    const p0 = dd_add_hi(DH, DL, 0, 0), p1 = dd_add_lo(DH, DL, 0, 0);
    if (!read_dd(scratch, 1, n1, pQ)) return NaN;
    const q0 = dd_add_hi(DH, DL, 0, 0), q1 = dd_add_lo(DH, DL, 0, 0);
    const dm = read_rn(scratch, 2, n2, pA);
    if (dm !== dm) return NaN;
    const pm = p0 + p1;
    const ratio = dm === 0 ? 0 : dm / pm;
    const r = (dd_add_hi(q0, q1, -p0, -p1) + dd_add_lo(q0, q1, -p0, -p1)) / pm;
    let lnQP: number;
    if (r >= -0.0625 && r < 0.064697265625) {
      lnQP = log1p_near_f64(r);
    } else {
      lnQP = 0 * LN2_HI + ((log_f64(q0 + q1) - log_f64(pm)) + 0 * LN2_LO);
    }
    const x = ratio + lnQP;
    nats = x > 0 ? x : 0;
  }
  if (nats === 0) return 0;
  return nobase !== 0 ? nats : nats / d;
}

// Reading a row's sums (as in the twin, which explains the fixed grid): gather_sum moves the
// nonzero slots of a sum into a compact list of (slot, hi, lo), zeroing them; the list is then read
// on the fixed grid when the bound holds, else through Shewchuk partials. Both are exact, so the
// choice never shows in a result. TS slots of U and A may lie up to three binades below their
// values' exponents (see term_slot in ./exact.ts): the grid of a slot is then still a lower bound.

/** Double index of list s in scratch.f64 (ROW_SLOTS entries of [hi, lo]). */
function list_at(s: number): number {
  return PART_F64 + s * ROW_SLOTS * 2;
}

/**
 * Move the nonzero slots of sum s (its touched range) into list s in slot order, zeroing them.
 * Returns the entry count, or -1 if skip (only zero), if the range leaves region 1, or if the list
 * is full. A slot is nonzero if a word is != 0 (TS: -0 counts as zero and stays; it adds nothing,
 * and the twin's list may hold it: lists may differ, their exact values cannot).
 */
function gather_sum(st: KernelState, scratch: RowScratch, s: number, skip: boolean): number {
  const R = (H_RANGE >> 2) + 2 * s;
  const lo = st.i32[R], hi = st.i32[R + 1];
  if (hi >= 0 && (lo < MAIN || hi >= MAIN + REGION_SLOTS)) skip = true;
  const f = st.f64;
  const b = sum_block(s);
  const list = scratch.f64, at = list_at(s), slots = scratch.slots, js = s * ROW_SLOTS;
  let n = skip ? -1 : 0;
  for (let j = lo; j <= hi; j++) {
    const a = b + j * SLOT_F64;
    const a0 = f[a], a1 = f[a + 1], a2 = f[a + 2], a3 = f[a + 3];
    if (a0 === 0 && a1 === 0 && a2 === 0 && a3 === 0) continue;
    f[a] = 0;
    f[a + 1] = 0;
    f[a + 2] = 0;
    f[a + 3] = 0;
    if (n < 0) continue;
    if (n >= ROW_SLOTS) {
      n = -1;
      continue;
    }
    // the two sets add exactly (see src/exact.ts flushSum)
    list[at + 2 * n] = a0 + a2;
    list[at + 2 * n + 1] = a1 + a3;
    slots[js + n] = j;
    n++;
  }
  return n;
}

/** 2^e for e in [-1022, 1023] (exact). */
function pow2(e: number): number {
  return POW2[e + 1022];
}
const POW2 = (() => {
  const t = new Float64Array(2046);
  let x = 1;
  for (let e = 0; e <= 1023; e++, x *= 2) t[e + 1022] = x;
  x = 1;
  for (let e = 0; e >= -1022; e--, x /= 2) t[e + 1022] = x;
  return t;
})();

// Exact two-part results of the grid readers (as in the twin).
let XH = 0;
let XL = 0;
let SH = 0;
let SL = 0;

/** S (SH + SL) and K (XH + XL) from the S list on the fixed grid; false if the bound fails. */
function sk_grid(scratch: RowScratch, n: number): boolean {
  const list = scratch.f64, at = list_at(0), slots = scratch.slots;
  const k0 = slots[0] - MAIN - 1023;
  let sh = 0, sl = 0, bl = 0, kh = 0, kl = 0, bkh = 0, bkl = 0;
  for (let i = 0; i < n; i++) {
    const h = list[at + 2 * i];
    const l = list[at + 2 * i + 1];
    const k = slots[i] - MAIN - 1023;
    const th = k * h, tl = k * l;
    sh += h; // hi parts of weights are >= 0: sh is its own magnitude sum
    sl += l;
    bl += Math.abs(l);
    kh += th;
    kl += tl;
    bkh += Math.abs(th);
    bkl += Math.abs(tl);
  }
  // grids: hi 2^(k0 - 26), lo 2^(k0 - 53); k0 >= -951 in region 1
  const tHi = pow2(k0 + 26), tLo = pow2(k0 - 1);
  if (!(sh < tHi && bkh < tHi && bl < tLo && bkl < tLo)) return false;
  SH = sh;
  SL = sl;
  XH = kh;
  XL = kl;
  return true;
}

/** A sum by biased exponent (U, P, Q, A) as XH + XL on the fixed grid; false if the bound fails. */
function e_grid(scratch: RowScratch, s: number, n: number): boolean {
  if (n === 0) {
    XH = 0;
    XL = 0;
    return true;
  }
  const list = scratch.f64, at = list_at(s);
  const e0 = scratch.slots[s * ROW_SLOTS] - MAIN;
  if (e0 < 1 || e0 > 1900) return false; // (pow2 below stays in range; region-1 sums lie within)
  let xh = 0, xl = 0, bh = 0, bl = 0;
  for (let i = 0; i < n; i++) {
    const h = list[at + 2 * i];
    const l = list[at + 2 * i + 1];
    xh += h;
    xl += l;
    bh += Math.abs(h);
    bl += Math.abs(l);
  }
  if (!(bh < pow2(e0 - 996) && bl < pow2(e0 - 1023))) return false;
  XH = xh;
  XL = xl;
  return true;
}

/** S and K partials (at pS, pK of scratch.f64) from the S list; returns nS | nK << 16, or -1 if full. */
function sk_partials(scratch: RowScratch, n: number, pS: number, pK: number): number {
  const p = scratch.f64, at = list_at(0), slots = scratch.slots;
  let nS = 0, nK = 0;
  for (let i = 0; i < n; i++) {
    const hi = p[at + 2 * i];
    const lo = p[at + 2 * i + 1];
    const k = slots[i] - MAIN - 1023;
    if (hi !== 0) {
      nS = msum_add(p, pS, nS, hi);
      const c = hi * SPLIT;
      const vh = c - (c - hi);
      nK = msum_add(p, pK, nK, vh * k);
      nK = msum_add(p, pK, nK, (hi - vh) * k);
    }
    if (lo !== 0) {
      nS = msum_add(p, pS, nS, lo);
      const c = lo * SPLIT;
      const vh = c - (c - lo);
      nK = msum_add(p, pK, nK, vh * k);
      nK = msum_add(p, pK, nK, (lo - vh) * k);
    }
    if (nS < 0 || nK < 0) return -1;
  }
  return nS | (nK << 16);
}

/** Partials at scratch.f64[pp] from list s; returns their count, or -1 if full. */
function list_partials(scratch: RowScratch, s: number, n: number, pp: number): number {
  const p = scratch.f64, at = list_at(s);
  let m = 0;
  for (let i = 0; i < n; i++) {
    const h = p[at + 2 * i];
    const l = p[at + 2 * i + 1];
    if (h !== 0) m = msum_add(p, pp, m, h);
    if (l !== 0) m = msum_add(p, pp, m, l);
    if (m < 0) return -1;
  }
  return m;
}

/** RN of the sum of list s (partials at pp if needed); NaN if the partials overflow. */
function read_rn(scratch: RowScratch, s: number, n: number, pp: number): number {
  if (e_grid(scratch, s, n)) return XH + XL;
  const m = list_partials(scratch, s, n, pp);
  return m < 0 ? NaN : fsum(scratch.f64, pp, m);
}

/** DH + DL = the canonical double-double of the sum of list s; false if the partials overflow. */
function read_dd(scratch: RowScratch, s: number, n: number, pp: number): boolean {
  if (e_grid(scratch, s, n)) {
    two_sum(XH, XL);
    return true;
  }
  const m = list_partials(scratch, s, n, pp);
  if (m < 0) return false;
  dd_of(scratch.f64, pp, m);
  return true;
}

/** partials p[at, at + n) += x, exactly (src/exact.ts msumAdd). Returns the new count, or -1 if full. */
function msum_add(p: Float64Array, at: number, n: number, x: number): number {
  if (n < 0) return n;
  let i = 0;
  for (let k = 0; k < n; k++) {
    let y = p[at + k];
    if (Math.abs(x) < Math.abs(y)) {
      const t = x;
      x = y;
      y = t;
    }
    const hi = x + y;
    const lo = y - (hi - x);
    if (lo !== 0) p[at + i++] = lo;
    x = hi;
  }
  if (i >= ROW_PARTIALS) return -1;
  p[at + i] = x;
  return i + 1;
}

/** The correctly rounded value of p[at, at + n) (src/exact.ts fsum). */
function fsum(p: Float64Array, at: number, n: number): number {
  if (n === 0) return 0;
  let hi = p[at + --n];
  let lo = 0;
  while (n > 0) {
    const x = hi;
    const y = p[at + --n];
    hi = x + y;
    const yr = hi - x;
    lo = y - yr;
    if (lo !== 0) break;
  }
  if (n > 0) {
    const next = p[at + n - 1];
    if ((lo < 0 && next < 0) || (lo > 0 && next > 0)) {
      const y = lo * 2;
      const x = hi + y;
      const yr = x - hi;
      if (y === yr) hi = x;
    }
  }
  return hi;
}

/** DH + DL = (RN(X), RN(X - RN(X))) for the exact sum X of p[at, at + n) (src/finalize.ts regionDD). */
function dd_of(p: Float64Array, at: number, n: number): void {
  if (n === 0) {
    DH = 0;
    DL = 0;
  } else if (n === 1) {
    DH = p[at];
    DL = 0;
  } else if (n === 2) {
    two_sum(p[at + 1], p[at]);
  } else {
    const hi = fsum(p, at, n);
    let m = msum_add(p, at, n, -hi); // at most n + 1 <= ROW_PARTIALS + 1 slots
    if (m < 0) m = n + 1; // (the list was full: msum_add stored nothing; cannot happen, n < ROW_PARTIALS)
    DH = hi;
    DL = fsum(p, at, m);
  }
}

// Double-double arithmetic: src/math/dd.ts, the same operations in the same order, without tuples.

function two_sum(a: number, b: number): void {
  const s = a + b;
  const bb = s - a;
  DH = s;
  DL = (a - (s - bb)) + (b - bb);
}

function dd_add(a0: number, a1: number, b0: number, b1: number): void {
  two_sum(a0, b0);
  const s = DH, e = DL;
  two_sum(a1, b1);
  const t = DH, f = DL;
  two_sum(s, e + t);
  const u = DH, g = DL;
  two_sum(u, g + f);
}

// ddAdd as values (hi and lo parts as separate expressions, each computed in locals; the compiler
// merges what they share). two_sum_lo(a, b) is the error of a + b, as two_sum computes it.

function two_sum_lo(a: number, b: number): number {
  const s = a + b;
  const bb = s - a;
  return (a - (s - bb)) + (b - bb);
}

function dd_add_hi(a0: number, a1: number, b0: number, b1: number): number {
  const s = a0 + b0, e = two_sum_lo(a0, b0);
  const t = a1 + b1, f = two_sum_lo(a1, b1);
  const u = s + (e + t), g = two_sum_lo(s, e + t);
  return u + (g + f);
}

function dd_add_lo(a0: number, a1: number, b0: number, b1: number): number {
  const s = a0 + b0, e = two_sum_lo(a0, b0);
  const t = a1 + b1, f = two_sum_lo(a1, b1);
  const u = s + (e + t), g = two_sum_lo(s, e + t);
  return two_sum_lo(u, g + f);
}
