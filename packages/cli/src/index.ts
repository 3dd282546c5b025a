/**
 * The operator's command line, `panel-access`, as a function: run it from a
 * script or a test of your own with the environment and writers you choose.
 * The `panel-access` bin is this with the process's.
 *
 * @module @panel-access/cli
 */
export { EXIT, type ExitCode } from "./exit-codes.js";
export type { CliIo } from "./io.js";
export { runCli } from "./program.js";
