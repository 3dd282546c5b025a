/** The flow from an ES module: `import`, as most apps load the packages. */
import * as memory from "@panel-access/adapter-memory";
import * as core from "@panel-access/core";
import * as testing from "@panel-access/core/testing";
import * as otpauth from "otpauth";
import { inviteRegisterLogin } from "./flow.js";

const email = await inviteRegisterLogin({ core, memory, testing, otpauth });
console.log(`ESM: ${email} invited, registered, logged in with TOTP`);
