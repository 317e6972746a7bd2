// Resolves the `@/` alias of tsconfig.json for eslint-plugin-boundaries, which needs the file an
// import points at to know which layer it is in. Everything else is Node's own resolution, with
// TypeScript's extensions added.
const path = require("node:path");
const node = require("eslint-import-resolver-node");

const ROOT = __dirname;
const EXTENSIONS = [".ts", ".tsx", ".d.ts", ".mts", ".d.mts", ".mjs", ".js", ".json"];

exports.interfaceVersion = 2;
exports.resolve = (source, file) =>
  node.resolve(source.startsWith("@/") ? path.join(ROOT, source.slice(2)) : source, file, { extensions: EXTENSIONS });
