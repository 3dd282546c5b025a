import type { StoragePort } from "@panel-access/core";
import fc from "fast-check";
import {
  AddMember,
  ChangeAccess,
  ReinviteMember,
  RemoveMember,
  ResendInvitation,
  ResetTwoFactor,
  SupportResetTwoFactor,
  UnblockAccount,
} from "./commands/admin-commands.js";
import { AdvanceClock } from "./commands/clock-command.js";
import type { AccessSpec } from "./commands/command-kit.js";
import { ForgotPassword, ResetPassword } from "./commands/password-reset-commands.js";
import { LockAndReset, Login, WrongPasswords } from "./commands/password-step-commands.js";
import { Register } from "./commands/register-command.js";
import {
  CompleteSetup,
  SecondFactor,
  type SecondFactorKind,
} from "./commands/second-factor-commands.js";
import { CheckSessions, Logout } from "./commands/session-commands.js";
import { ForgetBrowsers, RegenerateBackupCodes } from "./commands/settings-commands.js";
import { DAY, HOUR, MINUTE } from "./state.js";
import { ADMINISTRATORS, PANELS, PEOPLE } from "./world/cast.js";
import { newHistory } from "./world.js";

/**
 * Durations that sit on the rules' boundaries (and 1 ms either side): a TOTP
 * step, the minute a session's last use is recorded at most once in (SES-3;
 * 59.999 s then 29 min 0.001 s meet a 30-minute idle end counted from an
 * unrecorded use), the challenge's 10 minutes, the session's 30 minutes idle
 * and 12 hours, the reset link's hour, 3 days of access, the invitation's 7 days.
 */
export const BOUNDARY_DURATIONS: readonly number[] = [
  1,
  30_000,
  MINUTE - 1,
  MINUTE,
  29 * MINUTE + 1,
  10 * MINUTE - 1,
  10 * MINUTE,
  30 * MINUTE,
  HOUR - 1,
  HOUR,
  12 * HOUR,
  3 * DAY,
  7 * DAY - 1,
  7 * DAY,
];

/** Mostly p0 (enrolled at the start), so that histories go deep; p1 and p2 less often. */
const person = fc.oneof(
  { weight: 5, arbitrary: fc.constant(0) },
  { weight: 2, arbitrary: fc.constant(1) },
  { weight: 1, arbitrary: fc.nat({ max: PEOPLE - 1 }) },
);
const panel = fc.constantFrom(...PANELS);
const duration = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(...BOUNDARY_DURATIONS) },
  { weight: 1, arbitrary: fc.integer({ min: 1, max: 8 * DAY }) },
);
/** Permanent, or temporary access ending after one of the boundary durations (0: ends now, refused). */
const access: fc.Arbitrary<AccessSpec> = fc.oneof(
  fc.constant({ type: "permanent" } as const),
  fc.record({ type: fc.constant("temporary" as const), ms: fc.oneof(fc.constant(0), duration) }),
);
const link = fc.constantFrom("latest" as const, "oldest" as const);
const secondFactorKind = fc.constantFrom<SecondFactorKind>(
  "totp",
  "previousTotp",
  "replayedTotp",
  "wrongTotp",
  "backup",
  "usedBackup",
  "wrongBackup",
);

