import type { DateTime } from "luxon";

/** Per-panel settings. */
export interface PanelSettings {
  /** TFA-9: a panel with SSO enabled does not ask for the library's second factor. */
  readonly ssoEnabled: boolean;
}

/** A workspace. */
export interface PanelRecord {
  readonly id: string;
  readonly name: string;
  readonly settings: PanelSettings;
  readonly createdAt: DateTime;
}
