/**
 * Who asks for an action (RULES.md, Terms). The host vouches for the actor:
 * it comes from a validated session (`account`), the host's support tooling
 * (`operator`), or the host itself (`system`).
 */
export type Actor =
  | { readonly type: "account"; readonly accountId: string }
  | { readonly type: "operator"; readonly operatorId: string }
  | { readonly type: "system" };
