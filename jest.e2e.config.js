/** Browser tests: the built add-in in headless Chromium, against relay + sandbox on loopback. */
const base = require("./jest.config.js");
/** @type {import('jest').Config} */
module.exports = {
  ...base,
  testPathIgnorePatterns: ["/node_modules/"],
  testMatch: ["<rootDir>/test/e2e/**/*.e2e.test.ts"],
  maxWorkers: 1,
  testTimeout: 120000,
};
