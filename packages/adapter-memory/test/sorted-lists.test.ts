import { describe, expect, it } from "vitest";
import { Overlay } from "../src/overlay.js";
import { Table } from "../src/table.js";

/** Rows filed in one list, and in a list per parity, ordered by `n`. */
interface Row {
  readonly n: number;
}
const table = () =>
  new Table<Row>(
    {},
    { keysOf: (row) => ["all", row.n % 2 === 0 ? "even" : "odd"], compare: (a, b) => a.n - b.n },
  );
const ns = (rows: Iterable<Row>) => [...rows].map((row) => row.n);

describe("the memory store's sorted lists (AUD-2: what the audit trail's listings read)", () => {
  it("AUD-2: rows added in any order are kept sorted in each list; deleting many rebuilds each list once and leaves the rest in order", () => {
    const rows = table();
    const order = [5, 1, 9, 3, 7, 2, 8, 4, 6, 0];
    for (const n of order) rows.set(`r${n}`, { n });
    expect(ns(rows.sorted("all").map((entry) => entry.row))).toEqual([
      0, 1, 2, 3, 4, 5, 6, 7, 8, 9,
    ]);
    expect(ns(rows.sorted("odd").map((entry) => entry.row))).toEqual([1, 3, 5, 7, 9]);
    rows.deleteMany(["r1", "r2", "r9", "r4", "missing"]);
    expect(ns(rows.sorted("all").map((entry) => entry.row))).toEqual([0, 3, 5, 6, 7, 8]);
    expect(ns(rows.sorted("even").map((entry) => entry.row))).toEqual([0, 6, 8]);
    rows.deleteMany(["r3", "r5", "r7"]);
    expect(rows.sorted("odd")).toEqual([]);
  });

  it("AUD-2: a page reads back from its start found by binary search (about log2 n checks of 10,000 rows), with the unit of work's own writes merged in and its deletions left out", () => {
    const rows = table();
    for (let n = 0; n < 20_000; n += 2) rows.set(`r${n}`, { n });
    const unit = new Overlay(rows);
    unit.set("w9001", { n: 9001 });
    unit.set("w8995", { n: 8995 });
    unit.delete("r8998");
    let checks = 0;
    const below9002 = (row: Row) => {
      checks += 1;
      return row.n < 9002;
    };
    const page: number[] = [];
    for (const row of unit.descending("all", below9002)) {
      page.push(row.n);
      if (page.length === 5) break;
    }
    expect(page).toEqual([9001, 9000, 8996, 8995, 8994]);
    // 14 for the binary search over 10,000 rows, and the two written rows checked once each
    expect(checks).toBeLessThanOrEqual(16);
    expect(ns(unit.descending("odd", () => true))).toEqual([9001, 8995]);
  });
});
