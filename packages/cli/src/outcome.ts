import type { InputIssue } from "@panel-access/core";
import { type ConfigProblem, describeProblems } from "./env.js";
import { EXIT, type ExitCode } from "./exit-codes.js";
import { type CliIo, complain } from "./io.js";

/** An error the library answered: its stable code, and for bad input what was wrong. */
export interface LibraryError {
  readonly type: string;
  readonly issues?: readonly InputIssue[];
}

/**
 * Says why the library refused, and answers the exit code: 2 for bad input
 * (`INVALID_INPUT`, with each issue's path and message, never the value),
 * 4 for `STORAGE_FAILED`, 1 for a rule's refusal, said in `reasons`' words
 * (by code) followed by the code.
 */
export function refusal(
  io: CliIo,
  error: LibraryError,
  reasons: Readonly<Record<string, string>>,
): ExitCode {
  if (error.type === "INVALID_INPUT") {
    const issues = (error.issues ?? []).map(
      (issue) => `${issue.path.length > 0 ? `${issue.path.join(".")}: ` : ""}${issue.message}`,
    );
    complain(io, `invalid input (INVALID_INPUT): ${issues.join("; ")}`);
    return EXIT.usage;
  }
  if (error.type === "STORAGE_FAILED") {
    complain(io, "the database failed (STORAGE_FAILED); nothing changed");
    return EXIT.database;
  }
  complain(io, `${reasons[error.type] ?? "refused; nothing changed"} (${error.type})`);
  return EXIT.refused;
}

/** Says every configuration problem, one a line, and answers exit code 3. */
export function misconfigured(io: CliIo, problems: readonly ConfigProblem[]): ExitCode {
  for (const line of describeProblems(problems).split("\n")) complain(io, line);
  return EXIT.configuration;
}
