import { start } from "./app.js";

const port = Number(process.env.PORT ?? 3001);
const { url, library, close } = await start({ port, publicUrl: process.env.PUBLIC_URL });
// A panel and its administrator to try the API with: the invitation's link is logged below.
const admin = { administratorEmail: process.env.ADMIN_EMAIL ?? "admin@example.test" };
const seeded = await library.createPanel({ actor: { type: "system" }, name: "Demo", ...admin });
if (seeded.isErr()) throw new Error(`seeding failed: ${seeded.error.type}`);
console.log(`JSON API on ${url}/api/auth (its OpenAPI: /api/auth/openapi.json)`);
// Graceful shutdown: exits 1 when the library's work did not finish in time.
const stop = () => void close().then((report) => process.exit(report.settled ? 0 : 1));
process.once("SIGINT", stop).once("SIGTERM", stop);
