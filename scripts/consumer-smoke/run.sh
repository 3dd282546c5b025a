#!/usr/bin/env bash
# The consumer smoke test (docs/installing.md): every published package as a user gets it.
# Packs each package, lints the tarball (publint, attw), installs the tarballs with npm into a
# fresh project outside the workspace, type-checks it under moduleResolution bundler and
# nodenext with skipLibCheck false, runs the invite -> register -> login flow from ESM and from
# CommonJS on the memory adapter, bundles an app with esbuild that migrates a fresh PostgreSQL
# schema, runs the CLI's --help, and then, with the peers the docs use installed, compiles every
# TypeScript block of the README, docs/ and the packages' READMEs under both resolutions.
# KEEP_SMOKE=1 keeps the temporary folder; SMOKE_SKIP_BUILD=1 uses the dist/ already built.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
here="$root/scripts/consumer-smoke"
work=$(mktemp -d -t panel-access-smoke.XXXXXX)
finish() { if [ -n "${KEEP_SMOKE:-}" ]; then echo "kept $work"; else rm -rf "$work"; fi; }
trap finish EXIT
packages=(core adapter-memory adapter-postgres adapter-redis adapter-smtp testkit cli http)

cd "$root"
if [ -z "${SMOKE_SKIP_BUILD:-}" ]; then echo "-- pnpm build"; pnpm build > /dev/null; fi

# Every TypeScript block of the docs, one module each (compiled at the end); first, as it fails
# at once on a block it cannot place.
node "$here/extract-docs.mjs" "$root" "$work/docs"

mkdir -p "$work/tarballs"
echo "-- pack, publint, attw"
printf '%-36s %10s %6s\n' tarball bytes files > "$work/sizes.txt"
for p in "${packages[@]}"; do
  (cd "packages/$p" && pnpm pack --pack-destination "$work/tarballs" > /dev/null)
  name=$(node -p "require('./packages/$p/package.json').name.replace('@','').replace('/','-')")
  version=$(node -p "require('./packages/$p/package.json').version")
  tgz="$work/tarballs/$name-$version.tgz"
  lint=$(pnpm exec publint run "$tgz" --strict 2>&1) || { echo "$lint"; exit 1; }
  case "$lint" in *"All good"*) ;; *) echo "publint, $p:"; echo "$lint"; exit 1 ;; esac
  # ESM only, by decision (docs/installing.md): require() works through Node's require(esm), so
  # the node10 and node16-from-CommonJS columns are out of scope (attw's esm-only profile).
  pnpm exec attw "$tgz" --profile esm-only --no-color --format ascii > "$work/attw.txt" 2>&1 \
    || { cat "$work/attw.txt"; exit 1; }
  printf '%-36s %10s %6s\n' "$(basename "$tgz")" "$(stat -c %s "$tgz")" "$(tar -tzf "$tgz" | wc -l)" \
    >> "$work/sizes.txt"
done
cat "$work/sizes.txt"

echo "-- a fresh project outside the workspace, the tarballs installed with npm"
cp -r "$here/app" "$work/app"
mv "$work/docs" "$work/app/src/docs"
node -e '
  const fs = require("node:fs");
  const [dir, tarballs] = process.argv.slice(1);
  const dependencies = {};
  for (const file of fs.readdirSync(tarballs)) {
    const pkg = "@panel-access/" + file.replace(/^panel-access-/, "").replace(/-\d+\.\d+\.\d+\.tgz$/, "");
    dependencies[pkg] = "file:" + tarballs + "/" + file;
  }
  Object.assign(dependencies, {
    "@types/node": "20.19.43", "@types/pg": "8.23.1", esbuild: "0.28.2", "fast-check": "^4.0.0",
    neverthrow: "^8.2.0", otpauth: "^9.5.2", pg: "^8.11.0", typescript: "5.9.3",
  });
  fs.writeFileSync(dir + "/package.json", JSON.stringify({ name: "smoke-app", private: true, type: "module", dependencies }, null, 2));
' "$work/app" "$work/tarballs"
# npm installs peers as a user's npm does; vitest is an optional peer of core only, so it stays
# out, and @panel-access/core/testing must load without it.
(cd "$work/app" && npm install --no-audit --no-fund --loglevel=error > /dev/null)
if [ -e "$work/app/node_modules/vitest" ]; then echo "vitest is installed: the check is void"; exit 1; fi

cd "$work/app"
echo "-- tsc, moduleResolution bundler, skipLibCheck false"; npx tsc -p tsconfig.bundler.json
echo "-- tsc, moduleResolution nodenext, skipLibCheck false"; npx tsc -p tsconfig.nodenext.json
echo "-- run from ESM";      node dist/esm.js
echo "-- run from CommonJS"; node dist/cjs.cjs
echo "-- esbuild bundle, run where no SQL file is"
npx esbuild src/bundled-migrate.ts --bundle --platform=node --format=esm --log-level=warning \
  --external:@node-rs/argon2 --external:pg-native --external:@opentelemetry/api \
  --banner:js="import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);" \
  --outfile=bundle/app.mjs
node bundle/app.mjs
echo "-- the CLI from its tarball"
npx --no-install panel-access --help > /dev/null

# Last, as the checks above need them absent (vitest; PGlite, which pg users never need): the
# third-party packages the docs' blocks import. PGlite's declarations use Emscripten's global
# types without importing them, hence @types/emscripten (tsconfig.docs-*.json name it).
echo "-- the docs' code blocks, under bundler and nodenext"
npm install --no-audit --no-fund --loglevel=error --legacy-peer-deps --no-save \
  @electric-sql/pglite@0.5.16 @types/emscripten@1.41.6 redis@6.3.1 pino@10.4.0 vitest@4.1.12 \
  @opentelemetry/sdk-node@0.223.0 @opentelemetry/exporter-trace-otlp-http@0.223.1 \
  hono@4.13.19 express@5.3.0 @types/express@5.0.6 > /dev/null
npx tsc -p tsconfig.docs-bundler.json | node "$here/extract-docs.mjs" --locate src/docs
npx tsc -p tsconfig.docs-nodenext.json | node "$here/extract-docs.mjs" --locate src/docs
echo "consumer smoke test: passed"
