import { expect, it } from "vitest";
import { createArgon2idHasher } from "../../defaults/argon2id-hasher.js";
import type { PasswordHasher } from "../../ports/password-hasher.js";
import type { StoragePort } from "../../ports/storage.js";
import { instancesOver } from "./instances.js";
import { challenges, enrolledMember, invitedMember, PASSWORD } from "./members.js";

/** LCK-7, TFA-10, TFA-12, TFA-5: parallel guesses lose no count; a code, a challenge, a backup code work once. */
export function runLoginRaces(
  stores: () => Promise<[StoragePort, ...StoragePort[]]>,
  parallel: number,
): void {
  it("LCK-7: 100 parallel wrong passwords lose no count, lock exactly once and check at most 6 guesses", async () => {
    const inner = createArgon2idHasher({ memoryCost: 1024, timeCost: 1, parallelism: 1 });
    const checkedHashes: string[] = [];
    const counting: PasswordHasher = {
      hash: (password) => inner.hash(password),
      verify: (hash, password) => {
        checkedHashes.push(hash);
        return inner.verify(hash, password);
      },
    };
    const all = await stores();
    const [store] = all;
    const world = instancesOver(all, counting);
    const { email } = await invitedMember(world);
    (
      await world
        .instance(0)
        .register({ token: world.tokenFor(email).at(-1) ?? "", password: PASSWORD })
    )._unsafeUnwrap();
    const results = await Promise.all(
      Array.from({ length: 100 }, (_, caller) =>
        world.instance(caller).login({ email, password: `wrong guess ${caller}` }),
      ),
    );
    await world.settled();
    expect(results.every((result) => result.isErr() && result.error.type === "LOGIN_FAILED")).toBe(
      true,
    );
    const account = await store.transact({}, (tx) => tx.findAccountByEmail(email));
    expect(account?.lockout).toMatchObject({
      consecutiveFailures: 6,
      consecutiveLocks: 1,
      blockedAt: null,
    });
    expect(account?.lockout.lockedAt).not.toBeNull();
    expect(checkedHashes.filter((hash) => hash === account?.passwordHash)).toHaveLength(6);
    expect(checkedHashes).toHaveLength(100);
    expect(world.events.filter((event) => event.type === "account.locked")).toHaveLength(1);
    expect(
      world.mail.filter((message) => message.kind === "accountLocked" && message.to === email),
    ).toHaveLength(1);
    const failures = world.events.filter(
      (event) => event.type === "login.failed" && event.email === email,
    );
    expect(failures).toHaveLength(100);
  });

  it(`TFA-10: one TOTP code submitted on ${parallel} challenges at once is accepted exactly once`, async () => {
    const world = instancesOver(await stores());
    const { email, code } = await enrolledMember(world);
    const open = await challenges(world, email, parallel);
    const current = code();
    const results = await Promise.all(
      open.map((challenge, caller) =>
        world.instance(caller).verifySecondFactor({ challenge, code: current }),
      ),
    );
    await world.settled();
    expect(results.filter((result) => result.isOk())).toHaveLength(1);
    expect(results.every((result) => result.isOk() || result.error.type === "LOGIN_FAILED")).toBe(
      true,
    );
  });

  it(`TFA-12: one challenge submitted ${parallel} times at once completes one login`, async () => {
    const world = instancesOver(await stores());
    const { email, code } = await enrolledMember(world);
    const [challenge = ""] = await challenges(world, email, 1);
    const current = code();
    const results = await Promise.all(
      Array.from({ length: parallel }, (_, caller) =>
        world.instance(caller).verifySecondFactor({ challenge, code: current }),
      ),
    );
    expect(results.filter((result) => result.isOk())).toHaveLength(1);
    const completed = world.events.filter(
      (event) => event.type === "login.completed" && event.method === "local",
    );
    expect(completed).toHaveLength(2); // the setup's login and this one
  });

  it(`TFA-5: one backup code submitted on ${parallel} challenges at once is accepted exactly once`, async () => {
    const world = instancesOver(await stores());
    const { email, backupCodes } = await enrolledMember(world);
    const open = await challenges(world, email, parallel);
    const code = backupCodes[0] ?? "";
    const results = await Promise.all(
      open.map((challenge, caller) =>
        world.instance(caller).verifySecondFactor({ challenge, code }),
      ),
    );
    await world.settled();
    expect(results.filter((result) => result.isOk())).toHaveLength(1);
    const used = world.events.filter((event) => event.type === "backupCode.used");
    expect(used).toEqual([expect.objectContaining({ remaining: backupCodes.length - 1 })]);
  });
}
