import { SeededRandom } from "../random";

/**
 * The stored, seeded assignment of each held-out example to the `public` part (live leaderboard) or the `private`
 * part (revealed after the deadline). Stratified per class so both parts keep the class balance. The seed and
 * fraction live in the assignment (and the `datasets` row), so the split is the same in every job and process.
 * @returns one flag per example: true = public
 */
export function heldoutSplit(labels: ArrayLike<number>, publicFraction: number, seed: number): boolean[] {
  const rng = new SeededRandom(seed);
  const byClass = new Map<number, number[]>();
  for (let i = 0; i < labels.length; i++) {
    const l = labels[i]!;
    if (!byClass.has(l)) byClass.set(l, []);
    byClass.get(l)!.push(i);
  }
  const isPublic = new Array<boolean>(labels.length).fill(false);
  for (const k of [...byClass.keys()].sort((a, b) => a - b)) {
    const idx = rng.shuffle(byClass.get(k)!) as number[];
    const n = Math.round(idx.length * publicFraction);
    for (let i = 0; i < n; i++) isPublic[idx[i]!] = true;
  }
  return isPublic;
}
