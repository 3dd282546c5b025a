#!/usr/bin/env node
/**
 * The `panel-access` executable: `runCli` with this process's arguments,
 * environment, standard output and error, and its SIGINT and SIGTERM; then
 * exits with the code it answered once both outputs are flushed.
 *
 * @module
 */
import type { CliIo } from "./io.js";
import { runCli } from "./program.js";

const io: CliIo = {
  env: process.env,
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  // Listened to only when a command waits for it (dispatch): a second signal then ends the process at once.
  stopRequested: () =>
    new Promise((resolve) => {
      const stop = (signal: NodeJS.Signals) => {
        process.off("SIGINT", stop);
        process.off("SIGTERM", stop);
        resolve(signal);
      };
      process.on("SIGINT", stop);
      process.on("SIGTERM", stop);
    }),
};

// No top-level await: no module of the packages has one (docs/installing.md).
void runCli(process.argv.slice(2), io).then((code) => {
  process.exitCode = code;
  // Exit even if a library left a timer or a socket behind, once what was written is out.
  process.stdout.write("", () => process.stderr.write("", () => process.exit(code)));
});
