import type { SqlClient } from "../driver.js";

/** Runs one statement in the transaction and answers the rows it returns. */
export async function queryRows(
  client: SqlClient,
  sql: string,
  params: readonly unknown[] = [],
): Promise<Record<string, unknown>[]> {
  return (await client.query(sql, params)).rows;
}
