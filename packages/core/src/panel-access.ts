import { type PanelAccessOptions, resolveOptions } from "./config/options.js";
import { createArgon2idHasher } from "./defaults/argon2id-hasher.js";
import { cryptoRandom } from "./defaults/crypto-random.js";
import { systemClock } from "./defaults/system-clock.js";
import type { Clock } from "./ports/clock.js";
import type { EventSink } from "./ports/events.js";
import type { Mailer } from "./ports/mailer.js";
import type { PasswordHasher } from "./ports/password-hasher.js";
import type { RandomSource } from "./ports/random.js";
import type { StoragePort } from "./ports/storage.js";
import { type AddMemberInput, addMember } from "./use-cases/add-member.js";
import { type ChangeAccessInput, changeAccess } from "./use-cases/change-access.js";
import { type CreatePanelInput, createPanel } from "./use-cases/create-panel.js";
import type { Dependencies } from "./use-cases/dependencies.js";
import { type GetLivePanelsInput, getLivePanels } from "./use-cases/get-live-panels.js";
import { type InspectInvitationInput, inspectInvitation } from "./use-cases/inspect-invitation.js";
import { type ListMembersInput, listMembers } from "./use-cases/list-members.js";
import { type RegisterInput, register } from "./use-cases/register.js";
import { type ReinviteMemberInput, reinviteMember } from "./use-cases/reinvite-member.js";
import { type RemoveMemberInput, removeMember } from "./use-cases/remove-member.js";
import { type ResendInvitationInput, resendInvitation } from "./use-cases/resend-invitation.js";

/** The ports the host plugs in. */
export interface PanelAccessPorts {
  /** Where records live: `@panel-access/adapter-memory`, `@panel-access/adapter-postgres`. */
  readonly store: StoragePort;
  /** Receives message intents (MAIL-1). */
  readonly mailer: Mailer;
  /** Receives domain events after commit (AUD-1). @default a sink that drops them */
  readonly events?: EventSink;
  /** @default the system clock (UTC) */
  readonly clock?: Clock;
  /** @default `node:crypto.randomBytes` */
  readonly random?: RandomSource;
  /** @default argon2id with `options.argon2` */
  readonly passwordHasher?: PasswordHasher;
}

/**
 * Creates the library's entry point. Every method validates its input (INP-1)
 * and returns a neverthrow `ResultAsync`: `ok` with the outcome, or `err` with
 * a typed error whose `type` is a stable code; a refused request changes nothing.
 *
 * @throws PanelAccessConfigError when `options` are invalid (found at start-up).
 */
export function createPanelAccess(ports: PanelAccessPorts, options: PanelAccessOptions) {
  const resolved = resolveOptions(options);
  const deps: Dependencies = {
    store: ports.store,
    mailer: ports.mailer,
    events: ports.events ?? { publish: () => {} },
    clock: ports.clock ?? systemClock,
    random: ports.random ?? cryptoRandom,
    passwordHasher: ports.passwordHasher ?? createArgon2idHasher(resolved.argon2),
    options: resolved,
  };
  return {
    /** The options in force, defaults filled in. */
    options: resolved,
    /** Creates a panel with its first administrator (operator or system only). */
    createPanel: (input: CreatePanelInput) => createPanel(deps, input),
    /** ACC-1, ACC-2, ACC-2b: adds a person to a panel, or updates their membership. */
    addMember: (input: AddMemberInput) => addMember(deps, input),
    /** ACC-7, ACC-4: a new invitation for an unregistered member; older links stop working. */
    resendInvitation: (input: ResendInvitationInput) => resendInvitation(deps, input),
    /** ACC-9: what a link is for and whether it works, without consuming it. */
    inspectInvitation: (input: InspectInvitationInput) => inspectInvitation(deps, input),
    /** ACC-6: sets the password through a working invitation link. */
    register: (input: RegisterInput) => register(deps, input),
    /** PNL-2, PNL-3, PNL-6: changes a live membership's role or access term. */
    changeAccess: (input: ChangeAccessInput) => changeAccess(deps, input),
    /** PNL-3, PNL-5: restores ended or removed access; registered people need no new registration. */
    reinviteMember: (input: ReinviteMemberInput) => reinviteMember(deps, input),
    /** PNL-4, PNL-6: removes one membership; the account stays. */
    removeMember: (input: RemoveMemberInput) => removeMember(deps, input),
    /** The panel's members with their status (administrators only). */
    listMembers: (input: ListMembersInput) => listMembers(deps, input),
    /** PNL-7: the panels an account can enter right now. */
    getLivePanels: (input: GetLivePanelsInput) => getLivePanels(deps, input),
  };
}

export type PanelAccess = ReturnType<typeof createPanelAccess>;
