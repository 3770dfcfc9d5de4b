// Polling that survives a dropped connection. A phone that changes network, or a server that closes an idle
// keep-alive connection as the next request goes out, makes one fetch() reject with a TypeError ("Failed to
// fetch") although nothing is wrong with the painting; the page should not give up on its first such poll.

export const NETWORK_TRIES = 5; // consecutive failed polls before the page says the connection is lost

/**
 * Call `attempt()` until it resolves; a network error (fetch's TypeError) is retried after `waitMs(n)` up to
 * `tries` times in a row, anything else (an HTTP answer read as failure, a painting that failed) is thrown
 * at once. After the last try it throws an Error whose message tells the visitor what to do.
 */
export async function withNetworkRetries(attempt, options = {}) {
  const { tries = NETWORK_TRIES, waitMs = backoffMs, sleep: wait = sleep } = options;
  for (let failures = 1; ; failures += 1) {
    try {
      return await attempt();
    } catch (error) {
      if (!(error instanceof TypeError)) throw error;
      if (failures >= tries) {
        throw new Error('The connection to the painter was lost. Reload the page to pick up where it left off.');
      }
      await wait(waitMs(failures));
    }
  }
}

/** 0.5 s, 1 s, 2 s, 4 s …: a short glitch costs half a second, a longer outage is waited out. */
export const backoffMs = (failures) => 500 * 2 ** (failures - 1);

export const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
