/** PWD-6: why a new password was refused. The link still works, so the form comes back. */
const PASSWORD_PROBLEMS: Record<string, string> = {
  common:
    "This password is too common: attackers try it first. Choose another; a few unrelated words make a good one.",
  breached: "This password has appeared in a data breach. Choose another.",
  contextual: "This password is built from your e-mail address or our name. Choose another.",
  repetitive: "This password repeats the same few characters. Choose another.",
};
const SCREEN_UNAVAILABLE =
  "We could not check your new password just now. Please try again in a moment.";

/** PWD-6: the reason a refused new password is shown, or `undefined` when the refusal is another one. */
export function passwordProblem(error: { type: string; reason?: string }): string | undefined {
  if (error.type === "PASSWORD_SCREEN_UNAVAILABLE") return SCREEN_UNAVAILABLE;
  if (error.type !== "PASSWORD_TOO_COMMON") return undefined;
  return PASSWORD_PROBLEMS[error.reason ?? ""] ?? "Choose another password.";
}