/** Every command of the model, weighted towards what moves a history forward. */
export function modelCommands(maxCommands: number) {
  const add = fc.tuple(person, panel, access).map(([p, k, a]) => new AddMember(p, k, a));
  const register = fc.tuple(person, link).map(([p, l]) => new Register(p, l));
  const login = fc
    .tuple(
      person,
      fc.boolean(),
      fc.constantFrom("none" as const, "latest" as const, "oldest" as const),
    )
    .map(([p, right, b]) => new Login(p, right, b));
  const setup = fc
    .tuple(person, fc.boolean(), fc.boolean())
    .map(([p, right, rem]) => new CompleteSetup(p, right, rem));
  const secondFactor = fc
    .tuple(person, secondFactorKind, fc.boolean())
    .map(([p, k, rem]) => new SecondFactor(p, k, rem));
  return fc.commands(
    [
      // The steps that move a history forward come three times: drawn three times as often.
      ...[add, register, login, setup, secondFactor].flatMap((c) => [c, c, c]),
      fc.tuple(person, panel).map(([p, k]) => new ResendInvitation(p, k)),
      fc.tuple(person, panel, access).map(([p, k, a]) => new ReinviteMember(p, k, a)),
      fc.tuple(person, panel, access).map(([p, k, a]) => new ChangeAccess(p, k, a)),
      fc.tuple(person, panel).map(([p, k]) => new RemoveMember(p, k)),
      fc.tuple(person, fc.integer({ min: 1, max: 6 })).map(([p, n]) => new WrongPasswords(p, n)),
      person.map((p) => new LockAndReset(p)),
      person.map((p) => new ForgotPassword(p)),
      fc.tuple(person, link).map(([p, l]) => new ResetPassword(p, l)),
      fc
        .tuple(person, panel, fc.nat({ max: ADMINISTRATORS.length - 1 }))
        .map(([p, k, a]) => new ResetTwoFactor(p, k, a)),
      fc
        .tuple(person, fc.constantFrom("operator" as const, "administrator" as const))
        .map(([p, asker]) => new SupportResetTwoFactor(p, asker)),
      person.map((p) => new UnblockAccount(p)),
      person.map((p) => new CheckSessions(p)),
      fc.tuple(person, fc.boolean()).map(([p, right]) => new RegenerateBackupCodes(p, right)),
      fc
        .tuple(person, fc.constantFrom("newest" as const, "all" as const))
        .map(([p, w]) => new ForgetBrowsers(p, w)),
      person.map((p) => new Logout(p)),
      duration.map((ms) => new AdvanceClock(ms)),
    ],
    { maxCommands, size: "max" },
  );
}

/**
 * How every history starts, so that the random part begins from a rich state:
 * p0 registered with 2FA set up (panel A, permanent), p1 registered without
 * (panel A, permanent), p2 invited to panel B for 3 days. Checked like any
 * other command.
 */
export function openingMoves() {
  return [
    new AddMember(0, "A", { type: "permanent" }),
    new Register(0, "latest"),
    new Login(0, true, "none"),
    new CompleteSetup(0, true, false),
    new AddMember(1, "A", { type: "permanent" }),
    new Register(1, "latest"),
    new AddMember(2, "B", { type: "temporary", ms: 3 * DAY }),
  ];
}

/** Options of `checkAgainstModel`. */
export interface ModelCheckOptions {
  /**
   * A store over the database to check. Called once per history, or once for
   * all when `shareStore` is set (histories use distinct e-mails and panels).
   */
  readonly createStore: () => StoragePort | Promise<StoragePort>;
  /** One store for every history (a database that is slow to create). @default false */
  readonly shareStore?: boolean;
  /** How many histories to generate. @default 100 */
  readonly histories?: number;
  /** The longest history, in commands. @default 40 */
  readonly maxCommands?: number;
  /** Replays a failure: the seed fast-check printed. */
  readonly seed?: number;
  /** Replays a failure: the path fast-check printed. */
  readonly path?: string;
}

/** What a check ran. */
export interface ModelCheckReport {
  readonly histories: number;
  readonly commands: number;
  /** Milestone → in how many histories it was reached (coverage of the rules). */
  readonly reached: ReadonlyMap<string, number>;
}

/**
 * Runs random histories of every use case against the library on your store
 * and against the reference model, comparing after every command: each
 * answer, each message (kind, recipient, stated expiry), each person's
 * status in each panel, the panels each account reaches, and every session.
 * Throws fast-check's report (the shrunk history as a story, and the seed to
 * replay it) on the first divergence.
 */
export async function checkAgainstModel(options: ModelCheckOptions): Promise<ModelCheckReport> {
  let shared: StoragePort | null = null;
  const store = async () => {
    if (!options.shareStore) return options.createStore();
    shared ??= await options.createStore();
    return shared;
  };
  let histories = 0;
  let commands = 0;
  const reached = new Map<string, number>();
  await fc.assert(
    fc.asyncProperty(modelCommands(options.maxCommands ?? 40), async (cmds) => {
      const history = await newHistory(await store());
      for (const move of openingMoves()) await move.run(history.model, history.real);
      await fc.asyncModelRun(() => history, cmds);
      histories += 1;
      commands += history.model.steps;
      for (const milestone of history.model.reached)
        reached.set(milestone, (reached.get(milestone) ?? 0) + 1);
    }),
    {
      numRuns: options.histories ?? 100,
      ...(options.seed !== undefined && { seed: options.seed }),
      ...(options.path !== undefined && { path: options.path }),
    },
  );
  return { histories, commands, reached };
}
