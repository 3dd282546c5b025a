import { z } from "zod";
import type { ResolvedHttpOptions } from "./options.js";
import type { Route } from "./routes/route.js";
import { ERROR_STATUS } from "./web/errors.js";

/** An OpenAPI 3.1 document (as JSON). */
export interface OpenApiDocument {
  readonly openapi: "3.1.0";
  readonly info: { readonly title: string; readonly version: string };
  readonly paths: Record<string, Record<string, unknown>>;
  readonly components: Record<string, unknown>;
}

type JsonSchema = Record<string, unknown>;

/** A zod schema as JSON Schema (zod 4's own output), as the request must be sent. */
const jsonSchemaOf = (schema: z.ZodType, io: "input" | "output"): JsonSchema => {
  const { $schema: _dialect, ...rest } = z.toJSONSchema(schema, { io, unrepresentable: "any" });
  return rest as JsonSchema;
};

const errorBody: JsonSchema = jsonSchemaOf(
  z.object({
    error: z.object({
      code: z.enum(Object.keys(ERROR_STATUS) as [string, ...string[]]),
      message: z.string(),
      issues: z
        .array(z.object({ path: z.array(z.union([z.string(), z.number()])), message: z.string() }))
        .optional(),
      retryAfterSeconds: z.number().optional(),
      reason: z.string().optional(),
    }),
  }),
  "output",
);

/** The web layer's own refusals each route can answer. */
function webErrors(route: Route): string[] {
  const codes = ["INTERNAL_ERROR"];
  if (route.method !== "GET") codes.push("CSRF_REJECTED");
  if (route.body !== undefined)
    codes.push(
      "BODY_TOO_LARGE",
      "UNSUPPORTED_MEDIA_TYPE",
      "MALFORMED_JSON",
      route.invalidBody ?? "INVALID_INPUT",
    );
  if (route.query !== undefined) codes.push("INVALID_INPUT");
  if (route.session !== "none") codes.push("SESSION_INVALID");
  if (route.params?.includes("panelId")) codes.push("FORBIDDEN");
  return codes;
}

/**
 * The JSON API as an OpenAPI 3.1 document, made from the routes' own zod
 * schemas: bodies, queries, answers, and every refusal by status.
 */
export function buildOpenApiDocument(
  routes: readonly Route[],
  options: ResolvedHttpOptions,
): OpenApiDocument {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const route of routes) {
    const responses: Record<string, unknown> = {};
    for (const [status, answer] of Object.entries(route.answers)) {
      responses[status] = {
        description: answer.description,
        ...(route.setsCookies !== undefined && {
          headers: {
            "Set-Cookie": { description: route.setsCookies, schema: { type: "string" } },
          },
        }),
        ...(answer.schema !== undefined && {
          content: { "application/json": { schema: jsonSchemaOf(answer.schema, "output") } },
        }),
      };
    }
    const byStatus = new Map<number, string[]>();
    for (const code of new Set([...route.errors, ...webErrors(route)])) {
      const status = ERROR_STATUS[code as keyof typeof ERROR_STATUS];
      byStatus.set(status, [...(byStatus.get(status) ?? []), code]);
    }
    for (const [status, codes] of [...byStatus].sort(([a], [b]) => a - b)) {
      responses[String(status)] = {
        description: `Refused: ${codes.join(", ")}.`,
        ...(status === 429 && {
          headers: {
            "Retry-After": {
              description: "Seconds to wait, as in the body's retryAfterSeconds.",
              schema: { type: "integer" },
            },
          },
        }),
        content: { "application/json": { schema: { $ref: "#/components/schemas/Error" } } },
      };
    }
    const parameters: unknown[] = (route.params ?? []).map((name) => ({
      name,
      in: "path",
      required: true,
      schema: { type: "string", pattern: "^[A-Za-z0-9_-]{1,64}$" },
    }));
    if (route.query !== undefined) {
      const query = jsonSchemaOf(route.query, "input") as {
        properties?: Record<string, JsonSchema>;
        required?: string[];
      };
      for (const [name, schema] of Object.entries(query.properties ?? {})) {
        parameters.push({
          name,
          in: "query",
          required: query.required?.includes(name) ?? false,
          schema,
          ...(typeof schema.description === "string" && { description: schema.description }),
        });
      }
    }
    const operation = {
      operationId: route.id,
      summary: route.summary,
      description: `Rules: ${route.rules.join(", ")}.`,
      ...(route.session !== "none" && { security: [{ session: [] }] }),
      ...(parameters.length > 0 && { parameters }),
      ...(route.body !== undefined && {
        requestBody: {
          required: true,
          content: { "application/json": { schema: jsonSchemaOf(route.body, "input") } },
        },
      }),
      responses,
    };
    const path = `${options.basePath}${route.path}`;
    paths[path] = { ...paths[path], [route.method.toLowerCase()]: operation };
  }
  return {
    openapi: "3.1.0",
    info: { title: "panel-access JSON API", version: "1" },
    paths,
    components: {
      schemas: { Error: errorBody },
      securitySchemes: {
        session: {
          type: "apiKey",
          in: "cookie",
          name: `${options.secure ? "__Host-" : ""}${options.cookieNames.session}`,
        },
      },
    },
  };
}
