#!/usr/bin/env node
/**
 * Serves the built site — what `next start` does — through Next.js's documented custom-server API,
 * for one reason: the app must know the TCP peer's address, and `next start` does not hand it to a
 * route handler. Next only sets `X-Forwarded-For` with `??=` (server/base-server.js), so a value the
 * client sent survives and names whoever the client likes. This server overwrites any incoming
 * `x-tensorgrade-socket-address` with the socket's own address; the app
 * (app/_lib/auth/client-address.ts) then walks X-Forwarded-For only past TRUSTED_PROXIES.
 *
 * Usage: node scripts/serve.mjs [-p PORT] [-H HOST] [--keepAliveTimeout MS]   (npm start runs it)
 */
import http from "node:http";
import path from "node:path";
import { parseArgs } from "node:util";

const SOCKET_ADDRESS_HEADER = "x-tensorgrade-socket-address";
/** How long a stopping server lets open requests finish before closing their connections. */
const SHUTDOWN_DRAIN_MS = 10_000;

const { values } = parseArgs({
  options: {
    port: { type: "string", short: "p", default: process.env.PORT ?? "3000" },
    hostname: { type: "string", short: "H" },
    keepAliveTimeout: { type: "string" },
  },
});
const port = Number(values.port);

// As `next start` does; and set before Next loads, because it reads NODE_ENV when it is imported.
process.env.NODE_ENV = "production";
// Read by env.ts (TG_SOCKET_ADDRESS_STAMPED): only in this process is the header trustworthy.
process.env.TG_SOCKET_ADDRESS_STAMPED = "1";

const { default: next } = await import("next");
const app = next({ dev: false, dir: path.resolve(import.meta.dirname, ".."), hostname: values.hostname ?? "localhost", port });
const handle = app.getRequestHandler();
await app.prepare();

const server = http.createServer((req, res) => {
  // Node lower-cases header names and joins repeats into this one key, so the assignment replaces
  // every copy a client sent (Next builds a route's Request from req.headers, not rawHeaders).
  req.headers[SOCKET_ADDRESS_HEADER] = req.socket.remoteAddress ?? "";
  handle(req, res).catch((err) => {
    console.error("[serve] request failed:", err);
    if (!res.headersSent) res.statusCode = 500;
    res.end();
  });
});
if (values.keepAliveTimeout) server.keepAliveTimeout = Number(values.keepAliveTimeout);

let closing = false;
function shutdown() {
  if (closing) return;
  closing = true;
  // Like `next start`: stop accepting, let pending requests finish, close Next, exit.
  server.close(() => {
    app
      .close()
      .catch((err) => console.error("[serve] closing Next.js failed:", err))
      .finally(() => process.exit(0));
  });
  server.closeIdleConnections();
  // An open progress stream (SSE) would hold server.close() forever.
  setTimeout(() => server.closeAllConnections(), SHUTDOWN_DRAIN_MS).unref();
}
process.on("SIGTERM", shutdown);
process.on("SIGINT", shutdown);

server.listen(port, values.hostname, () => {
  console.log(`[serve] ready on http://${values.hostname ?? "localhost"}:${port}`);
});
