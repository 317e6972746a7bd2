import { SeededRandom } from "../random";
import { indicesByClass } from "./image-dataset";

/**
 * The stored, seeded assignment of each held-out example to the `public` part (live leaderboard) or the `private`
 * part (revealed after the deadline). Stratified per class so both parts keep the class balance. The seed and
 * fraction live in the assignment (and the `datasets` row), so the split is the same in every job and process.
 * @returns one flag per example: true = public
 */
export function heldoutSplit(labels: ArrayLike<number>, publicFraction: number, seed: number): boolean[] {
  const rng = new SeededRandom(seed);
  const isPublic = new Array<boolean>(labels.length).fill(false);
  for (const group of indicesByClass(labels).values()) {
    const idx = rng.shuffle(group) as number[];
    const n = Math.round(idx.length * publicFraction);
    for (let i = 0; i < n; i++) isPublic[idx[i]!] = true;
  }
  return isPublic;
}
