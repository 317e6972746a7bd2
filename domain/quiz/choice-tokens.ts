import type { AttemptLayout, LayoutItem } from "./draw-attempt";

/**
 * Opaque choice ids. A bank's choice ids (`a`, `b`, …) are stable names that statistics and stored
 * answers use, so they say which choice is which across every attempt: sent to the browser, they
 * let a student (or a shared crib) answer by id. Each attempt therefore gets a fresh random token
 * per choice, stored in its layout; the browser only ever sees tokens, and the server maps them
 * back to bank ids before validating and scoring (issue 10 §2).
 *
 * Tokens are random, not derived from the seed or the ids, so nothing a student can see (attempt
 * id, position, text) predicts them, and the same choice gets a different token in every attempt.
 */

/** Random bytes per token: 80 bits, so two tokens are the same with odds of about 2⁻⁸⁰. */
const TOKEN_BYTES = 10;
const BASE32 = "abcdefghijklmnopqrstuvwxyz234567";

/**
 * A fresh token: 16 characters of lowercase base32. Bank ids are at most 8 characters, so a token
 * can never be mistaken for one; 16 is also the longest choice id a submission may carry.
 */
export function randomChoiceToken(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(TOKEN_BYTES));
  let bits = 0;
  let value = 0;
  let out = "";
  for (const byte of bytes) {
    value = (value << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      out += BASE32[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  return out;
}

/** Gives every choice of the layout its own token (distinct within its question). */
export function withChoiceTokens(layout: AttemptLayout, newToken: () => string = randomChoiceToken): AttemptLayout {
  return layout.map((item) => {
    const tokens: string[] = [];
    for (let i = 0; i < item.choiceOrder.length; i++) {
      let token = newToken();
      // Only a broken generator repeats itself; refuse it rather than loop forever.
      for (let tries = 0; tokens.includes(token); tries++) {
        if (tries >= 8) throw new Error("[quiz] the choice token generator keeps repeating itself");
        token = newToken();
      }
      tokens.push(token);
    }
    return { ...item, choiceTokens: tokens };
  });
}

/**
 * The ids the browser knows this item's choices by, in attempt order. Attempts drawn before tokens
 * existed were shown bank ids, and keep them so a page already open can still be submitted.
 */
export function shownChoiceIds(item: LayoutItem): string[] {
  return item.choiceTokens ?? item.choiceOrder;
}

/** Bank id → shown id, for the result view; bank ids no longer in the layout are dropped. */
export function toShownChoiceIds(item: LayoutItem, bankIds: readonly string[]): string[] {
  const shown = shownChoiceIds(item);
  const wanted = new Set(bankIds);
  // In attempt order, so the result lists choices the way the student saw them.
  return item.choiceOrder.flatMap((id, i) => (wanted.has(id) ? [shown[i]!] : []));
}

/**
 * Shown id → bank id for a submission. Returns the ids that name no choice of this item apart, so
 * the caller can refuse them (a bank id sent to a tokenised attempt is one of those).
 */
export function toBankChoiceIds(item: LayoutItem, shownIds: readonly string[]): { bankIds: string[]; unknown: string[] } {
  const shown = shownChoiceIds(item);
  const bankIds: string[] = [];
  const unknown: string[] = [];
  for (const id of shownIds) {
    const index = shown.indexOf(id);
    if (index < 0) unknown.push(id);
    else bankIds.push(item.choiceOrder[index]!);
  }
  return { bankIds, unknown };
}
