import QRCode from "qrcode";
import type { AccountRecord } from "../../domain/account.js";
import { base32Of, totpUri } from "../../domain/totp.js";
import type { Dependencies } from "../../runtime/dependencies.js";
import { open, seal, sealedWith } from "../../secrets/secret-box.js";

/** TFA-1: 160-bit secrets, the size RFC 4226 §4 recommends for HMAC-SHA-1. */
const SECRET_BYTES = 20;

/** A new TOTP secret, and its sealed form for storage (TFA-11). */
export function newTotpSecret(
  deps: Dependencies,
  accountId: string,
): { secret: Uint8Array; sealed: string } {
  const secret = deps.random.bytes(SECRET_BYTES);
  const [key] = deps.options.twoFactor.encryptionKeys;
  if (key === undefined) throw new Error("no encryption key configured");
  return { secret, sealed: seal(secret, key, accountId) };
}

/**
 * TFA-11: the sealed form under the newest key, or `null` when the secret is
 * already sealed under it. Used after a successful check to finish a rotation.
 */
export function resealIfRotated(
  deps: Dependencies,
  account: AccountRecord,
  secret: Uint8Array,
): string | null {
  const [newest] = deps.options.twoFactor.encryptionKeys;
  if (newest === undefined || account.twoFactor === null) return null;
  return sealedWith(account.twoFactor.sealedSecret) === newest.id
    ? null
    : seal(secret, newest, account.id);
}

/** The account's TOTP secret in the clear, for the moment of a check. */
export function openTotpSecret(deps: Dependencies, account: AccountRecord): Uint8Array | null {
  if (account.twoFactor === null) return null;
  return open(account.twoFactor.sealedSecret, deps.options.twoFactor.encryptionKeys, account.id);
}

/** What the setup screen shows (TFA-1). Built in this process: the secret never leaves it. */
export interface TwoFactorSetup {
  /** `otpauth://totp/Issuer:email?secret=…&issuer=…&algorithm=SHA1&digits=6&period=30` */
  readonly uri: string;
  /** The secret in base32, for typing it into an app instead of scanning. */
  readonly secret: string;
  /** The URI as a QR code, an SVG document (about 2 ms to make). */
  readonly qrSvg: string;
  /**
   * The URI as a QR code, a `data:image/png;base64,…` URL, made when called:
   * PNG encoding costs about 12 ms of main-thread CPU, too much to spend on
   * every setup login whether or not the page shows a PNG.
   */
  readonly renderQrPng: () => Promise<string>;
}

/** Renders the setup screen's data with the `qrcode` package, locally. */
export async function setupScreen(
  deps: Dependencies,
  email: string,
  secret: Uint8Array,
): Promise<TwoFactorSetup> {
  const uri = totpUri(secret, deps.options.twoFactor.issuer, email);
  const qrSvg = await QRCode.toString(uri, { type: "svg", errorCorrectionLevel: "M", margin: 2 });
  const renderQrPng = () =>
    QRCode.toDataURL(uri, { errorCorrectionLevel: "M", margin: 2, scale: 6 });
  return { uri, secret: base32Of(secret), qrSvg, renderQrPng };
}
