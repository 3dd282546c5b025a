import { describe, expect, it } from "vitest";
import { lockKeysOf } from "../../src/ports/storage.js";

describe("lock keys, written once for every store (LCK-7)", () => {
  it("LCK-7: a scope's lock keys are distinct and sorted, accounts and panels told apart, so overlapping scopes cannot deadlock", () => {
    expect(
      lockKeysOf({
        accounts: ["b@example.com", "a@example.com", "b@example.com"],
        panels: ["p2", "p1"],
      }),
    ).toEqual(["account:a@example.com", "account:b@example.com", "panel:p1", "panel:p2"]);
    expect(lockKeysOf({})).toEqual([]);
    // The same keys in any order of the scope: one order to take them in.
    expect(lockKeysOf({ accounts: ["x@example.com"], panels: ["x@example.com"] })).toEqual([
      "account:x@example.com",
      "panel:x@example.com",
    ]);
  });
});
