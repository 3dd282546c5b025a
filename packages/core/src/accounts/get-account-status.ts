import type { DateTime } from "luxon";
import { err, ok, type Result, type ResultAsync } from "neverthrow";
import { z } from "zod";
import type { AccessTerm } from "../domain/access.js";
import { type AccountRecord, type AccountStatus, statusOf } from "../domain/account.js";
import { isMembershipLive, type MembershipRecord } from "../domain/membership.js";
import {
  type AccountNotFound,
  accountNotFound,
  type Forbidden,
  forbidden,
  type InvalidInput,
  type SessionInvalid,
  type StorageFailed,
} from "../errors.js";
import { actorSchema, emailSchema, parseInput, tokenSchema } from "../input/schemas.js";
import type { StorageTx } from "../ports/storage.js";
import type { Dependencies } from "../runtime/dependencies.js";
import { readOnly } from "../runtime/unit-of-work.js";
import { authenticate } from "../sessions/steps/authenticate.js";

/** The support team's request: any account, by e-mail. Only an `operator` actor is allowed. */
export const supportAccountStatusInput = z.object({ actor: actorSchema, email: emailSchema });

/** A field the person's request must leave out: a session reads its own account only. */
const absent = z.undefined({ error: "a session reads its own account only: leave this out" });

/**
 * The person's request: their own account, through a working session. Naming
 * an e-mail or an actor as well is `INVALID_INPUT` rather than silently
 * answering about the session's account instead of the one named.
 */
export const ownAccountStatusInput = z.object({
  sessionToken: tokenSchema,
  email: absent.optional(),
  actor: absent.optional(),
});

/**
 * What `getAccountStatus` takes; validated with zod (INP-1): an input that
 * holds a `sessionToken` key is the person's request and is checked against
 * `ownAccountStatusInput`, any other against `supportAccountStatusInput` (so
 * an input with neither is refused naming `actor` and `email`). Not a zod
 * discriminated union, as the two shapes share no tag; choosing by key keeps
 * every issue's path pointing at the field that is wrong.
 */
export const getAccountStatusInput = z.union([supportAccountStatusInput, ownAccountStatusInput]);
/** What `getAccountStatus` takes: `{ actor, email }` (support) or `{ sessionToken }` (the person). */
export type GetAccountStatusInput = z.input<typeof getAccountStatusInput>;
/** Every error `getAccountStatus` can answer. */
export type GetAccountStatusError =
  | InvalidInput
  | Forbidden
  | AccountNotFound
  | SessionInvalid
  | StorageFailed;

/** The account's second factor (TFA-1, TFA-2): never its secret. */
export type TwoFactorState =
  /** No setup started, or reset by an administrator or support (TFA-8): the next login sets it up. */
  | "none"
  /** A setup was shown and not confirmed with a code yet. */
  | "pending"
  /** Confirmed: every login asks for a code (TFA-3). */
  | "enrolled";

/** One of the account's memberships, as `getAccountStatus` shows it. */
export interface AccountMembershipView {
  readonly panelId: string;
  readonly panelName: string;
  readonly role: string;
  readonly access: AccessTerm;
  /**
   * Whether this membership's access term is still running now (PNL-1).
   * `false` for access that has ended (kept so it can be re-invited, PNL-3).
   * A live membership is entered only while the account is `active`, and an
   * SSO session reaches only SSO panels (TFA-9): see `validateSession`.
   */
  readonly live: boolean;
  readonly grantedAt: DateTime;
}

/**
 * An account's status and memberships (`getAccountStatus`). Never a password
 * hash, a 2FA secret, a token or a backup code. The lockout fields are for the
 * support team only: they are absent from the person's own answer.
 */
export interface AccountStatusView {
  readonly accountId: string;
  /** Normalised. */
  readonly email: string;
  /** Derived now with `statusOf` (precedence: permanentlyBlocked > locked > unregistered > expired > active). */
  readonly status: AccountStatus;
  /** When the password was first set; `null` while unregistered. */
  readonly registeredAt: DateTime | null;
  /** Support only: when the account was locked (LCK-1); absent when it is not locked. */
  readonly lockedAt?: DateTime;
  /** Support only: when the account was permanently blocked (LCK-5); absent when it is not. */
  readonly blockedAt?: DateTime;
  /** Support only: failed password or second-factor checks in a row (LCK-1, LCK-6); `0` included. */
  readonly consecutiveFailures?: number;
  /** Support only: locks in a row not yet ended by a complete login (LCK-5); `0` included. */
  readonly consecutiveLocks?: number;
  readonly twoFactor: TwoFactorState;
  /** Every membership, ended ones included (`live: false`), by panel name. Removed ones are gone (PNL-4). */
  readonly memberships: AccountMembershipView[];
}

