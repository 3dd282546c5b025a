// Package boundaries, checked in CI by `pnpm check:boundaries` (docs/architecture.md, "Boundaries").
// Every rule applies to sources and tests alike. Imports that broke a rule when the check came in
// are listed in .dependency-cruiser-known-violations.json and tolerated (`--ignore-known`); any new
// one fails. Paths below are real paths relative to the repository root: an import of a workspace
// package by name (`@panel-access/adapter-memory`) resolves through pnpm's symlink to
// packages/adapter-memory/src/index.ts (the "@panel-access/source" export condition).

/** One workspace package or example: $1 is "packages" or "examples", $2 its folder. */
const ANY_PACKAGE = "^(packages|examples)/([^/]+)/";

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
      to: { path: "^(packages/(adapter-[^/]+|testkit)|examples)/" },
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
