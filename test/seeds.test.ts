// The worked examples of the two seed documents (Korean lecture notes, kept with the project
// brief), on both engines:
//   [CE]  000_f86fb44cf9532e30.txt "Cross Entropy": entropy, cross entropy as a loss.
//   [ENT] 001_fc6ae26cfe3f1fd5.txt "엔트로피": entropy in bits, maximum entropy, code length,
//         estimation from counts, joint and conditional entropy, cross entropy, KL divergence.
//
// How each expected value is checked:
//   - a closed form (log2 3 - 2/3, ...) is computed HERE with Math.log / Math.log2 of simple
//     fractions, never with the library, and compared within REL = 1e-15 relative;
//   - a figure the document prints rounded (0.72, 0.81, ...) is compared within half a unit of
//     its last printed digit (document precision);
//   - a result that is exact by construction (0, +Infinity, the pinned cross entropy) uses toBe.
// Not covered, because the API has no such measure: Gini impurity ([ENT] "지니불순도") and the
// CE-vs-MSE comparison ([CE], whose numbers are in an image the document does not reproduce).
import { describe, expect, it } from 'vitest';
import { ENGINES } from './helpers/engines';
import { nextUp } from './helpers/bits';

const BITS = { base: 2 };
const REL = 1e-15;

/** |actual - exact| <= rel * |exact| (exact != 0). */
function expectRel(actual: number, exact: number, rel = REL): void {
  expect(Math.abs(actual - exact), `${actual} vs ${exact}`).toBeLessThanOrEqual(rel * Math.abs(exact));
}

/**
 * Within half a unit of the last digit of a figure printed rounded to `decimals` decimals, or, for
 * a figure printed truncated, in [printed, printed + one unit of the last digit).
 */
function expectPrinted(actual: number, printed: number, decimals: number, truncated = false): void {
  const unit = 10 ** -decimals;
  if (truncated) {
    expect(actual, `${actual} vs ${printed}...`).toBeGreaterThanOrEqual(printed);
    expect(actual - printed, `${actual} vs ${printed}...`).toBeLessThan(unit);
  } else {
    expect(Math.abs(actual - printed), `${actual} vs ${printed}`).toBeLessThanOrEqual(0.5 * unit);
  }
}

