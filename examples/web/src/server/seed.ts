import { randomBytes } from "node:crypto";
import {
  type Clock,
  createOfflinePasswordScreen,
  createPanelAccess,
  normaliseEmail,
  type PanelAccessOptions,
  type StoragePort,
} from "@panel-access/core";
import { PRODUCT_NAME, type ServerOptions, StartupError } from "./options.js";

const PANEL_NAME = "Acme Analytics";

/**
 * The first run: a panel and its administrator, registered with the given (or,
 * in development mode, a random) password. The seed runs on its own instance
 * of the library, whose mailer keeps the administrator's invitation instead of
 * sending it: the seed registers through that link.
 */
export async function seed(
  store: StoragePort,
  clock: Clock,
  libraryOptions: PanelAccessOptions,
  options: ServerOptions,
  development: boolean,
) {
  const email = normaliseEmail(options.administratorEmail ?? "admin@example.test");
  const existing = await store.transact({}, (tx) => tx.findAccountByEmail(email));
  if (existing !== null) return { email, password: "(set on the first run)" };
  const password =
    options.administratorPassword ??
    (development ? randomBytes(12).toString("base64url") : undefined);
  if (password === undefined || [...password].length < 12 || [...password].length > 256) {
    throw new StartupError(
      "ADMIN_PASSWORD must be set (12 to 256 characters) on the first run outside development mode: the seeded administrator gets it.",
    );
  }
  // PWD-6: screened before anything is created, so a refused password leaves
  // no administrator without one behind (the next run would not seed again).
  const screened = await createOfflinePasswordScreen().screen(password.normalize("NFKC"), {
    email,
    productName: PRODUCT_NAME,
  });
  if (!screened.accepted) {
    throw new StartupError(
      `ADMIN_PASSWORD was refused (PWD-6: ${screened.reason}): choose one that is not common, repetitive, or built from the e-mail or the product's name.`,
    );
  }
  const links: string[] = [];
  const seeding = createPanelAccess(
    {
      store,
      clock,
      mailer: {
        send: async (message) => {
          if (message.kind === "invitation") links.push(message.link);
        },
      },
    },
    libraryOptions,
  );
  const created = await seeding.createPanel({
    actor: { type: "system" },
    name: PANEL_NAME,
    administratorEmail: email,
  });
  if (created.isErr()) {
    throw new StartupError(
      `The administrator was not seeded (${created.error.type}): check ADMIN_EMAIL.`,
    );
  }
  await seeding.settled(); // MAIL-4: the invitation is sent after the answer
  if (links[0] === undefined) throw new Error("seeding failed: no invitation");
  const token = new URL(links[0]).searchParams.get("token") ?? "";
  const registered = await seeding.register({ token, password });
  if (registered.isErr()) throw new Error(`seeding failed: ${registered.error.type}`);
  return { email, password };
}
