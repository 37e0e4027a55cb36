/**
 * Prints one plain closing line, `tests: N passed, N failed[, N skipped]`, after jest's own summary, so CI
 * logs state the count in a form any reader (human or tool) can take in at a glance.
 */
"use strict";

class SummaryReporter {
  onRunComplete(_contexts, results) {
    const skipped = results.numPendingTests + results.numTodoTests;
    const failed = results.numFailedTests + results.numRuntimeErrorTestSuites;
    process.stdout.write(`\ntests: ${results.numPassedTests} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ""}\n`);
  }
}

module.exports = SummaryReporter;
