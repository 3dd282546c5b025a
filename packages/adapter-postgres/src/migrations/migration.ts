/**
 * One version of the schema: its SQL is compiled into the package (no file is
 * read at run time, so a bundled application migrates too).
 */
export interface Migration {
  /** Applied in ascending order; recorded in `schema_migrations.version`. */
  readonly version: number;
  /**
   * Recorded in `schema_migrations.name`: the name of the `.sql` file the
   * migration was shipped as before the SQL moved into the code. Never
   * changes, since existing databases hold it.
   */
  readonly name: string;
  /**
   * The statements, with `{{schema}}` where the quoted schema name goes
   * (`sqlOf` puts it in).
   */
  readonly sql: string;
}

/** A migration's statements for the quoted schema `schema`. */
export function sqlOf(migration: Migration, schema: string): string {
  return migration.sql.replaceAll("{{schema}}", schema);
}
