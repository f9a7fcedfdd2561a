// Histogram generators for the agreement and property tests: dense, zipf-like with zeros,
// extreme scales, subnormals, one-hot, counts.
import { Rng } from './prng';

export type Kind = 'dense' | 'zipf' | 'counts' | 'extreme' | 'subnormal' | 'onehot' | 'huge' | 'mixed' | 'near1';
export const KINDS: Kind[] = ['dense', 'zipf', 'counts', 'extreme', 'subnormal', 'onehot', 'huge', 'mixed', 'near1'];

export function histogram(rng: Rng, kind: Kind, n: number): Float64Array {
  const a = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const u = rng.float();
    switch (kind) {
      case 'dense': a[i] = u; break;
      case 'zipf': a[i] = rng.float() < 0.25 ? 0 : Math.floor(3 / (1 - u) ** (1 / 1.1)); break;
      case 'counts': a[i] = rng.int(1000); break;
      case 'extreme': a[i] = rng.float() < 0.3 ? 0 : u * 2 ** (rng.int(2000) - 1000); break;
      case 'subnormal': a[i] = rng.int(1 << 20) * 5e-324; break;
      case 'onehot': a[i] = i === 0 ? 1 : rng.float() < 0.5 ? 0 : u * 1e-300; break;
      case 'huge': a[i] = u * 1.7e308; break;
      case 'near1': a[i] = rng.float() < 0.1 ? 1 : 0.9 + 0.2 * u; break; // the log's near-1 branch, no zeros
      case 'mixed': {
        const r = rng.int(8);
        a[i] = r === 0 ? 0 : r === 1 ? rng.int(100) * 5e-324 : r === 2 ? u * 1e300 : r === 3 ? 1 : r === 4 ? 1 + (u - 0.5) * 1e-3 : u;
        break;
      }
    }
  }
  if (!a.some((x) => x > 0)) a[0] = 1;
  return a;
}

/** A random partition of [0, n) into chunk lengths (some of them 0). */
export function randomChunks(rng: Rng, n: number): number[] {
  const out: number[] = [];
  let left = n;
  while (left > 0) {
    const len = rng.float() < 0.1 ? 0 : Math.min(left, 1 + rng.int(Math.max(1, Math.floor(n / 3))));
    out.push(len);
    left -= len;
  }
  return out;
}
