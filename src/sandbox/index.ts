/** The local HMRC sandbox (DESIGN.md §2): what the `npm start` composition root and the tests use. */
export { createSandbox, DEV_CLIENT, type SandboxClient, type SandboxOptions } from "./app";
export { DEFAULT_SANDBOX_PORT, startSandbox, type RunningSandbox } from "./main";
export { faultsFromEnv, type FaultRule } from "./faults";
