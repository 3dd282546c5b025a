export { aLink, aMembership, anAccount, aPanel, plain, T0, uniqueId } from "./records.js";
export { runStorageContract, type StoreFactory } from "./storage-contract.js";
export { runThrottleContract, type ThrottleStoreFactory } from "./throttle-contract.js";
