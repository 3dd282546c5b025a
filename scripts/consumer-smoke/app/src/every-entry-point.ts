/**
 * Every public entry point, loaded for its types only: with skipLibCheck
 * false, the compiler checks each package's declarations and what they use.
 * Three need a peer this project leaves out on purpose: `/pglite` needs
 * `@electric-sql/pglite`, `@panel-access/core/contracts` needs vitest,
 * `@panel-access/http/hono` needs hono; the point here is that `pg` users
 * (and apps without vitest or hono) never need them. The docs' blocks
 * check `/hono` with hono installed.
 */
import type * as memory from "@panel-access/adapter-memory";
import type * as postgres from "@panel-access/adapter-postgres";
import type * as redis from "@panel-access/adapter-redis";
import type * as smtp from "@panel-access/adapter-smtp";
import type * as cli from "@panel-access/cli";
import type * as core from "@panel-access/core";
import type * as testing from "@panel-access/core/testing";
import type * as http from "@panel-access/http";
import type * as httpNode from "@panel-access/http/node";
import type * as testkit from "@panel-access/testkit";

/** One type naming them all, so none is dropped as unused. */
export type EveryEntryPoint = [
  typeof core,
  typeof testing,
  typeof memory,
  typeof postgres,
  typeof redis,
  typeof smtp,
  typeof testkit,
  typeof cli,
  typeof http,
  typeof httpNode,
];
