import type { PanelRecord, PanelsTx } from "@panel-access/core";
import type { SqlClient } from "../driver.js";
import { panelFrom, param } from "../rows.js";
import { queryRows } from "./query.js";

/** The columns `panelFrom` reads, in table order. */
const PANEL_COLUMNS = "id, name, sso_enabled, created_at";

/** Panels, in `schema`.panels. */
export function panelsTx(client: SqlClient, schema: string): PanelsTx {
  return {
    async findPanel(id: string): Promise<PanelRecord | null> {
      const [row] = await queryRows(
        client,
        `SELECT ${PANEL_COLUMNS} FROM ${schema}.panels WHERE id = $1`,
        [id],
      );
      return row ? panelFrom(row) : null;
    },

    async findPanels(ids: readonly string[]): Promise<PanelRecord[]> {
      if (ids.length === 0) return [];
      return (
        await queryRows(
          client,
          `SELECT ${PANEL_COLUMNS} FROM ${schema}.panels WHERE id = ANY($1::text[])`,
          [[...ids]],
        )
      ).map(panelFrom);
    },

    async createPanel(panel: PanelRecord): Promise<void> {
      await client.query(`INSERT INTO ${schema}.panels (${PANEL_COLUMNS}) VALUES ($1,$2,$3,$4)`, [
        panel.id,
        panel.name,
        panel.settings.ssoEnabled,
        param(panel.createdAt),
      ]);
    },
  };
}
