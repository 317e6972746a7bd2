import { exportJWK, generateKeyPair, importJWK, type JWK, type CryptoKey } from "jose";
import type { Db } from "@/db";
import { activeToolKey, insertToolKey, publishedToolKeys, retireToolKeysExcept } from "@/db/queries/lti/tool-keys";

/** The algorithm of the tool's keys: RS256 is the one every LTI platform must accept. */
export const TOOL_KEY_ALG = "RS256";
/** How long a retired key stays in the JWKS: longer than any token or cached JWKS signed before a rotation lives. */
const RETIRED_KEY_PUBLISHED_MS = 7 * 24 * 60 * 60_000;

async function newKey(db: Db): Promise<string> {
  const { publicKey, privateKey } = await generateKeyPair(TOOL_KEY_ALG, { extractable: true, modulusLength: 2048 });
  const kid = crypto.randomUUID();
  const publicJwk = { ...(await exportJWK(publicKey)), kid, alg: TOOL_KEY_ALG, use: "sig" };
  const privateJwk = { ...(await exportJWK(privateKey)), kid, alg: TOOL_KEY_ALG };
  await insertToolKey(db, { kid, privateJwk, publicJwk });
  return kid;
}

/** The key that signs the tool's messages, generated (and stored) the first time one is needed. */
export async function signingKey(db: Db): Promise<{ kid: string; key: CryptoKey }> {
  let row = await activeToolKey(db);
  if (!row) {
    await newKey(db);
    row = await activeToolKey(db);
    if (!row) throw new Error("[lti] the tool key could not be stored");
  }
  const key = (await importJWK(row.privateJwk as JWK, TOOL_KEY_ALG)) as CryptoKey;
  return { kid: row.kid, key };
}

/** Makes a new signing key and retires the old ones, which stay published for a week. */
export async function rotateToolKey(db: Db): Promise<string> {
  const kid = await newKey(db);
  await retireToolKeysExcept(db, kid, new Date());
  return kid;
}

/** The tool's public JWKS, as platforms fetch it. Creates the first key if there is none yet. */
export async function toolJwks(db: Db, now = new Date()): Promise<{ keys: JWK[] }> {
  let rows = await publishedToolKeys(db, new Date(now.getTime() - RETIRED_KEY_PUBLISHED_MS));
  if (!rows.length) {
    await signingKey(db);
    rows = await publishedToolKeys(db, new Date(now.getTime() - RETIRED_KEY_PUBLISHED_MS));
  }
  return { keys: rows.map((r) => r.publicJwk as JWK) };
}
