import { startServer } from "./server.js";

const running = await startServer({
  port: Number(process.env.PORT ?? 3000),
  databaseUrl: process.env.DATABASE_URL,
  testMode: process.env.PANEL_ACCESS_TEST_MODE === "1",
  publicUrl: process.env.PUBLIC_URL,
});
console.log(
  `Panel Access example on ${running.url} (${process.env.DATABASE_URL ? "PostgreSQL" : "in memory"})`,
);
console.log(`  administrator: ${running.administrator.email} / ${running.administrator.password}`);
console.log(`  support key (for ${running.url}/support): ${running.supportKey}`);
console.log(`  mail viewer: ${running.url}/mail`);
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.once(signal, () => {
    void running.close().then(() => process.exit(0));
  });
}
