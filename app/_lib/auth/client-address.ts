import { BlockList, isIP } from "node:net";
import { env } from "@/env";

/**
 * The header in which scripts/serve.mjs passes the TCP peer's address to the app. The server
 * replaces any copy a client sent with its own, so inside the app it cannot be forged.
 * (Next.js itself only fills `X-Forwarded-For` with `??=`: a client-sent value survives, so that
 * header says nothing about who is connected.)
 */
export const SOCKET_ADDRESS_HEADER = "x-tensorgrade-socket-address";

/**
 * The client key when the server did not stamp the socket address (`next dev`, or `next start`
 * run by hand instead of `npm start`): every client is then one client for throttling.
 */
export const UNKNOWN_CLIENT = "unknown";

type Headers = Record<string, string | string[] | undefined>;

/** `::ffff:1.2.3.4` (an IPv4 peer on a dual-stack socket) is 1.2.3.4; `[::1]:80` and `1.2.3.4:80` lose the port. */
function normaliseAddress(raw: string): string | null {
  let a = raw.trim();
  const bracketed = /^\[([^\]]+)\](?::\d+)?$/.exec(a);
  if (bracketed) a = bracketed[1];
  else if (/^\d{1,3}(\.\d{1,3}){3}:\d+$/.test(a)) a = a.slice(0, a.lastIndexOf(":"));
  const mapped = /^::ffff:(\d{1,3}(\.\d{1,3}){3})$/i.exec(a);
  if (mapped) a = mapped[1];
  return isIP(a) ? a.toLowerCase() : null;
}

/** A BlockList of TRUSTED_PROXIES entries (already validated by env.ts). */
export function trustedProxyList(entries: string[]): BlockList {
  const list = new BlockList();
  for (const entry of entries) {
    const [address, prefix] = entry.split("/");
    const type = isIP(address) === 4 ? "ipv4" : "ipv6";
    if (prefix === undefined) list.addAddress(address, type);
    else list.addSubnet(address, Number(prefix), type);
  }
  return list;
}

function isTrusted(list: BlockList, address: string): boolean {
  return list.check(address, isIP(address) === 4 ? "ipv4" : "ipv6");
}

/**
 * Who is connecting: the TCP peer, unless the peer is a trusted proxy — then the address that
 * proxy appended to X-Forwarded-For, and so on leftwards while each hop is trusted. Entries left of
 * the first untrusted hop were written by the client and are never read; an unreadable entry ends
 * the walk at the last trusted hop.
 */
export function resolveClientAddress(socketAddress: string, forwardedFor: string | undefined, trusted: BlockList): string {
  const socket = normaliseAddress(socketAddress);
  if (!socket) return UNKNOWN_CLIENT;
  const hops = (forwardedFor ?? "").split(",").filter((h) => h.trim() !== "");
  let client = socket;
  for (let i = hops.length - 1; i >= 0 && isTrusted(trusted, client); i--) {
    const hop = normaliseAddress(hops[i]);
    if (!hop) break;
    client = hop;
  }
  return client;
}

/**
 * The throttle key of an address: IPv4 as is, IPv6 by its /64 — one host is usually handed a whole
 * /64, so keying by the full address would let it rotate through 2^64 "clients".
 */
export function clientThrottleKey(address: string): string {
  if (isIP(address) !== 6) return address;
  const [head, tail = ""] = address.split("::");
  const left = head ? head.split(":") : [];
  const right = tail ? tail.split(":") : [];
  const groups = address.includes("::") ? [...left, ...Array(8 - left.length - right.length).fill("0"), ...right] : left;
  return `${groups.slice(0, 4).map((g) => g.replace(/^0+(?=.)/, "")).join(":")}::/64`;
}

let trustedFromEnv: BlockList | undefined;
let warnedUnstamped = false;

function header(headers: Headers | undefined, name: string): string | undefined {
  const v = headers?.[name];
  return Array.isArray(v) ? v.join(",") : v;
}

/**
 * The throttle key of the client that sent a request, from its headers as next-auth passes them to
 * `authorize` (lower-case names). Uses the socket address stamped by scripts/serve.mjs and
 * TRUSTED_PROXIES; without a stamp, every client is UNKNOWN_CLIENT.
 */
export function requestClientKey(headers: Headers | undefined): string {
  const socket = env.TG_SOCKET_ADDRESS_STAMPED ? header(headers, SOCKET_ADDRESS_HEADER) : undefined;
  if (!socket) {
    if (!warnedUnstamped && env.NODE_ENV === "production") {
      warnedUnstamped = true;
      console.warn(
        "[auth] the server was not started by scripts/serve.mjs (npm start), so client addresses are unknown: sign-in throttling treats all clients as one",
      );
    }
    return UNKNOWN_CLIENT;
  }
  trustedFromEnv ??= trustedProxyList(env.TRUSTED_PROXIES);
  return clientThrottleKey(resolveClientAddress(socket, header(headers, "x-forwarded-for"), trustedFromEnv));
}
