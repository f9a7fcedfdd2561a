// Floor kernels for bench/floor.mjs: the least work any implementation under the project's rules
// must do per element, with nothing else. They use the library's own f64x2 log
// (assembly/math/log.ts, log_main_f64x2: the musl/AOR table log every kernel uses) and a plain,
// inexact f64x2 running sum: no exact summation, no validation, no zero or near-1 handling, no
// staging. They are timing probes, not kernels: their results are only checked for being close to
// the naive loop's. Four pairs per iteration, as in the shipped entropy kernel.
import { log_main_f64x2 } from '../../assembly/math/log';

/** Buffer k of `bytes` bytes each, above the static data: the harness copies its arrays there. */
export function buf(k: i32, bytes: usize): usize {
  return ((__heap_base + 63) & ~<usize>63) + <usize>k * bytes;
}

/** -sum x log x over n (a multiple of 8) positive normal weights at p. */
export function entropy_floor(p: usize, n: i32): f64 {
  let s0 = f64x2.splat(0), s1 = f64x2.splat(0), s2 = f64x2.splat(0), s3 = f64x2.splat(0);
  for (let i = 0; i < n; i += 8) {
    let a = p + (<usize>i << 3);
    let x0 = v128.load(a), x1 = v128.load(a, 16), x2 = v128.load(a, 32), x3 = v128.load(a, 48);
    s0 = f64x2.sub(s0, f64x2.mul(x0, log_main_f64x2(x0)));
    s1 = f64x2.sub(s1, f64x2.mul(x1, log_main_f64x2(x1)));
    s2 = f64x2.sub(s2, f64x2.mul(x2, log_main_f64x2(x2)));
    s3 = f64x2.sub(s3, f64x2.mul(x3, log_main_f64x2(x3)));
  }
  let s = f64x2.add(f64x2.add(s0, s1), f64x2.add(s2, s3));
  return f64x2.extract_lane(s, 0) + f64x2.extract_lane(s, 1);
}

/** -sum p log q over n (a multiple of 8) pairs. */
export function cross_entropy_floor(p: usize, q: usize, n: i32): f64 {
  let s0 = f64x2.splat(0), s1 = f64x2.splat(0), s2 = f64x2.splat(0), s3 = f64x2.splat(0);
  for (let i = 0; i < n; i += 8) {
    let a = p + (<usize>i << 3), b = q + (<usize>i << 3);
    s0 = f64x2.sub(s0, f64x2.mul(v128.load(a), log_main_f64x2(v128.load(b))));
    s1 = f64x2.sub(s1, f64x2.mul(v128.load(a, 16), log_main_f64x2(v128.load(b, 16))));
    s2 = f64x2.sub(s2, f64x2.mul(v128.load(a, 32), log_main_f64x2(v128.load(b, 32))));
    s3 = f64x2.sub(s3, f64x2.mul(v128.load(a, 48), log_main_f64x2(v128.load(b, 48))));
  }
  let s = f64x2.add(f64x2.add(s0, s1), f64x2.add(s2, s3));
  return f64x2.extract_lane(s, 0) + f64x2.extract_lane(s, 1);
}

/** sum p log(p/q) over n (a multiple of 8) pairs, one division and one log per element. */
export function kl_floor(p: usize, q: usize, n: i32): f64 {
  let s0 = f64x2.splat(0), s1 = f64x2.splat(0), s2 = f64x2.splat(0), s3 = f64x2.splat(0);
  for (let i = 0; i < n; i += 8) {
    let a = p + (<usize>i << 3), b = q + (<usize>i << 3);
    let p0 = v128.load(a), p1 = v128.load(a, 16), p2 = v128.load(a, 32), p3 = v128.load(a, 48);
    s0 = f64x2.add(s0, f64x2.mul(p0, log_main_f64x2(f64x2.div(p0, v128.load(b)))));
    s1 = f64x2.add(s1, f64x2.mul(p1, log_main_f64x2(f64x2.div(p1, v128.load(b, 16)))));
    s2 = f64x2.add(s2, f64x2.mul(p2, log_main_f64x2(f64x2.div(p2, v128.load(b, 32)))));
    s3 = f64x2.add(s3, f64x2.mul(p3, log_main_f64x2(f64x2.div(p3, v128.load(b, 48)))));
  }
  let s = f64x2.add(f64x2.add(s0, s1), f64x2.add(s2, s3));
  return f64x2.extract_lane(s, 0) + f64x2.extract_lane(s, 1);
}
