// Package boundaries, checked in CI by `pnpm check:boundaries` (docs/architecture.md, "Boundaries").
// Every rule applies to sources and tests alike, with no baseline of tolerated violations: any
// import that breaks a rule fails. Paths below are real paths relative to the repository root: an import of a workspace
// package by name (`@panel-access/adapter-memory`) resolves through pnpm's symlink to
// packages/adapter-memory/src/index.ts (the "@panel-access/source" export condition).

/** One workspace package or example: $1 is "packages" or "examples", $2 its folder. */
const ANY_PACKAGE = "^(packages|examples)/([^/]+)/";

// Layers inside packages/core/src, top to bottom (docs/architecture.md): panel-access.ts and
// index.ts; the capability folders; runtime/; input/ config/ defaults/ errors.ts; secrets/;
// ports/; domain/. An import may only run downwards. testing/ (test doubles) and contracts/ (the
// adapters' contract suites) stand aside.
const CORE = "^packages/core/src/";

/**
 * The capability folders in levels, top to bottom: a capability may use the steps of a capability
 * on a lower level, never one on its own level or above, so no two capabilities can depend on
 * each other round a cycle. (dependency-cruiser's folder-scope cycle check cannot see such a
 * cycle: it links folders to the leaf folder imported, `invitations/steps`, not `invitations/`.)
 */
const CAPABILITY_LEVELS = [
  ["login"],
  ["two-factor", "panels"],
  ["accounts", "invitations"],
  ["passwords", "audit"],
  ["sessions", "mail"],
];
const either = (names) => `(${names.join("|")})`;
/** The capability folders' names, as one group. */
const CAPABILITIES = either(CAPABILITY_LEVELS.flat());
/** Any file in a capability folder: $1 is the capability. */
const CAPABILITY = `${CORE}${CAPABILITIES}/`;
/** The top: the wiring of the entry points and the public surface. */
const TOP = `${CORE}(panel-access|index)\\.ts$`;

/** Files under `from` import, of packages/core/src, only the folders `allowed`. */
const importsOnly = (name, comment, from, allowed) => ({
  name,
  severity: "error",
  comment,
  from: { path: from },
  to: { path: CORE, pathNot: `${CORE}${either(allowed)}/` },
});

