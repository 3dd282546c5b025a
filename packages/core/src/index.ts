/**
 * The library: createPanelAccess, its options and defaults, the answers and errors of every entry point, and the ports an adapter implements.
 *
 * @module @panel-access/core
 */
export type {
  AccountMembershipView,
  AccountStatusView,
  GetAccountStatusError,
  GetAccountStatusInput,
  TwoFactorState,
} from "./accounts/get-account-status.js";
export type { UnblockAccountError, UnblockAccountInput } from "./accounts/unblock-account.js";
export type { ListAllActivityError, ListAllActivityInput } from "./audit/list-all-activity.js";
export type {
  ListPanelActivityError,
  ListPanelActivityInput,
} from "./audit/list-panel-activity.js";
export type {
  ListSecurityActivityError,
  ListSecurityActivityInput,
} from "./audit/list-security-activity.js";
export type { ActivityEvent, ActivityPage } from "./audit/steps/read-activity.js";
export type { PanelAccessOptions, ResolvedOptions } from "./config/options.js";
export { PanelAccessConfigError } from "./config/options.js";
export {
  type Argon2Parameters,
  createArgon2idHasher,
  OWASP_ARGON2ID,
} from "./defaults/argon2id-hasher.js";
export { cryptoRandom } from "./defaults/crypto-random.js";
export { InProcessThrottleStore } from "./defaults/in-process-throttle-store.js";
export {
  combinePasswordScreens,
  createOfflinePasswordScreen,
  type OfflinePasswordScreenOptions,
} from "./defaults/offline-password-screen.js";
export { systemClock } from "./defaults/system-clock.js";
export type { AccessTerm } from "./domain/access.js";
export type {
  AccountRecord,
  AccountStatus,
  LockoutFacts,
  TwoFactorEnrolment,
} from "./domain/account.js";
export type { Actor } from "./domain/actor.js";
export {
  type AuditEventRecord,
  type AuditPosition,
  EVENT_TYPES,
  newestFirst,
  type Page,
  type Serialised,
  type StoredEvent,
} from "./domain/audit.js";
export { normaliseEmail } from "./domain/email.js";
export type {
  DomainEvent,
  DomainEventType,
  EventActor,
  LoginFailureReason,
  SessionRevocationReason,
} from "./domain/events.js";
export type { LockoutPolicy } from "./domain/lockout.js";
export type { MailIntent, MailKind, PanelRef } from "./domain/mail.js";
export type { MembershipRecord } from "./domain/membership.js";
export { ADMINISTRATOR_ROLE } from "./domain/membership.js";
export type { LinkPurpose, OneTimeLinkRecord } from "./domain/one-time-link.js";
export type {
  MailClaim,
  MailOutcome,
  MailSettlement,
  OutboxMessageRecord,
  OutboxStatus,
  RetryPolicy,
} from "./domain/outbox.js";
export type { PanelRecord, PanelSettings } from "./domain/panel.js";
export type { AuthenticationMethod, SessionPolicy, SessionRecord } from "./domain/session.js";
export type { ThrottleLimit } from "./domain/throttle.js";
export type { BackupCodeRecord, RememberedBrowserRecord } from "./domain/two-factor.js";
export type {
  AccessEnded,
  AccessEndNotInFuture,
  AccessStillLive,
  AccountBlocked,
  AccountNotFound,
  AlreadyRegistered,
  Busy,
  Forbidden,
  InputIssue,
  InvalidInput,
  InvitationExpired,
  InvitationRefused,
  InvitationRevoked,
  InvitationSuperseded,
  InvitationUnknown,
  InvitationUsed,
  LastAdministrator,
  LoginFailed,
  MembershipNotFound,
  NoLiveAccess,
  NotBlocked,
  PanelNotFound,
  PasswordRefused,
  PasswordScreenUnavailable,
  PasswordTooCommon,
  ResetLinkExpired,
  ResetLinkRefused,
  ResetLinkSuperseded,
  ResetLinkUnknown,
  ResetLinkUsed,
  SecondFactorSessionRequired,
  SessionInvalid,
  StorageFailed,
  ThrottleUnavailable,
  TooManyAttempts,
  TwoFactorResetNeedsSupport,
} from "./errors.js";
export type {
  InspectInvitationError,
  InspectInvitationInput,
  InvitationDetails,
} from "./invitations/inspect-invitation.js";
export type { RegisterError, RegisterInput, Registration } from "./invitations/register.js";
export type {
  ResendInvitationError,
  ResendInvitationInput,
} from "./invitations/resend-invitation.js";
export type { IssuedInvitation } from "./invitations/steps/issue-invitation.js";
export type { LoginError, LoginInput } from "./login/login.js";
export type {
  OpenSsoSessionError,
  OpenSsoSessionInput,
} from "./login/open-sso-session.js";
export type { LoginStep } from "./login/steps/password-step.js";
export {
  type DispatchesMail,
  type MailDispatcher,
  type MailDispatcherOptions,
  startMailDispatcher,
} from "./mail/mail-dispatcher.js";
export type {
  ListMailInput,
  MailNotFailed,
  QueuedMail,
  RetryMailInput,
} from "./mail/mail-queue.js";
export { createPanelAccess, type PanelAccess, type PanelAccessPorts } from "./panel-access.js";
export type { AddMemberError, AddMemberInput } from "./panels/add-member.js";
export type { ChangeAccessError, ChangeAccessInput } from "./panels/change-access.js";
export type { CreatedPanel, CreatePanelError, CreatePanelInput } from "./panels/create-panel.js";
export type { ListMembersError, ListMembersInput, MemberView } from "./panels/list-members.js";
export type { ReinviteMemberError, ReinviteMemberInput } from "./panels/reinvite-member.js";
export type { RemoveMemberError, RemoveMemberInput } from "./panels/remove-member.js";
export type { Grant, GrantNotice, GrantRefused } from "./panels/steps/grant-access.js";
export type { ForgotPasswordError, ForgotPasswordInput } from "./passwords/forgot-password.js";
export type {
  InspectPasswordResetError,
  InspectPasswordResetInput,
  ResetPasswordError,
  ResetPasswordInput,
} from "./passwords/reset-password.js";
export {
  type CleanupCutoffs,
  type CleanupOptions,
  type CleanupReport,
  cleanupCutoffs,
  logCleanup,
} from "./ports/cleanup.js";
export type { Clock } from "./ports/clock.js";
export type { EventSink } from "./ports/events.js";
export {
  type LogFields,
  type Logger,
  type LogLevel,
  logSafely,
  silentLogger,
} from "./ports/logger.js";
export type { MailEnvelope, Mailer } from "./ports/mailer.js";
export type { PasswordHasher } from "./ports/password-hasher.js";
export type {
  PasswordScreen,
  PasswordScreenContext,
  PasswordScreenReason,
  ScreenVerdict,
} from "./ports/password-screen.js";
export type { RandomSource } from "./ports/random.js";
export type {
  AccountsTx,
  AccountWithMemberships,
  AuditQuery,
  AuditTx,
  BackupCodesTx,
  LinksTx,
  LockScope,
  MailOutboxTx,
  MembershipsTx,
  PanelsTx,
  RememberedBrowsersTx,
  SessionSnapshot,
  SessionsTx,
  SessionTouch,
  StoragePort,
  StorageTx,
  TotpStepsTx,
} from "./ports/storage.js";
export { lockKeysOf } from "./ports/storage.js";
export type { ThrottleChange, ThrottleStore } from "./ports/throttle.js";
export type { SpanAttributes, Tracer, TraceSpan } from "./ports/tracer.js";
export type { DispatchReport } from "./runtime/deliver-mail.js";
export type { ShutdownReport } from "./runtime/shutdown.js";
export {
  type EncryptionKey,
  SealedSecretError,
  type SealedSecretFailure,
} from "./secrets/secret-box.js";
export type {
  GetLivePanelsError,
  GetLivePanelsInput,
  LivePanel,
} from "./sessions/get-live-panels.js";
export type { SessionError, SessionTokenInput, ValidSession } from "./sessions/sessions.js";
export type { IssuedSession } from "./sessions/steps/complete-login.js";
export type {
  ForgetRememberedBrowserInput,
  RegenerateBackupCodesInput,
  RememberedBrowserView,
} from "./two-factor/account-settings.js";
export type {
  ResetTwoFactorError,
  ResetTwoFactorInput,
  SupportResetTwoFactorError,
  SupportResetTwoFactorInput,
} from "./two-factor/reset-two-factor.js";
export type {
  CompletedLogin,
  CompletedSetup,
  CompleteTwoFactorSetupInput,
  SecondStepError,
  VerifySecondFactorInput,
} from "./two-factor/second-step.js";
export type { IssuedRememberedBrowser } from "./two-factor/steps/remembered-browser.js";
export type { TwoFactorSetup } from "./two-factor/steps/secret.js";
