/** A unique constraint was violated, as a database would report it. */
export class MemoryConstraintError extends Error {
  override readonly name = "MemoryConstraintError";
}