/** One rule per capability level: nothing on its own level (but itself) or above. */
const capabilityLevels = CAPABILITY_LEVELS.flatMap((level, index) => {
  const levelOrAbove = CAPABILITY_LEVELS.slice(0, index + 1).flat();
  const below = CAPABILITY_LEVELS.slice(index + 1).flat();
  const rule = {
    name: `core-capability-levels:${level.join(",")}`,
    severity: "error",
    comment:
      `${level.join(" and ")} may use only capabilities on a lower level (${below.join(", ")}), ` +
      "so that no two capabilities depend on each other. Move a step two capabilities share to " +
      "runtime/steps/ or to the capability that owns its record, or change the levels here and " +
      "in docs/architecture.md.",
    from: { path: `${CORE}${either(level)}/` },
    to: { path: `${CORE}${either(levelOrAbove)}/`, pathNot: `${CORE}$1/` },
  };
  // A capability alone at the top has nothing to be forbidden.
  return levelOrAbove.length > 1 ? [rule] : [];
});

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: "core-not-to-adapters-or-apps",
      severity: "error",
      comment:
        "The core is pure: it must not import an adapter, the testkit or an example app " +
        "(adapters and apps depend on the core, never the other way round).",
      from: { path: "^packages/core/" },
      to: { path: "^(packages/(adapter-[^/]+|testkit|http|cli)|examples)/" },
    },
    {
      name: "http-on-core-only",
      severity: "error",
      comment:
        "The web layer (@panel-access/http) stands on the core's public API only: no adapter, " +
        "no testkit, no CLI. The host picks the store; the web layer works with any.",
      from: { path: "^packages/http/src/" },
      to: { path: "^packages/(adapter-[^/]+|testkit|cli|test-support)/" },
    },
    {
      name: "adapter-not-to-other-adapter",
      severity: "error",
      comment:
        "An adapter depends on the core only: it must not import another adapter package. " +
        "An app composes adapters.",
      from: { path: "^packages/(adapter-[^/]+)/" },
      to: { path: "^packages/adapter-[^/]+/", pathNot: "^packages/$1/" },
    },
    {
      name: "packages-not-to-examples",
      severity: "error",
      comment: "A library package must not import an example app.",
      from: { path: "^packages/", pathNot: "^packages/core/" },
      to: { path: "^examples/" },
    },
    {
      name: "not-into-another-package-by-path",
      severity: "error",
      comment:
        "Another package or example is imported by its name (`@panel-access/…`, through its " +
        "package.json exports), never by a relative path into its folder (src/, test/, dist/).",
      from: { path: ANY_PACKAGE },
      to: { dependencyTypes: ["local"], path: "^(packages|examples)/", pathNot: "^$1/$2/" },
    },
    {
      name: "not-to-another-package-test",
      severity: "error",
      comment: "A package's test/ folder is its own: nothing else imports from it, by any route.",
      from: { path: ANY_PACKAGE },
      to: {
        dependencyTypesNot: ["local"], // by relative path: the rule above
        path: "^(packages|examples)/[^/]+/test/",
        pathNot: "^$1/$2/",
      },
    },
    {
      name: "no-cycles-in-src",
      severity: "error",
      comment: "No import cycle among a package's sources.",
      from: { path: "^packages/[^/]+/src/" },
      to: { circular: true },
    },
    {
      name: "no-unresolvable",
      severity: "error",
      comment:
        "Every import resolves (a boundary rule sees only the imports it can resolve); " +
        "a deep import of another package that its exports do not offer lands here too.",
      from: { path: ANY_PACKAGE },
      to: { couldNotResolve: true },
    },
    importsOnly(
      "core-domain-is-pure",
      "domain/ holds pure rules over records: it imports nothing of the core outside domain/.",
      `${CORE}domain/`,
      ["domain"],
    ),
    importsOnly(
      "core-ports-over-domain",
      "ports/ are interfaces over domain records: they import domain/ only.",
      `${CORE}ports/`,
      ["ports", "domain"],
    ),
    importsOnly(
      "core-secrets-over-ports",
      "secrets/ (tokens, sealing, backup codes) import only domain/ and ports/ (RandomSource).",
      `${CORE}secrets/`,
      ["secrets", "ports", "domain"],
    ),
    {
      name: "core-input-and-config-below-runtime",
      severity: "error",
      comment:
        "input/, config/, defaults/ and errors.ts sit below runtime/: they import no runtime/, " +
        "no capability folder, and neither panel-access.ts nor index.ts.",
      from: { path: `${CORE}(input/|config/|defaults/|errors\\.ts$)` },
      to: { path: `${CORE}(runtime/|${CAPABILITIES}/|(panel-access|index)\\.ts$)` },
    },
    {
      name: "core-runtime-below-capabilities",
      severity: "error",
      comment:
        "runtime/ is the plumbing every capability uses: it imports no capability folder, and " +
        "neither panel-access.ts nor index.ts.",
      from: { path: `${CORE}runtime/` },
      to: { path: `${CORE}(${CAPABILITIES}/|(panel-access|index)\\.ts$)` },
    },
    {
      name: "core-capability-below-panel-access",
      severity: "error",
      comment: "A capability folder imports neither panel-access.ts (which wires it) nor index.ts.",
      from: { path: CAPABILITY },
      to: { path: TOP },
    },
    {
      name: "core-other-capability-through-steps",
      severity: "error",
      comment:
        "Another capability is used through its steps/ only: the files at the top of a " +
        "capability folder are public entry points, called by panel-access.ts.",
      from: { path: CAPABILITY },
      to: { path: `${CAPABILITY}[^/]+\\.ts$`, pathNot: `${CORE}$1/` },
    },
    {
      name: "core-steps-below-entry-points",
      severity: "error",
      comment: "A capability's steps/ serve its entry points: a step never imports an entry point.",
      from: { path: `${CAPABILITY}steps/` },
      to: { path: `${CORE}$1/[^/]+\\.ts$` },
    },
    {
      name: "core-library-not-to-testing",
      severity: "error",
      comment:
        "testing/ (@panel-access/core/testing: test doubles) and contracts/ " +
        "(@panel-access/core/contracts: the adapters' contract suites) sit on top of the library; " +
        "no library file imports them, so nothing of them reaches a host's runtime.",
      from: { path: CORE, pathNot: `${CORE}(testing|contracts)/` },
      to: { path: `${CORE}(testing|contracts)/` },
    },
    {
      name: "core-testing-not-to-contracts",
      severity: "error",
      comment:
        "@panel-access/core/testing loads without vitest (a host's own tests may use another " +
        "runner): the doubles never import the contract suites, which need it. (The consumer " +
        "smoke test loads it where vitest is not installed.)",
      from: { path: `${CORE}testing/` },
      to: { path: `${CORE}contracts/` },
    },
    ...capabilityLevels,
  ],
  options: {
    doNotFollow: { path: "(^|/)node_modules/" },
    exclude: { path: "(^|/)(dist|node_modules)/" },
    // Follow pnpm's node_modules/@panel-access/* symlinks to the real packages/* paths.
    preserveSymlinks: false,
    // Type-only imports are dependencies too.
    tsPreCompilationDeps: true,
    // NodeNext resolution: `./x.js` specifiers resolve to `./x.ts`.
    tsConfig: { fileName: "tsconfig.json" },
    enhancedResolveOptions: {
      exportsFields: ["exports"],
      // Resolve workspace packages to their sources (tsconfig.base.json customConditions), so the
      // check needs no build.
      conditionNames: ["@panel-access/source", "import", "types", "node", "default"],
    },
    skipAnalysisNotInRules: true,
    progress: { type: "none" },
  },
};
