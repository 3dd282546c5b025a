import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { toNodeListener } from "../src/node.js";
import { ADMIN, PUBLIC_URL, site } from "./harness.js";

const servers: Server[] = [];
afterEach(async () => {
  for (const server of servers.splice(0)) {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
});

describe("a body parser mounted before the Node listener", () => {
  it("INP-1, LCK-8: a body another middleware already read is a loud 500 with onError, not a silent LOGIN_FAILED", async () => {
    const errors: string[] = [];
    const s = await site({
      onError: (error) => errors.push(error instanceof Error ? error.message : String(error)),
    });
    const api = toNodeListener(s.http);
    // What express.json() does: read the whole body, keep it, mark it parsed.
    const server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on("data", (chunk: Buffer) => chunks.push(chunk));
      req.on("end", () => {
        Object.assign(req, { _body: true, body: JSON.parse(Buffer.concat(chunks).toString()) });
        void api(req, res);
      });
    });
    servers.push(server);
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const { port } = server.address() as AddressInfo;
    const answer = await fetch(`http://127.0.0.1:${port}/api/auth/login`, {
      method: "POST",
      headers: { "content-type": "application/json", origin: PUBLIC_URL },
      body: JSON.stringify({ email: ADMIN.email, password: ADMIN.password }),
    });
    expect(answer.status).toBe(500);
    expect(((await answer.json()) as { error: { code: string } }).error.code).toBe(
      "INTERNAL_ERROR",
    );
    expect(errors).toEqual([expect.stringContaining("before any body parser")]);
  });
});
