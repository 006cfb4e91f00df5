/** A failure the person running the stack can fix; printed as one line, never a stack trace. */
export class StackError extends Error {
  override readonly name = 'StackError';
}
