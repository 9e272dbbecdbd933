/** A small deterministic generator (an LCG), so a failing test names a data set that reproduces. */
export function rng(seed: number): () => number {
  let x = seed;
  return () => {
    x = (x * 1103515245 + 12345) % 2147483648;
    return x / 2147483648;
  };
}
