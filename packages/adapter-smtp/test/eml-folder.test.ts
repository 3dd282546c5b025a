import { mkdtemp, readdir, readFile, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { simpleParser } from "mailparser";
import { describe, expect, it } from "vitest";
import { createEmlFolderMailer } from "../src/index.js";
import { oneOfEach } from "./intents.js";

describe("the .eml folder mailer (development)", () => {
  it("MAIL-1: messages sent at once become one readable file each, only for their owner", async () => {
    const folder = join(await mkdtemp(join(tmpdir(), "panel-access-eml-")), "mail");
    const mailer = createEmlFolderMailer({ from: "Dev <dev@localhost>", folder });
    // Every kind, and the same invitation three more times (a resend storm): no file may overwrite another.
    const messages = [
      ...Object.values(oneOfEach),
      ...Array.from({ length: 3 }, () => oneOfEach.invitation),
    ];
    await Promise.all(messages.map((m, i) => mailer.send(m, { messageId: `m${i}`, attempt: 1 })));
    const files = (await readdir(folder)).sort();
    expect(files).toHaveLength(messages.length);
    expect(new Set(mailer.files).size).toBe(messages.length);
    for (const file of files) {
      expect((await stat(join(folder, file))).mode & 0o777).toBe(0o600);
      const parsed = await simpleParser(await readFile(join(folder, file)));
      expect(parsed.messageId).toMatch(/^<m\d+@localhost>$/);
      expect(parsed.text?.length).toBeGreaterThan(50);
      expect(parsed.html).toContain("<html");
    }
  });
});
