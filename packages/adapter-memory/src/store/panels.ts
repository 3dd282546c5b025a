import type { PanelRecord, PanelsTx } from "@panel-access/core";
import { MemoryConstraintError } from "./constraint-error.js";
import type { UnitOfWork } from "./unit-of-work.js";

/** Panels, unique by id. */
export function panelsTx(unit: UnitOfWork): PanelsTx {
  return {
    async findPanel(id: string): Promise<PanelRecord | null> {
      return unit.panels.get(id) ?? null;
    },

    async findPanels(ids: readonly string[]): Promise<PanelRecord[]> {
      return [...new Set(ids)].flatMap((id) => unit.panels.get(id) ?? []);
    },

    async createPanel(panel: PanelRecord): Promise<void> {
      if (unit.panels.has(panel.id)) throw new MemoryConstraintError("panel id already exists");
      unit.panels.set(panel.id, panel);
    },
  };
}
