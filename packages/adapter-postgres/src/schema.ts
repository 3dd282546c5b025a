/** Where the tables live. */
export interface SchemaOptions {
  /** A Postgres schema name for the library's tables. @default "panel_access" */
  readonly schema?: string;
}

const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

/** The quoted schema name, after checking it is a plain identifier (no injection through options). */
export function quotedSchema(options: SchemaOptions = {}): string {
  const schema = options.schema ?? "panel_access";
  if (!SCHEMA_NAME.test(schema))
    throw new Error(`invalid schema name "${schema}": use [a-z_][a-z0-9_]*`);
  return `"${schema}"`;
}
