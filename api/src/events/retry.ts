/**
 * `attempt`, asked again while it throws (PostgreSQL restarting, say): first after `delayMs`,
 * then after twice as long each time up to 5 s, until trying again would pass `forMs` from the
 * first try, or `stopped()` says the answer is no longer wanted. Then the last error is thrown.
 */
export async function retryingFor<T>(
  attempt: () => Promise<T>,
  options: { delayMs: number; forMs: number; stopped?: () => boolean },
): Promise<T> {
  const giveUpAt = Date.now() + options.forMs;
  for (let delay = options.delayMs; ; delay = Math.min(delay * 2, 5_000)) {
    try {
      return await attempt();
    } catch (error) {
      if (options.stopped?.() || Date.now() + delay > giveUpAt) throw error;
      await new Promise((resolve) => setTimeout(resolve, delay));
    }
  }
}
