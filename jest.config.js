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
  // Fastify's inject loads cookie@2, published as ES modules only: let swc compile it like our own code.
  transformIgnorePatterns: ["/node_modules/(?!cookie/)"],
  moduleFileExtensions: ["ts", "js", "json"],
  // @fastify/static requires content-disposition 3, which is ESM only: let swc turn it into CommonJS for jest.
  transformIgnorePatterns: ["/node_modules/(?!content-disposition/)"],
  // Two cores on CI: one worker per core.
  maxWorkers: 2,
  testTimeout: 30000,
  reporters: ["default", "<rootDir>/test/support/summary-reporter.js"],
};
