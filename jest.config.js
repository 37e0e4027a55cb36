/** Unit and integration tests (Node only). The browser tests have their own config: jest.e2e.config.js. */
/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: "node",
  roots: ["<rootDir>/test"],
  testMatch: ["**/*.test.ts"],
  testPathIgnorePatterns: ["/node_modules/", "<rootDir>/test/e2e/"],
  transform: {
    "^.+\\.(t|j)sx?$": ["@swc/jest", { jsc: { target: "es2022", parser: { syntax: "typescript" } }, module: { type: "commonjs" } }],
  },
  // ES-module-only packages, compiled by swc like our own code: cookie@2 (Fastify's inject),
  // content-disposition@3 (@fastify/static) and jose@6 (Microsoft token checks).
  transformIgnorePatterns: ["/node_modules/(?!(cookie|content-disposition|jose)/)"],
  moduleFileExtensions: ["ts", "js", "json"],
  // Two cores on CI: one worker per core.
  maxWorkers: 2,
  testTimeout: 30000,
  reporters: ["default", "<rootDir>/test/support/summary-reporter.js"],
};
