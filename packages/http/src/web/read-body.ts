import { type Answer, refusal } from "./errors.js";

/**
 * A JSON request body, refused before parsing when it is not JSON (415),
 * larger than `limit` bytes (413: by `Content-Length`, and by counting the
 * bytes as they arrive when there is none), or not well-formed (400). An
 * empty body is `{}`.
 */
export async function readJsonBody(
  request: Request,
  limit: number,
): Promise<{ readonly value: unknown } | { readonly refused: Answer }> {
  const type = request.headers.get("content-type");
  const declared = Number(request.headers.get("content-length") ?? "0");
  if (!Number.isFinite(declared) || declared > limit) {
    return { refused: refusal({ type: "BODY_TOO_LARGE" }) };
  }
  if (request.body === null) return { value: {} };
  if (type === null || !/^application\/json\s*(;|$)/i.test(type)) {
    await request.body.cancel().catch(() => undefined);
    return { refused: refusal({ type: "UNSUPPORTED_MEDIA_TYPE" }) };
  }
  const chunks: Uint8Array[] = [];
  let size = 0;
  const reader = request.body.getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      size += value.byteLength;
      if (size > limit) {
        await reader.cancel().catch(() => undefined);
        return { refused: refusal({ type: "BODY_TOO_LARGE" }) };
      }
      chunks.push(value);
    }
  } catch {
    return { refused: refusal({ type: "MALFORMED_JSON" }) };
  }
  if (size === 0) return { value: {} };
  try {
    const text = new TextDecoder("utf-8", { fatal: true }).decode(Buffer.concat(chunks));
    return { value: JSON.parse(text) as unknown };
  } catch {
    return { refused: refusal({ type: "MALFORMED_JSON" }) };
  }
}
