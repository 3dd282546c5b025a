/** The flow from an ES module: `import`, as most apps load the packages. */
import * as memory from "@panel-access/adapter-memory";
import * as core from "@panel-access/core";
import * as testing from "@panel-access/core/testing";
import { createPanelAccessHttp } from "@panel-access/http";
import * as otpauth from "otpauth";
import { inviteRegisterLogin } from "./flow.js";

const email = await inviteRegisterLogin({ core, memory, testing, otpauth });
console.log(`ESM: ${email} invited, registered, logged in with TOTP`);

// The web layer from its tarball: its OpenAPI document, and a failed login's generic answer.
const http = createPanelAccessHttp(
  core.createPanelAccess(
    { store: new memory.MemoryStore(), mailer: new testing.RecordingMailer() },
    {
      appUrl: "https://app.example.com",
      twoFactor: { encryptionKeys: [{ id: "smoke", key: Buffer.alloc(32, 7) }] },
    },
  ),
  { publicUrl: "https://app.example.com" },
);
const openapi = await http.handle(new Request("https://app.example.com/api/auth/openapi.json"));
const login = await http.handle(
  new Request("https://app.example.com/api/auth/login", {
    method: "POST",
    headers: { "content-type": "application/json", origin: "https://app.example.com" },
    body: JSON.stringify({ email: "nobody@example.com", password: "not the password" }),
  }),
  { socketAddress: "127.0.0.1" },
);
const refused = (await login.json()) as { error: { code: string } };
if (openapi.status !== 200 || login.status !== 401 || refused.error.code !== "LOGIN_FAILED") {
  throw new Error(`@panel-access/http: ${openapi.status} ${login.status} ${refused.error.code}`);
}
console.log("ESM: @panel-access/http answered its OpenAPI document and LOGIN_FAILED");
