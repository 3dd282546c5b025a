import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { type SmtpPeer, startSmtpPeer } from "@panel-access/test-support/smtp-peer";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const run = promisify(execFile);
let peer: SmtpPeer;
beforeAll(async () => {
  peer = await startSmtpPeer();
});
afterAll(() => peer.stop());

/** What the story must send, in order (MAIL-1): nothing more, nothing less. */
const STORY_MAIL = [
  "invitation→alice@acme.test",
  "invitation→bob@acme.test",
  "invitation→carol@acme.test",
  "invitation→bob@acme.test", // the resend after Bob's first link expired
  "accessRestored→carol@acme.test", // re-invited after her temporary access ended
  "accessGranted→bob@acme.test", // ACC-2 v2: removed, then added again
  "accountLocked→bob@acme.test", // six wrong passwords
  "passwordChanged→bob@acme.test", // MAIL-3: after his reset
  "twoFactorEnabled→bob@acme.test", // MAIL-3: his 2FA setup
  "browserRemembered→bob@acme.test", // MAIL-3: "remember this browser"
  "twoFactorReset→bob@acme.test", // new phone
];

describe("the demo story over a real SMTP server", () => {
  it("MAIL-1, MAIL-2, MAIL-3: every message the story sends arrives at the server, once, and no other", async () => {
    const { stdout } = await run(
      process.execPath,
      ["--import", "tsx", "--conditions=@panel-access/source", "src/main.ts", "--store=memory"],
      {
        cwd: new URL("..", import.meta.url),
        env: { ...process.env, PANEL_ACCESS_DEMO_SMTP: `127.0.0.1:${peer.port}` },
        timeout: 60_000,
      },
    );
    expect(stdout).toContain(`${STORY_MAIL.length} messages sent in all: ${STORY_MAIL.join(", ")}`);
    const arrived = peer.received.map(
      (r) => `${r.parsed.headers.get("x-panel-access-kind")}→${r.rcptTo.join(",")}`,
    );
    expect(arrived).toEqual(STORY_MAIL);
    const ids = peer.received.map((r) => r.parsed.messageId);
    expect(new Set(ids).size).toBe(STORY_MAIL.length);
    for (const { parsed } of peer.received) {
      expect(parsed.text?.length).toBeGreaterThan(50);
      expect(parsed.html).toContain("Acme Access");
    }
  });
});
