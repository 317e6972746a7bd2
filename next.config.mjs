import { BODY_RESPONSE_CSP, STATIC_SECURITY_HEADERS } from "./app/_lib/http/static-security-headers.mjs";

/** @type {import('next').NextConfig} */
const nextConfig = {
  // Native addons, WebAssembly and worker-spawning packages load from node_modules at run time
  // instead of being bundled: bundling breaks their relative file lookups.
  serverExternalPackages: [
    "@electric-sql/pglite",
    "@tensorflow/tfjs",
    "@tensorflow/tfjs-backend-wasm",
    "@tensorflow/tfjs-node",
    "@tensorflow/tfjs-node-gpu",
    "argon2",
    "bullmq",
    // Compiles the grading child (grader/worker/compile-child.ts) with its platform binary.
    "esbuild",
    "ioredis",
    "pg",
    "sharp",
    "mnist",
  ],
  poweredByHeader: false,
  // middleware.ts sets the security headers (with a CSP nonce) on requests without a body; requests
  // with one skip the middleware (it would copy and cut their bodies) and get them here.
  async headers() {
    return [
      {
        // Not the LTI endpoints: the LMS frames them, and they set their own headers (app/_lib/lti/lti-page.ts).
        source: "/((?!lti/|api/lti/).*)",
        has: [{ type: "header", key: "content-type" }],
        headers: [
          ...Object.entries(STATIC_SECURITY_HEADERS).map(([key, value]) => ({ key, value })),
          { key: "content-security-policy", value: BODY_RESPONSE_CSP },
        ],
      },
    ];
  },
  // Lint runs as its own script (`npm run lint`, in .ci/run); repeating it here would only add time.
  // Types are checked here too, although .ci/run also runs `npm run typecheck`: a build of code that
  // does not typecheck must fail, whoever starts it (`npm start`, the e2e setup, a deploy). Measured
  // with the type check, a clean build took 585 s instead of 425 s on 2 cores at load average 25-30
  // (other builds and test runs on the machine), a cost paid once per source change.
  eslint: { ignoreDuringBuilds: true },
  typescript: { ignoreBuildErrors: false },
  experimental: {
    // forbidden() renders app/forbidden.tsx with status 403 from any server component.
    authInterrupts: true,
    serverActions: { bodySizeLimit: "60mb" },
  },
};

export default nextConfig;
