/**
 * For test files that load the native PC/SC binding: pcsclite keeps a monitoring thread whose
 * handle can outlive `close()` when pcscd goes away first, which would keep the test process
 * alive after every test has run. Called from the suite's `after` hook: if the process is still
 * there `graceMs` later, it exits with the status uvu set (an unref'd timer: it never delays a
 * process that would exit by itself).
 */
export function exitWhenDone(graceMs = 3000): void {
  setTimeout(() => process.exit(), graceMs).unref();
}
