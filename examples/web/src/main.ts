import { MailConfigError } from "@panel-access/adapter-smtp";
import { type RunningServer, StartupError, startServer } from "./server.js";

// Development mode is asked for explicitly; everything else is production mode.
const development = process.argv.includes("--dev") || process.env.NODE_ENV === "development";

/** `TRUSTED_PROXIES`: proxy addresses or CIDR ranges, separated by commas; unset or empty: none. */
const trustedProxies = (process.env.TRUSTED_PROXIES ?? "")
  .split(",")
  .map((entry) => entry.trim())
  .filter((entry) => entry !== "");

let running: RunningServer;
try {
  running = await startServer({
    port: Number(process.env.PORT ?? 3000),
    databaseUrl: process.env.DATABASE_URL,
    publicUrl: process.env.PUBLIC_URL,
    development,
    smtpUrl: process.env.SMTP_URL,
    mailFrom: process.env.MAIL_FROM,
    administratorEmail: process.env.ADMIN_EMAIL,
    administratorPassword: process.env.ADMIN_PASSWORD,
    supportKey: process.env.SUPPORT_KEY,
    trustedProxies,
  });
} catch (error) {
  // A refusal names its reason (no stack); anything else is a bug or an outage, with its stack.
  if (!(error instanceof StartupError || error instanceof MailConfigError)) throw error;
  console.error(error.message);
  process.exit(1);
}
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.once(signal, () => {
    void running.close().then(() => process.exit(0));
  });
}
console.log(
  `Panel Access example on ${running.url} (${process.env.DATABASE_URL ? "PostgreSQL" : "in memory"}, ${development ? "development mode" : "mail over SMTP"})`,
);
console.log(
  `  client addresses (LCK-9): ${trustedProxies.length === 0 ? "the socket's; X-Forwarded-For ignored" : `X-Forwarded-For through the trusted proxies ${trustedProxies.join(", ")} (TRUSTED_PROXIES)`}`,
);
if (development) {
  // Development mode only: the secrets are printed once. Otherwise they come from the environment.
  console.log(
    `  administrator: ${running.administrator.email} / ${running.administrator.password}`,
  );
  console.log(`  support key (for ${running.url}/support): ${running.supportKey}`);
  console.log(`  mail viewer: ${running.url}/mail`);
} else {
  console.log(`  administrator: ${running.administrator.email} (password: ADMIN_PASSWORD)`);
}