type Request =
  | { readonly audience: "support"; readonly input: z.output<typeof supportAccountStatusInput> }
  | { readonly audience: "person"; readonly sessionToken: string };

/** INP-1: picks the request's shape by its keys, then validates it; never throws. */
function parseRequest(input: unknown): Result<Request, InvalidInput> {
  let person: boolean;
  try {
    person = typeof input === "object" && input !== null && "sessionToken" in input;
  } catch {
    person = false; // a hostile proxy: the support schema refuses it as unreadable
  }
  return person
    ? parseInput(ownAccountStatusInput, input).map(({ sessionToken }) => ({
        audience: "person" as const,
        sessionToken,
      }))
    : parseInput(supportAccountStatusInput, input).map((parsed) => ({
        audience: "support" as const,
        input: parsed,
      }));
}

/**
 * An account's status and its memberships, ended ones included, for two
 * audiences:
 *
 * - **The support team** (`{ actor, email }`, LCK-5, ACC-5): an `operator`
 *   actor reads any account, lockout facts included (`consecutiveFailures`,
 *   `consecutiveLocks`, `lockedAt`, `blockedAt`). Any other actor
 *   (administrator, `system`) is `FORBIDDEN`, answered before the e-mail is
 *   looked up so a refused caller cannot learn which e-mails have accounts;
 *   then an unknown e-mail is `ACCOUNT_NOT_FOUND`.
 * - **The person** (`{ sessionToken }`, SES-1): their own account through a
 *   session that works now, `local` or `sso` alike (reading changes
 *   nothing). No lockout fields: a session works only while the account is
 *   `active`, so lock and block times are always empty there, and the
 *   failure count would tell whoever holds a stolen session how many guesses
 *   remain before the lock (LCK-1) while telling the person nothing the
 *   security notices do not. A session that does not work is `SESSION_INVALID`.
 *
 * Read-only: no lock, no write, no event, no mail; the session is not touched
 * (its idle expiry is not extended).
 */
export function getAccountStatus(
  deps: Dependencies,
  input: GetAccountStatusInput,
): ResultAsync<AccountStatusView, GetAccountStatusError> {
  return parseRequest(input).asyncAndThen((request) =>
    readOnly(
      deps,
      async (
        tx,
      ): Promise<Result<AccountStatusView, Forbidden | AccountNotFound | SessionInvalid>> => {
        const now = deps.clock.now();
        if (request.audience === "person") {
          const found = await authenticate(deps, tx, request.sessionToken, now);
          if (found.isErr()) return err(found.error);
          const { account, memberships } = found.value;
          return ok(await viewOf(tx, account, memberships, now, "person"));
        }
        const { actor, email } = request.input;
        if (actor.type !== "operator") return err(forbidden());
        const found = await tx.findAccountWithMemberships({ email });
        if (found === null) return err(accountNotFound());
        return ok(await viewOf(tx, found.account, found.memberships, now, "support"));
      },
    ),
  );
}

/** The answer for `audience`: the person's leaves the lockout fields out. */
async function viewOf(
  tx: StorageTx,
  account: AccountRecord,
  memberships: readonly MembershipRecord[],
  now: DateTime,
  audience: Request["audience"],
): Promise<AccountStatusView> {
  const panels = new Map(
    (await tx.findPanels(memberships.map((m) => m.panelId))).map((p) => [p.id, p]),
  );
  const rows = memberships.flatMap((m): AccountMembershipView[] => {
    const panel = panels.get(m.panelId);
    if (panel === undefined) return [];
    const { panelId, role, access, grantedAt } = m;
    const live = isMembershipLive(m, now);
    return [{ panelId, panelName: panel.name, role, access, live, grantedAt }];
  });
  rows.sort((a, b) => a.panelName.localeCompare(b.panelName) || a.panelId.localeCompare(b.panelId));
  const { lockout } = account;
  return {
    accountId: account.id,
    email: account.email,
    status: statusOf(account, memberships, now),
    registeredAt: account.registeredAt,
    ...(audience === "support" && {
      ...(lockout.lockedAt !== null && { lockedAt: lockout.lockedAt }),
      ...(lockout.blockedAt !== null && { blockedAt: lockout.blockedAt }),
      consecutiveFailures: lockout.consecutiveFailures,
      consecutiveLocks: lockout.consecutiveLocks,
    }),
    twoFactor: account.twoFactor?.status ?? "none",
    memberships: rows,
  };
}