describe.each(ENGINES)('seed examples on %s', (_name, e) => {
  describe('[CE] cross entropy as a loss (natural log, nats)', () => {
    it('y = [1, 0, 0], q = [0.7, 0.1, 0.2] gives 0.35667494393873245 nats', () => {
      const ce = e.crossEntropy([1, 0, 0], [0.7, 0.1, 0.2]);
      // Only label 1 counts: CE = -1 * ln(0.7). The pinned double is -ln(0.7) correctly rounded
      // (the exact value is 0.356674943938732442...). The weights of q sum to 1 - 2.8e-17 exactly,
      // not 1, but that sum rounds to 1 before its log is taken, so the result is -log_f64(0.7).
      expect(ce).toBe(0.35667494393873245);
      // Math.log is the engine's own log, not ours: agreement within 1 ulp, not bit for bit.
      const ref = -Math.log(0.7);
      expect(Math.abs(ce - ref)).toBeLessThanOrEqual(nextUp(ref) - ref);
      // The document prints 0.35667494393: 11 decimals, truncated (rounded would end in ...394).
      expectPrinted(ce, 0.35667494393, 11, true);
    });

    it('a completely wrong prediction (q = 0 where p = 1) gives +Infinity', () => {
      expect(e.crossEntropy([1, 0, 0], [0, 1, 0])).toBe(Infinity);
      expect(e.klDivergence([1, 0, 0], [0, 1, 0])).toBe(Infinity);
    });

    it('a perfect prediction gives 0, which is then also the entropy of y', () => {
      expect(e.crossEntropy([1, 0, 0], [1, 0, 0])).toBe(0);
      expect(e.entropy([1, 0, 0])).toBe(0);
      expect(e.klDivergence([1, 0, 0], [1, 0, 0])).toBe(0);
    });

    it('as the prediction approaches y, CE falls towards H(y) and never below it', () => {
      const y = [1, 0, 0];
      const qs = [[0.2, 0.5, 0.3], [0.7, 0.1, 0.2], [0.9, 0.05, 0.05], [0.99, 0.005, 0.005], [1, 0, 0]];
      const ce = qs.map((q) => e.crossEntropy(y, q));
      for (let i = 1; i < ce.length; i++) expect(ce[i]).toBeLessThan(ce[i - 1]);
      // CE = -ln q_1 (these q sum to 1 within 3e-17)
      for (let i = 0; i < 3; i++) expectRel(ce[i], -Math.log(qs[i][0]));
      expect(ce[ce.length - 1]).toBe(0);
      for (const c of ce) expect(c).toBeGreaterThanOrEqual(e.entropy(y));
    });

    it('decision-tree impurity in bits: one class gives 0, an even split gives 1', () => {
      expect(e.entropy([12, 0], BITS)).toBe(0);
      // Counts other than powers of two are normalized by a sum whose log is rounded, so an even
      // split of 12 examples gives 1 within an ulp or two, not always 1 exactly.
      expectRel(e.entropy([6, 6], BITS), 1);
      expectRel(e.entropy([5, 5, 5, 5], BITS), 2);
    });

    it('information of independent events adds: two fair coins carry twice one coin', () => {
      const coin = e.entropy([0.5, 0.5], BITS);
      const twoCoins = e.entropy([0.25, 0.25, 0.25, 0.25], BITS); // outer product of two coins
      expect(coin).toBe(1);
      expect(twoCoins).toBe(2);
      // The same with an uneven pair: H(X, Y) = H(X) + H(Y) for independent X, Y.
      const p = [0.8, 0.2];
      const q = [0.75, 0.25];
      const joint = p.flatMap((a) => q.map((b) => a * b));
      expectRel(e.entropy(joint, BITS), (Math.log2(5) - 1.6) + (2 - 0.75 * Math.log2(3)));
    });
  });

  describe('[ENT] entropy in bits', () => {
    it('Y1 = (0.5, 0.5) gives 1 bit', () => {
      expect(e.entropy([0.5, 0.5], BITS)).toBe(1);
    });

    it('Y2 = (0.8, 0.2) gives 0.7219280948873623 bits (document: 0.72)', () => {
      const h = e.entropy([0.8, 0.2], BITS);
      // numpy's -0.8*log2(0.8) - 0.2*log2(0.2), as the document prints it (In [2])
      expect(Math.abs(h - 0.7219280948873623)).toBeLessThanOrEqual(1e-15);
      // closed form: 0.8 (log2 5 - 2) + 0.2 log2 5 = log2 5 - 1.6
      expectRel(h, Math.log2(5) - 1.6);
      expectPrinted(h, 0.72, 2);
    });

    it('Y3 = (1, 0) gives 0: the limit 0 log 0 = 0, not an epsilon', () => {
      expect(e.entropy([1, 0], BITS)).toBe(0);
      expect(e.entropy([1.0, 0.0], BITS)).toBe(0);
      // The document shows what an epsilon in place of 0 does (In [3]): numpy's
      // -1 log2 1 - eps log2 eps = 52 eps = 1.1546319456101628e-14, from weights (1, eps) that it
      // does not normalize. Normalized by their sum 1 + eps they have entropy
      // 52 eps / (1 + eps) + log2(1 + eps): tiny, but not the 0 of the limit.
      const eps = Number.EPSILON;
      const numpy = 1.1546319456101628e-14;
      expect(52 * eps).toBe(numpy);
      const h = e.entropy([1, eps], BITS);
      expect(h).toBeGreaterThan(0);
      expectRel(h, numpy / (1 + eps) + Math.log2(1 + eps));
    });

    it('maximum entropy: 2^K equally likely classes give K bits', () => {
      for (const K of [1, 2, 3, 4, 8, 10, 16]) {
        const h = e.entropy(new Float64Array(2 ** K).fill(1), BITS);
        expectRel(h, K);
      }
      // the readers' Q&A below the document: four values at 25% each give 2 bits
      expectRel(e.entropy([0.25, 0.25, 0.25, 0.25], BITS), 2);
      // and any other histogram on 2^K bins stays below K
      expect(e.entropy([0.1, 0.2, 0.3, 0.4], BITS)).toBeLessThan(2);
    });

    it('lossless coding: A, B, C, D with probabilities 1/2, 1/4, 1/8, 1/8 need 1.75 bits a letter', () => {
      const p = [1 / 2, 1 / 4, 1 / 8, 1 / 8];
      const h = e.entropy(p, BITS);
      expectRel(h, 1.75);
      // the variable-length code A = 0, B = 10, C = 110, D = 111 reaches it: 1000 letters, 1750 bits
      const code = ['0', '10', '110', '111'];
      const average = p.reduce((s, pi, i) => s + pi * code[i].length, 0);
      expect(average).toBe(1.75);
      expectRel(1000 * h, 1750);
      // fixed-length coding (00, 01, 10, 11) needs 2 bits, the maximum entropy of 4 letters
      expectRel(e.entropy([1, 1, 1, 1], BITS), 2);
    });

    it('exercise 18.4.1: eight letters with 1/2, 1/4, 1/8, 1/16, 1/64 x 4 need 2 bits a letter', () => {
      const p = [1 / 2, 1 / 4, 1 / 8, 1 / 16, 1 / 64, 1 / 64, 1 / 64, 1 / 64];
      // closed form: sum p log2(1/p) = 1/2*1 + 1/4*2 + 1/8*3 + 1/16*4 + 4 * 1/64*6 = 2
      expectRel(e.entropy(p, BITS), 2);
      // a prefix code with lengths log2(1/p) (our answer to the exercise) attains it
      const code = ['0', '10', '110', '1110', '111100', '111101', '111110', '111111'];
      for (const a of code) for (const b of code) if (a !== b) expect(b.startsWith(a)).toBe(false);
      expect(p.reduce((s, pi, i) => s + pi * code[i].length, 0)).toBe(2);
    });
  });

  describe('[ENT] entropy estimated from counts (histograms are normalized by their sum)', () => {
    it('40 / 40 gives 1', () => {
      expectRel(e.entropy([40, 40], BITS), 1);
    });

    it('20 / 40 gives 0.9182958340544896 (document: about 0.92)', () => {
      const h = e.entropy([20, 40], BITS);
      expectRel(h, Math.log2(3) - 2 / 3); // -1/3 log2(1/3) - 2/3 log2(2/3)
      expectRel(h, 0.9182958340544896); // numpy, In [6]
      expectPrinted(h, 0.92, 2);
    });

    it('30 / 10 gives 0.8112781244591328 (document: about 0.81)', () => {
      const h = e.entropy([30, 10], BITS);
      expectRel(h, 2 - 0.75 * Math.log2(3)); // -3/4 log2(3/4) - 1/4 log2(1/4)
      expectRel(h, 0.8112781244591328); // numpy, In [7]
      expectPrinted(h, 0.81, 2);
    });

    it('20 / 0 gives 0', () => {
      expect(e.entropy([20, 0], BITS)).toBe(0);
    });

    it('the four count examples as one batch: each row is the one-shot value, bit for bit', () => {
      const rows = new Float64Array([40, 40, 20, 40, 30, 10, 20, 0]);
      const out = e.entropyBatch(rows, 2, BITS);
      expect(Array.from(out)).toEqual([
        e.entropy([40, 40], BITS), e.entropy([20, 40], BITS), e.entropy([30, 10], BITS), 0,
      ]);
    });
  });

  describe('[ENT] joint and conditional entropy: the spam-keyword tables (80 mails, 40 spam)', () => {
    // Rows X = 0, X = 1; columns Y = 0 (normal), Y = 1 (spam); row-major counts.
    const tables = {
      X1: [30, 10, 10, 30],
      X2: [20, 40, 20, 0],
      X3: [0, 40, 40, 0],
    };
    /** H(Y | X) = H(X, Y) - H(X): joint entropy of the table minus entropy of the row sums. */
    const conditional = (t: number[]): number => e.entropy(t, BITS) - e.entropy([t[0] + t[1], t[2] + t[3]], BITS);
    /** H(Y | X) = sum_x P(x) H(Y | X = x), the document's form, with one batch call for the rows. */
    const weighted = (t: number[]): number => {
      const rowH = e.entropyBatch(new Float64Array(t), 2, BITS);
      return ((t[0] + t[1]) / 80) * rowH[0] + ((t[2] + t[3]) / 80) * rowH[1];
    };

    it('the margins: Y is 40 / 40, so H(Y) = 1 bit before any keyword is known', () => {
      for (const t of Object.values(tables)) {
        expectRel(e.entropy([t[0] + t[2], t[1] + t[3]], BITS), 1);
      }
    });

    it('the rows of the tables are the count examples: 0.81, 0.92 and 0', () => {
      expectPrinted(e.entropy(tables.X1.slice(0, 2), BITS), 0.81, 2);
      expectPrinted(e.entropy(tables.X1.slice(2), BITS), 0.81, 2);
      expectPrinted(e.entropy(tables.X2.slice(0, 2), BITS), 0.92, 2);
      expect(e.entropy(tables.X2.slice(2), BITS)).toBe(0);
    });

    it('joint entropies H(X, Y) in closed form', () => {
      // X1: (3/8, 1/8, 1/8, 3/8) -> 1 + H(3/4, 1/4); X2: (1/4, 1/2, 1/4, 0) -> 1.5; X3: (0, 1/2, 1/2, 0) -> 1
      expectRel(e.entropy(tables.X1, BITS), 3 - 0.75 * Math.log2(3));
      expectRel(e.entropy(tables.X2, BITS), 1.5);
      expectRel(e.entropy(tables.X3, BITS), 1);
    });

    it('H[Y|X1] = 0.81', () => {
      const h = conditional(tables.X1);
      // closed form: both rows are (3/4, 1/4), so H(Y | X1) = 2 - 3/4 log2 3
      expectRel(h, 2 - 0.75 * Math.log2(3));
      expectPrinted(h, 0.81, 2);
      expectRel(weighted(tables.X1), 2 - 0.75 * Math.log2(3));
    });

    it('H[Y|X2] = 0.69', () => {
      // The difference of two entropies (1.5 - 0.81...) carries both of their rounding errors;
      // measured 8e-16 relative, inside REL.
      const h = conditional(tables.X2);
      // closed form: 60/80 * H(1/3, 2/3) + 20/80 * 0 = 3/4 (log2 3 - 2/3) = 3/4 log2 3 - 1/2
      expectRel(h, 0.75 * Math.log2(3) - 0.5);
      expectPrinted(h, 0.69, 2);
      expectRel(weighted(tables.X2), 0.75 * Math.log2(3) - 0.5);
    });

    it('H[Y|X3] = 0: the keyword decides spam exactly', () => {
      // (0, 40, 40, 0) and (40, 40) have the same weights apart from zeros, which change no bit,
      // so the difference is exactly 0.
      expect(conditional(tables.X3)).toBe(0);
      expect(weighted(tables.X3)).toBe(0);
    });

    it('the keyword that tells most about spam has the lowest conditional entropy: X3 < X2 < X1', () => {
      const [h1, h2, h3] = [tables.X1, tables.X2, tables.X3].map(conditional);
      expect(h3).toBeLessThan(h2);
      expect(h2).toBeLessThan(h1);
      expect(h1).toBeLessThan(1); // every keyword tells something: H(Y | X) < H(Y)
    });
  });

  describe('[ENT] cross entropy, binary cross entropy, KL divergence', () => {
    const Y1 = [0.5, 0.5];
    const Y2 = [0.8, 0.2];

    it('cross entropy is not symmetric: H[p, q] != H[q, p]', () => {
      const pq = e.crossEntropy(Y2, Y1, BITS);
      const qp = e.crossEntropy(Y1, Y2, BITS);
      expectRel(pq, 1); // -0.8 log2 0.5 - 0.2 log2 0.5
      expectRel(qp, Math.log2(5) - 1); // -0.5 log2 0.8 - 0.5 log2 0.2
      expect(pq).not.toBe(qp);
    });

    it('H[p, p] = H[p]: with the prediction equal to the truth, cross entropy is the entropy', () => {
      expectRel(e.crossEntropy(Y2, Y2, BITS), e.entropy(Y2, BITS));
      expectRel(e.crossEntropy(Y1, Y1, BITS), 1);
    });

    it('binary cross entropy is -log2(mu) for Y = 1 and -log2(1 - mu) for Y = 0', () => {
      // p = [P(Y = 1), P(Y = 0)] = [y, 1 - y]; q = [mu, 1 - mu]; mu = predicted P(Y = 1).
      const bce = (y: number, mu: number): number => e.crossEntropy([y, 1 - y], [mu, 1 - mu], BITS);
      for (const mu of [1 / 2, 1 / 4, 1 / 8, 3 / 4, 7 / 8]) {
        expectRel(bce(1, mu), -Math.log2(mu));
        expectRel(bce(0, mu), -Math.log2(1 - mu));
      }
      expect(bce(1, 1 / 4)).toBe(2);
      expect(bce(0, 7 / 8)).toBe(3);
      // the loss grows as the prediction gets worse, and is +Infinity for a certain wrong answer
      const mus = [0.99, 0.9, 0.7, 0.5, 0.3, 0.1, 0.01];
      for (let i = 1; i < mus.length; i++) {
        expect(bce(1, mus[i])).toBeGreaterThan(bce(1, mus[i - 1]));
        expect(bce(0, mus[i])).toBeLessThan(bce(0, mus[i - 1]));
      }
      expect(bce(1, 0)).toBe(Infinity);
      expect(bce(0, 1)).toBe(Infinity);
      expect(bce(1, 1)).toBe(0);
      expect(bce(0, 0)).toBe(0);
    });

    it('the mean over N samples, -1/N sum(y log2 mu + (1 - y) log2(1 - mu)), with one batch call', () => {
      const y = [1, 0, 1, 1, 0, 0];
      const mu = [1 / 2, 1 / 4, 3 / 4, 7 / 8, 1 / 8, 1 / 2];
      const p = new Float64Array(y.flatMap((v) => [v, 1 - v]));
      const q = new Float64Array(mu.flatMap((m) => [m, 1 - m]));
      const losses = e.crossEntropyBatch(p, q, 2, BITS);
      for (let i = 0; i < y.length; i++) expect(losses[i]).toBe(e.crossEntropy([y[i], 1 - y[i]], [mu[i], 1 - mu[i]], BITS));
      const mean = losses.reduce((s, x) => s + x, 0) / y.length;
      // -log2 of 1/2, 3/4, 3/4, 7/8, 7/8, 1/2
      const exact = (1 + 2 * (2 - Math.log2(3)) + 2 * (3 - Math.log2(7)) + 1) / 6;
      expectRel(mean, exact);
    });

    it('KL(p || q) = H[p, q] - H[p] >= 0, and 0 only for p = q', () => {
      const pairs: [number[], number[]][] = [[Y2, Y1], [Y1, Y2], [[0.7, 0.1, 0.2], [1 / 3, 1 / 3, 1 / 3]], [[1, 0, 0], [0.7, 0.1, 0.2]]];
      for (const [p, q] of pairs) {
        const kl = e.klDivergence(p, q, BITS);
        expect(kl).toBeGreaterThan(0);
        const ce = e.crossEntropy(p, q, BITS);
        expect(Math.abs(kl - (ce - e.entropy(p, BITS)))).toBeLessThanOrEqual(REL * ce * 4);
      }
      // closed forms: KL(Y2 || Y1) = 1 - H(Y2) = 2.6 - log2 5; KL(Y1 || Y2) = log2 5 - 2
      expectRel(e.klDivergence(Y2, Y1, BITS), 2.6 - Math.log2(5));
      expectRel(e.klDivergence(Y1, Y2, BITS), Math.log2(5) - 2);
      // the label example of [CE]: KL([1, 0, 0] || q) = CE - 0 = -ln 0.7, to a few ulp: KL's term
      // is the log of the rounded ratio 1/0.7 (off by up to 2^-53 before the log), CE's is -log 0.7
      expectRel(e.klDivergence([1, 0, 0], [0.7, 0.1, 0.2]), e.crossEntropy([1, 0, 0], [0.7, 0.1, 0.2]), 4 * Number.EPSILON);
      for (const p of [Y1, Y2, [1, 0, 0], [0.7, 0.1, 0.2]]) expect(e.klDivergence(p, p, BITS)).toBe(0);
    });
  });
});
