/**
 * The flow from CommonJS: `require` of the ES-module packages, which Node
 * ^20.19 and >= 22.12 load synchronously (require(esm)).
 */
import memory = require("@panel-access/adapter-memory");
import core = require("@panel-access/core");
import testing = require("@panel-access/core/testing");
import otpauth = require("otpauth");
import flow = require("./flow.js");

flow.inviteRegisterLogin({ core, memory, testing, otpauth }).then(
  (email) => console.log(`CommonJS: ${email} invited, registered, logged in with TOTP`),
  (error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  },
);
