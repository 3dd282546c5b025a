#!/usr/bin/env node
/**
 * The `panel-access` executable: `runCli` with this process's arguments,
 * environment, standard output and error, and its SIGINT, SIGTERM and
 * SIGHUP; then exits with the code it answered once both outputs are
 * flushed. Should the event loop empty before `runCli` answers (nothing
 * left to wait for: a bug), it exits 70 with an internal error, never 0.
 *
 * @module
 */
import { EXIT } from "./exit-codes.js";
import { type CliIo, complain } from "./io.js";
import { runCli } from "./program.js";

/** The signals that ask a waiting command (dispatch) to stop gracefully. */
const STOP_SIGNALS = ["SIGINT", "SIGTERM", "SIGHUP"] as const satisfies readonly NodeJS.Signals[];

/** Longer than any wait: the interval only keeps the event loop alive, it never fires in practice. */
const KEEP_ALIVE_MS = 2 ** 31 - 1;

const io: CliIo = {
  env: process.env,
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  // Listened to only when a command waits for it (dispatch): a second signal then ends the process at once.
  // A signal listener keeps nothing alive: the interval holds the process until the stop comes
  // (the library's timers are unref'd, and the database pool closes its idle connections).
  stopRequested: () =>
    new Promise((resolve) => {
      const keepAlive = setInterval(() => {}, KEEP_ALIVE_MS);
      const stop = (signal: NodeJS.Signals) => {
        for (const each of STOP_SIGNALS) process.off(each, stop);
        clearInterval(keepAlive);
        resolve(signal);
      };
      for (const each of STOP_SIGNALS) process.on(each, stop);
    }),
};

let answered = false;

/** Exits with `code` once what was written to both outputs is out. */
function exitWith(code: number): void {
  process.exitCode = code;
  // Exit even if a library left a timer or a socket behind, once what was written is out.
  process.stdout.write("", () => process.stderr.write("", () => process.exit(code)));
}

// The event loop emptied with runCli still pending: a command awaits something that can
// never come. Without this guard Node would exit 0, as if the command had succeeded.
process.on("beforeExit", () => {
  if (answered) return;
  answered = true;
  complain(io, "internal error: the command ended without an answer (please report it)");
  exitWith(EXIT.internal);
});

// No top-level await: no module of the packages has one (docs/installing.md).
void runCli(process.argv.slice(2), io).then((code) => {
  if (answered) return;
  answered = true;
  exitWith(code);
});
