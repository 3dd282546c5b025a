import type { QueryOptions, SqlClient } from "../driver.js";

/** Runs one statement in the transaction and answers the rows it returns. */
export async function queryRows(
  client: SqlClient,
  sql: string,
  params: readonly unknown[] = [],
  options?: QueryOptions,
): Promise<Record<string, unknown>[]> {
  return (await client.query(sql, params, options)).rows;
}
